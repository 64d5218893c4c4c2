package chat.edge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client as a browser's EventSource reads a stream: events (type and data)
 * queued as they arrive, read by the test's thread. {@link #close} goes away as a closed tab does.
 */
public final class SseClient implements AutoCloseable {

  /** One event: {@code type} from its {@code event:} line, {@code data} its data lines joined. */
  public record Event(String type, String data) {
    public JsonNode json() {
      try {
        return ApiClient.MAPPER.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("event data is not JSON: " + data, e);
      }
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile int comments;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code url}; the answer's status and headers are there at once, events as they come. */
  public static SseClient open(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET().build();
    try {
      return new SseClient(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The next event of this type (others are skipped), or fails after {@code deadline}. */
  public Event next(String type, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Event event = events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no '" + type + "' event within " + deadline.toMillis() + " ms");
      }
      if (event.type().equals(type)) {
        return event;
      }
    }
  }

  /** Forgets the events received so far. */
  public void drain() {
    events.clear();
  }

  /** Comment lines (keep-alives) received so far. */
  public int comments() {
    return comments;
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(type, data.toString()));
          }
          type = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments++;
        } else if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (IOException e) {
      // closed by the test, or the server ended the stream
    }
  }

  /** Leaves the stream as a closed tab does: the connection goes. */
  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
