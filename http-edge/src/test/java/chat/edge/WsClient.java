package chat.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client for tests: frames arrive in a queue, the close code in a future. */
public final class WsClient implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  /** Frames passed over by {@link #next(String)}, still to be read in order. */
  private final Deque<JsonNode> passedOver = new ArrayDeque<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;
  private volatile boolean paused;

  private WsClient(String baseUrl, String accessToken, String origin) throws Exception {
    String url = baseUrl.replaceFirst("^http", "ws") + "/ws?access_token=" + accessToken;
    WebSocket.Builder builder = HTTP.newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    this.socket = builder.buildAsync(URI.create(url), new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  public static WsClient connect(String baseUrl, String accessToken) throws Exception {
    return new WsClient(baseUrl, accessToken, null);
  }

  /** As a browser page of {@code origin} would connect. */
  public static WsClient connect(String baseUrl, String accessToken, String origin) throws Exception {
    return new WsClient(baseUrl, accessToken, origin);
  }

  public void send(ObjectNode frame) {
    sendText(frame.toString());
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next frame; fails if none comes in time. */
  public JsonNode next() throws InterruptedException {
    if (!passedOver.isEmpty()) {
      return passedOver.pollFirst();
    }
    JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + WAIT);
    }
    return frame;
  }

  /**
   * The next frame of this type. Frames of other types stay to be read by later calls, in order:
   * frames of different kinds may interleave (a message can arrive before its ack).
   */
  public JsonNode next(String type) throws InterruptedException {
    for (Iterator<JsonNode> it = passedOver.iterator(); it.hasNext(); ) {
      JsonNode frame = it.next();
      if (type.equals(frame.path("type").asText())) {
        it.remove();
        return frame;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (frame != null) {
        if (type.equals(frame.path("type").asText())) {
          return frame;
        }
        passedOver.addLast(frame);
      }
    }
    throw new AssertionError("no " + type + " frame within " + WAIT);
  }

  /** The next frame if one comes within {@code wait}, else null. */
  public JsonNode poll(Duration wait) throws InterruptedException {
    return passedOver.isEmpty() ? frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS) : passedOver.pollFirst();
  }

  /** The status code the server closed with. */
  public int closeCode() throws Exception {
    return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Stops reading after the frame being read: the server's frames wait in TCP buffers and then on
   * the server, as with a client on a slow network.
   */
  public void pauseReading() {
    paused = true;
  }

  public void resumeReading() {
    paused = false;
    socket.request(1);
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(ApiClient.MAPPER.readTree(partial.toString()));
        } catch (Exception e) {
          closed.completeExceptionally(new AssertionError("server sent a frame that is not JSON: " + partial));
        }
        partial.setLength(0);
      }
      if (!paused) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
