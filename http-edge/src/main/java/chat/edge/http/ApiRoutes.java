package chat.edge.http;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node under one error handling. */
public final class ApiRoutes extends AllDirectives {

  private final UserRoutes userRoutes;
  private final AuthRoutes authRoutes;
  private final FriendRoutes friendRoutes;
  private final RoomRoutes roomRoutes;

  public ApiRoutes(UserRoutes userRoutes, AuthRoutes authRoutes, FriendRoutes friendRoutes, RoomRoutes roomRoutes) {
    this.userRoutes = userRoutes;
    this.authRoutes = authRoutes;
    this.friendRoutes = friendRoutes;
    this.roomRoutes = roomRoutes;
  }

  public Route route() {
    return new ApiErrorHandling().wrap(
        pathPrefix("api", () -> concat(userRoutes.route(), authRoutes.route(), friendRoutes.route(), roomRoutes.route())));
  }
}
