package chat.edge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A client of one node's REST API over real HTTP; every call returns the status and the parsed body. */
final class Api {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** A response: its status, its body as JSON (a missing node when empty or not JSON) and as text. */
  record Response(int status, JsonNode json, String body) {

    String text(String field) {
      JsonNode value = json.get(field);
      if (value == null || !value.isTextual()) {
        throw new AssertionError("no text field '" + field + "' in " + status + " " + body);
      }
      return value.asText();
    }

    String errorCode() {
      return json.path("error").path("code").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final String baseUrl;

  Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public String toString() {
    return baseUrl;
  }

  Response register(String userId, String password, String name, String email) {
    return send("POST", "/api/users", null,
        object().put("userId", userId).put("password", password).put("name", name).put("email", email));
  }

  Response login(String userId, String password) {
    return send("POST", "/api/auth/login", null, object().put("userId", userId).put("password", password));
  }

  Response refresh(String refreshToken) {
    return send("POST", "/api/auth/refresh", null, object().put("refreshToken", refreshToken));
  }

  Response me(String accessToken) {
    return send("GET", "/api/users/me", accessToken, null);
  }

  Response setStatusMessage(String accessToken, String statusMessage) {
    return send("PATCH", "/api/users/me", accessToken, object().put("statusMessage", statusMessage));
  }

  Response user(String accessToken, String userId) {
    return send("GET", "/api/users/" + userId, accessToken, null);
  }

  Response friends(String accessToken) {
    return send("GET", "/api/friends", accessToken, null);
  }

  Response addFriend(String accessToken, String userId) {
    return send("POST", "/api/friends", accessToken, object().put("userId", userId));
  }

  /** The userIds of the caller's friends, in the order the node lists them. */
  List<String> friendIds(String accessToken) {
    Response r = friends(accessToken);
    if (r.status() != 200) {
      throw new AssertionError("GET /api/friends: " + r);
    }
    List<String> ids = new ArrayList<>();
    r.json().path("friends").forEach(f -> ids.add(f.path("userId").asText()));
    return ids;
  }

  /** A plain GET of an absolute URL, e.g. a management endpoint. */
  static Response get(String url) {
    return execute(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  private Response send(String method, String path, String accessToken, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
    if (accessToken != null) {
      request.header("Authorization", "Bearer " + accessToken);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return execute(request.build());
  }

  private static Response execute(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), parse(response.body()), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MAPPER.missingNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      return MAPPER.missingNode();
    }
  }
}
