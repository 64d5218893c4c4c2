package chat.edge.ws;

import chat.edge.api.ApiError;
import chat.edge.auth.AccessTokens;
import chat.edge.limits.KeyedBuckets;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.rooms.Rooms;
import chat.edge.users.Users;
import chat.projections.MessageHistory;
import com.typesafe.config.Config;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import scala.Option;

/**
 * {@code GET /ws?access_token=…}: checks the token before the upgrade, then joins the connection's
 * frames to a new {@link ClientSession}.
 */
public final class WebSocketRoute extends AllDirectives {

  /** The contract's frame limit. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final ActorSystem<?> system;
  private final AccessTokens accessTokens;
  private final ActorRef<ConnectionHub.Command> hub;
  private final Users users;
  private final Rooms rooms;
  private final MessageHistory history;
  private final ClientSession.Settings settings;
  private final int outBuffer;
  private final OriginPolicy origins;
  private final EdgeMetrics metrics;
  private final AtomicLong connections = new AtomicLong();

  public WebSocketRoute(ActorSystem<?> system, Config config, AccessTokens accessTokens,
      ActorRef<ConnectionHub.Command> hub, Users users, Rooms rooms, MessageHistory history,
      EdgeMetrics metrics) {
    this.system = system;
    this.accessTokens = accessTokens;
    this.hub = hub;
    this.users = users;
    this.rooms = rooms;
    this.history = history;
    Config ws = config.getConfig("chat.websocket");
    this.outBuffer = ws.getInt("out-buffer");
    this.settings = new ClientSession.Settings(
        ws.getDouble("frames-per-second"), ws.getInt("frame-burst"),
        ws.getDuration("keep-alive"), ws.getDuration("idle-timeout"),
        // A replay keeps at most a quarter of the out-buffer waiting, so live messages still fit.
        Math.max(1, outBuffer / 4), new Semaphore(ws.getInt("concurrent-replays")),
        new KeyedBuckets(ws.getDouble("unlisted-room-subscribes.per-second"),
            ws.getInt("unlisted-room-subscribes.burst")));
    this.origins = OriginPolicy.parse(ws.getString("allowed-origins"));
    this.metrics = metrics;
  }

  public Route route() {
    return path("ws", () -> get(() -> parameterOptional("access_token", token -> {
      String userId = token.flatMap(accessTokens::verify).orElseThrow(ApiError::unauthorized);
      return extractRequest(request -> {
        String host = request.getHeader("Host").map(HttpHeader::value).orElse("");
        if (!origins.allows(request.getHeader("Origin").map(HttpHeader::value), host)) {
          throw new ApiError(StatusCodes.FORBIDDEN, "ORIGIN_NOT_ALLOWED",
              "pages from this origin may not connect; see CHAT_ALLOWED_ORIGINS");
        }
        var upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
        if (upgrade.isEmpty()) {
          throw new ApiError(StatusCodes.BAD_REQUEST, "WEBSOCKET_EXPECTED", "this endpoint speaks WebSocket only");
        }
        UpgradeToWebSocketLowLevel lowLevel = (UpgradeToWebSocketLowLevel) upgrade.get();
        return complete(lowLevel.handleFrames(connection(userId).<Object>mapMaterializedValue(unit -> unit), Option.empty()));
      });
    })));
  }

  /**
   * Frames in go, decoded, to the session with backpressure; the session's frames go out. The
   * session starts first and gets its outgoing end when the connection's stream runs, so both
   * directions run in the connection's one stream.
   */
  private Flow<FrameEvent, FrameEvent, NotUsed> connection(String userId) {
    ActorRef<ClientSession.Command> session = system.systemActorOf(
        ClientSession.create(settings, userId, hub, users, rooms, history, metrics),
        "ws-" + connections.incrementAndGet(), Props.empty());
    OutboundBacklog backlog = new OutboundBacklog();
    Source<Outbound, NotUsed> out = ActorSource.<Outbound>actorRef(
            outbound -> outbound instanceof Outbound.Complete,
            outbound -> Optional.empty(),
            outBuffer,
            // A client that cannot keep up loses its connection rather than messages.
            OverflowStrategy.fail())
        .mapMaterializedValue(ref -> {
          session.tell(new ClientSession.Attach(ref, backlog));
          return NotUsed.getInstance();
        })
        .map(outbound -> {
          backlog.taken();
          return outbound;
        });

    FrameCodec codec = new FrameCodec(MAX_MESSAGE_BYTES);
    Sink<FrameEvent, NotUsed> in = Flow.<FrameEvent>create()
        .mapConcat(codec::decode)
        .to(ActorSink.<Inbound, ClientSession.Command, ClientSession.StreamAck>actorRefWithBackpressure(
            session,
            (ack, inbound) -> new ClientSession.FromClient(inbound, ack),
            ClientSession.StreamStarted::new,
            ClientSession.StreamAck.INSTANCE,
            ClientSession.StreamEnded.INSTANCE,
            failure -> ClientSession.StreamEnded.INSTANCE));
    return Flow.fromSinkAndSourceCoupled(in, out.map(FrameCodec::encode));
  }

}
