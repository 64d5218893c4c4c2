package chat.edge.http;

import chat.edge.api.ApiError;
import chat.edge.api.Json;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.Operators;
import chat.edge.ops.ClusterMembers;
import chat.edge.ops.ClusterMonitor;
import chat.edge.ops.ClusterOps;
import chat.edge.ops.ClusterSnapshot;
import chat.edge.ops.MemberChange;
import chat.edge.ops.OpsEvent;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The operators' cluster view, from any node: {@code GET /api/ops/cluster}, the live
 * {@code GET /api/ops/stream} (Server-Sent Events; the token in the query, since EventSource
 * cannot send headers), and {@code POST /api/ops/members/{node}/leave|down}. Goes under {@code /api}.
 */
public final class ClusterRoutes extends ApiDirectives {

  /** Events a slow stream may fall behind by; older ones are dropped, the next snapshot repairs them. */
  private static final int STREAM_BUFFER = 16;

  private final ClusterOps ops;
  private final AccessTokens accessTokens;
  private final Operators operators;
  private final ActorSystem<?> system;

  public ClusterRoutes(ClusterOps ops, AccessTokens accessTokens, Operators operators, ActorSystem<?> system) {
    super(accessTokens);
    this.ops = ops;
    this.accessTokens = accessTokens;
    this.operators = operators;
    this.system = system;
  }

  public Route route() {
    return pathPrefix("ops", () -> concat(
        path("cluster", () -> get(() -> operator(operators, me -> onSuccess(
            AskPattern.<ClusterMonitor.Command, ClusterSnapshot>ask(ops.monitor(), ClusterMonitor.GetSnapshot::new,
                ops.snapshotTimeout(), system.scheduler()),
            snapshot -> complete(Responses.ok(snapshot)))))),
        path("stream", () -> get(() -> operatorByQuery(me ->
            completeOK(events(), EventStreamMarshalling.toEventStream())))),
        path(PathMatchers.segment("members").slash(PathMatchers.segment()).slash("leave"),
            node -> post(() -> operator(operators, me -> outcome(node, ops.members().leave(node))))),
        path(PathMatchers.segment("members").slash(PathMatchers.segment()).slash("down"),
            node -> post(() -> operator(operators, me -> outcome(node, ops.members().down(node)))))));
  }

  /** 401 without a valid {@code access_token} parameter, 403 for a user who is not an operator. */
  private Route operatorByQuery(Function<String, Route> inner) {
    return parameterOptional("access_token", token -> {
      String userId = token.flatMap(accessTokens::verify).orElseThrow(ApiError::unauthorized);
      return inner.apply(requireOperator(operators, userId));
    });
  }

  /** This stream's events: the monitor sends them; the stream's end (the client went) ends the subscription. */
  private Source<ServerSentEvent, NotUsed> events() {
    return ActorSource.<OpsEvent>actorRef(event -> false, event -> Optional.empty(), STREAM_BUFFER,
            OverflowStrategy.dropHead())
        .mapMaterializedValue(stream -> {
          ops.monitor().tell(new ClusterMonitor.Subscribe(stream));
          return NotUsed.notUsed();
        })
        .map(ClusterRoutes::serverSentEvent)
        .keepAlive(ops.streamKeepAlive(), ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent serverSentEvent(OpsEvent event) {
    String type = event instanceof MemberChange ? "member" : "snapshot";
    return ServerSentEvent.create(Json.write(event), type);
  }

  private Route outcome(String node, ClusterMembers.Outcome outcome) {
    return switch (outcome) {
      case ACCEPTED -> complete(Responses.json(StatusCodes.ACCEPTED, Json.object().put("node", node)));
      case UNKNOWN_MEMBER -> throw new ApiError(StatusCodes.NOT_FOUND, "MEMBER_NOT_FOUND",
          "no cluster member at " + node + " (host:port of its Artery address)");
      case MEMBER_REACHABLE -> throw new ApiError(StatusCodes.CONFLICT, "MEMBER_REACHABLE",
          node + " is reachable: make it leave instead of downing it");
    };
  }
}
