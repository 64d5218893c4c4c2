package chat.bench;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The transport baseline: a bare Pekko HTTP WebSocket server that speaks just enough of the
 * chat protocol for {@link WsFanout} to drive it ({@code subscribe}, {@code send} → {@code ack}
 * plus a {@code message} to every subscriber of the room, {@code ping}), with rooms in memory and
 * no authentication, persistence or cluster. The {@code access_token} is taken as the user id.
 *
 * <p>Run as its own JVM: {@code java -cp chat-bench.jar chat.bench.BroadcastServer <port>}.
 */
public final class BroadcastServer extends AllDirectives {

  private static final int OUT_BUFFER = 4096;

  private final Materializer materializer;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  private BroadcastServer(Materializer materializer) {
    this.materializer = materializer;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    ActorSystem system = ActorSystem.create("broadcast");
    BroadcastServer server = new BroadcastServer(Materializer.matFromSystem(system));
    Http.get(system).newServerAt("127.0.0.1", port).bind(server.route()).toCompletableFuture().join();
    System.out.println("broadcast server on 127.0.0.1:" + port);
  }

  private Route route() {
    return concat(
        path("ready", () -> complete("OK")),
        path("ws", () -> parameter("access_token", user -> handleWebSocketMessages(connection(user)))));
  }

  /** A room's subscribers and its message counter; the lock gives every subscriber the same order. */
  private static final class Room {
    final Set<BoundedSourceQueue<Message>> subscribers = ConcurrentHashMap.newKeySet();
    long seq;
  }

  private Flow<Message, Message, ?> connection(String userId) {
    Pair<BoundedSourceQueue<Message>, Source<Message, org.apache.pekko.NotUsed>> out =
        Source.<Message>queue(OUT_BUFFER).preMaterialize(materializer);
    BoundedSourceQueue<Message> queue = out.first();
    Sink<Message, ?> in = Flow.<Message>create()
        .mapAsync(1, message -> message.isText() ? text(message.asTextMessage())
            : message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(d -> ""))
        .to(Sink.foreach(frame -> onFrame(userId, queue, frame)));
    return Flow.fromSinkAndSourceCoupled(in, out.second()).watchTermination((notUsed, done) -> {
      done.whenComplete((d, e) -> rooms.values().forEach(room -> room.subscribers.remove(queue)));
      return notUsed;
    });
  }

  private CompletionStage<String> text(TextMessage message) {
    return message.isStrict() ? CompletableFuture.completedFuture(message.getStrictText())
        : message.toStrict(5_000, materializer).thenApply(TextMessage::getStrictText);
  }

  private void onFrame(String userId, BoundedSourceQueue<Message> queue, String frame) {
    String type = Frames.text(frame, "type");
    if ("ping".equals(type)) {
      queue.offer(TextMessage.create("{\"type\":\"pong\"}"));
    } else if ("subscribe".equals(type)) {
      String roomId = Frames.text(frame, "roomId");
      Room room = rooms.computeIfAbsent(roomId, id -> new Room());
      synchronized (room) {
        room.subscribers.add(queue);
        queue.offer(TextMessage.create("{\"type\":\"subscribed\",\"roomId\":\"" + roomId + "\",\"lastSeq\":" + room.seq + "}"));
      }
    } else if ("send".equals(type)) {
      String roomId = Frames.text(frame, "roomId");
      String clientMsgId = Frames.text(frame, "clientMsgId");
      Room room = rooms.computeIfAbsent(roomId, id -> new Room());
      String sentAt = Instant.now().toString();
      synchronized (room) {
        long seq = ++room.seq;
        // Serialised once per message, like the node's fan-out.
        Message message = TextMessage.create("{\"type\":\"message\",\"roomId\":\"" + roomId + "\",\"seq\":" + seq
            + ",\"senderId\":\"" + userId + "\",\"text\":\"" + Frames.text(frame, "text") + "\",\"sentAt\":\""
            + sentAt + "\",\"clientMsgId\":\"" + clientMsgId + "\"}");
        queue.offer(TextMessage.create("{\"type\":\"ack\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\""
            + clientMsgId + "\",\"seq\":" + seq + ",\"sentAt\":\"" + sentAt + "\"}"));
        room.subscribers.forEach(subscriber -> subscriber.offer(message));
      }
    }
  }
}
