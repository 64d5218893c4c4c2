package chat.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One client WebSocket on the Pekko HTTP client: a stream, not a thread, so thousands fit in the
 * bench's JVM. Text frames go to {@code onText} one at a time, in arrival order.
 */
public final class WsConnection {

  private static final int OUT_BUFFER = 1024;
  private static final Duration STRICT_TIMEOUT = Duration.ofSeconds(5);

  private final BoundedSourceQueue<Message> out;
  private final CompletionStage<Done> closed;

  private WsConnection(BoundedSourceQueue<Message> out, CompletionStage<Done> closed) {
    this.out = out;
    this.closed = closed;
  }

  /** Opens {@code url}; completes once the upgrade succeeded, fails if it was refused. */
  public static CompletionStage<WsConnection> open(ActorSystem system, String url, Optional<InetSocketAddress> localAddress,
      Consumer<String> onText) {
    Materializer materializer = Materializer.matFromSystem(system);
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .mapAsync(1, message -> message.isText() ? textOf(message.asTextMessage(), materializer)
            : message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> ""))
        .filter(text -> !text.isEmpty())
        .toMat(Sink.foreach(onText::accept), Keep.right());
    Flow<Message, Message, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> flow =
        Flow.fromSinkAndSourceMat(in, Source.<Message>queue(OUT_BUFFER), Keep.both());
    ClientConnectionSettings settings = ClientConnectionSettings.create(system).withLocalAddress(localAddress);
    Pair<CompletionStage<WebSocketUpgradeResponse>, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> started =
        Http.get(system).singleWebSocketRequest(WebSocketRequest.create(url), flow,
            ConnectionContext.noEncryption(), Optional.empty(), settings, system.log(), materializer);
    WsConnection connection = new WsConnection(started.second().second(), started.second().first());
    return started.first().thenCompose(upgrade -> {
      if (upgrade.response().status().equals(StatusCodes.SWITCHING_PROTOCOLS)) {
        return CompletableFuture.completedFuture(connection);
      }
      connection.close();
      return CompletableFuture.failedFuture(new IllegalStateException("upgrade refused: " + upgrade.response().status()));
    });
  }

  private static CompletionStage<String> textOf(TextMessage message, Materializer materializer) {
    if (message.isStrict()) {
      return CompletableFuture.completedFuture(message.getStrictText());
    }
    return message.toStrict(STRICT_TIMEOUT.toMillis(), materializer).thenApply(TextMessage::getStrictText);
  }

  /** Queues a text frame; false if the connection is closed or its buffer is full. */
  public boolean send(String text) {
    return out.offer(TextMessage.create(text)) == QueueOfferResult.enqueued();
  }

  /** Completes when the server side of the connection ended. */
  public CompletionStage<Done> closed() {
    return closed;
  }

  public void close() {
    out.complete();
  }
}
