package chat.edge.http;

import chat.edge.web.WebPages;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node under one error handling. */
public final class ApiRoutes extends AllDirectives {

  private final UserRoutes userRoutes;
  private final AuthRoutes authRoutes;
  private final FriendRoutes friendRoutes;
  private final RoomRoutes roomRoutes;
  private final OpsRoutes opsRoutes;
  private final ClusterRoutes clusterRoutes;
  private final Route webSocketRoute;
  private final WebPages webPages;

  public ApiRoutes(UserRoutes userRoutes, AuthRoutes authRoutes, FriendRoutes friendRoutes, RoomRoutes roomRoutes,
      OpsRoutes opsRoutes, ClusterRoutes clusterRoutes, Route webSocketRoute, WebPages webPages) {
    this.userRoutes = userRoutes;
    this.authRoutes = authRoutes;
    this.friendRoutes = friendRoutes;
    this.roomRoutes = roomRoutes;
    this.opsRoutes = opsRoutes;
    this.clusterRoutes = clusterRoutes;
    this.webSocketRoute = webSocketRoute;
    this.webPages = webPages;
  }

  /**
   * Answers are never sniffed as another type, and are not stored by caches unless a route says
   * otherwise: they hold tokens and private messages.
   */
  private static final List<HttpHeader> DEFAULT_HEADERS = List.of(
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Cache-Control", "no-store"));

  public Route route() {
    return respondWithDefaultHeaders(DEFAULT_HEADERS, () -> new ApiErrorHandling().wrap(concat(
        pathPrefix("api", () -> concat(
            userRoutes.route(), authRoutes.route(), friendRoutes.route(), roomRoutes.route(), opsRoutes.apiRoute(),
            clusterRoutes.route())),
        opsRoutes.metricsRoute(),
        webSocketRoute,
        webPages.route())));
  }
}
