package chat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** JSON over HTTP/1.1 keep-alive connections to one node's REST API. */
public final class RestClient {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  public RestClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }

  public Response post(String path, String accessToken, String jsonBody) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(jsonBody));
    if (accessToken != null) {
      request.header("Authorization", "Bearer " + accessToken);
    }
    return send(request.build());
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build());
  }

  /** Like {@link #post} but fails unless the answer has the expected status. */
  public JsonNode expect(int status, String path, String accessToken, String jsonBody) {
    Response response = post(path, accessToken, jsonBody);
    if (response.status() != status) {
      throw new IllegalStateException("POST " + path + ": expected " + status + ", got " + response.status()
          + " " + response.body());
    }
    return response.json();
  }

  private Response send(HttpRequest request) {
    try {
      var response = http.send(request, BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A JSON string literal; the bench's own ids and texts need no escaping beyond this. */
  static String quote(String value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
