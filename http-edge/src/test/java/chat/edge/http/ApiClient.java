package chat.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A small client for the REST API as a client author would write it: real HTTP, JSON bodies,
 * plus the assertions the contract makes about every response.
 */
final class ApiClient {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String PASSWORD = "correct-horse-battery";
  static final String JSON = "application/json";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String baseUrl;

  ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A response with its body as text; {@link #json()} parses it. */
  record Response(int status, HttpHeaders headers, String body) {

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("response body is not JSON: " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  record Tokens(String accessToken, String refreshToken) {}

  /** A userId no other test uses: {@code prefix} plus a counter. */
  static String uniqueId(String prefix) {
    return prefix + "_" + COUNTER.incrementAndGet();
  }

  /** A userId of the minimum length, 3 characters, that no other test uses. */
  static String uniqueShortId() {
    String n = Integer.toString(COUNTER.incrementAndGet() % (36 * 36), 36);
    return "s" + (n.length() == 1 ? "0" + n : n);
  }

  static ObjectNode json(String... keysAndValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return node;
  }

  static ObjectNode registration(String userId) {
    return json("userId", userId, "password", PASSWORD, "name", "Name of " + userId,
        "email", emailOf(userId));
  }

  static String emailOf(String userId) {
    return userId.replaceAll("[^A-Za-z0-9]", "").toLowerCase() + "@example.com";
  }

  // ---- raw requests ----

  Response send(String method, String path, String authorization, String contentType, BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(REQUEST_TIMEOUT)
        .method(method, body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      java.net.http.HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response sendText(String method, String path, String accessToken, String contentType, String body) {
    return send(method, path, bearer(accessToken), contentType,
        body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
  }

  Response sendJson(String method, String path, String accessToken, JsonNode body) {
    return sendText(method, path, accessToken, JSON, body.toString());
  }

  Response get(String path, String accessToken) {
    return sendText("GET", path, accessToken, null, null);
  }

  Response delete(String path, String accessToken) {
    return sendText("DELETE", path, accessToken, null, null);
  }

  Response post(String path, String accessToken, JsonNode body) {
    return sendJson("POST", path, accessToken, body);
  }

  Response patch(String path, String accessToken, JsonNode body) {
    return sendJson("PATCH", path, accessToken, body);
  }

  private static String bearer(String accessToken) {
    return accessToken == null ? null : "Bearer " + accessToken;
  }

  // ---- flows ----

  /** Registers {@code userId} with {@link #registration} and asserts 201. */
  JsonNode register(String userId) {
    Response response = post("/api/users", null, registration(userId));
    assertStatus(201, response);
    return response.json();
  }

  Tokens login(String userId) {
    Response response = post("/api/auth/login", null, json("userId", userId, "password", PASSWORD));
    assertStatus(200, response);
    JsonNode body = response.json();
    return new Tokens(body.get("accessToken").asText(), body.get("refreshToken").asText());
  }

  /** A new user, logged in. */
  Tokens newUser(String userId) {
    register(userId);
    return login(userId);
  }

  // ---- assertions ----

  static void assertStatus(int expected, Response response) {
    assertEquals(expected, response.status(), () -> "unexpected response: " + response);
  }

  /** A successful JSON response with exactly these top-level fields. */
  static JsonNode assertJson(int status, Response response, String... fields) {
    assertStatus(status, response);
    assertTrue(response.contentType().startsWith(JSON), () -> "content type of " + response + ": " + response.contentType());
    JsonNode body = response.json();
    assertTrue(body.isObject(), () -> "not an object: " + response);
    assertEquals(Set.of(fields), fieldNames(body), () -> "fields of " + response);
    return body;
  }

  /** The contract's error shape with this status and code. */
  static JsonNode assertError(int status, String code, Response response) {
    JsonNode error = assertErrorShape(status, response);
    assertEquals(code, error.get("code").asText(), () -> "code of " + response);
    return error;
  }

  /** The contract's error shape with this status, code and field. */
  static JsonNode assertError(int status, String code, String field, Response response) {
    JsonNode error = assertErrorShape(status, response);
    assertEquals(code, error.get("code").asText(), () -> "code of " + response);
    assertNotNull(error.get("field"), () -> "field " + field + " expected in " + response);
    assertEquals(field, error.get("field").asText(), () -> "field of " + response);
    return error;
  }

  /**
   * {@code {"error":{"code":"SNAKE_CASE","message":"…","field"?:"…"}}} as application/json, with
   * the given status; returns the inner object.
   */
  static JsonNode assertErrorShape(int status, Response response) {
    assertStatus(status, response);
    assertTrue(response.contentType().startsWith(JSON),
        () -> "error content type " + response.contentType() + " of " + response);
    assertFalse(response.body().contains("Exception") || response.body().contains("\tat "),
        () -> "stack trace in " + response);
    JsonNode body = response.json();
    assertEquals(Set.of("error"), fieldNames(body), () -> "top level of " + response);
    JsonNode error = body.get("error");
    assertTrue(error.isObject(), () -> "error is not an object: " + response);
    Set<String> names = fieldNames(error);
    assertTrue(names.contains("code") && names.contains("message"), () -> "code and message in " + response);
    names.removeAll(Set.of("code", "message", "field"));
    assertTrue(names.isEmpty(), () -> "unexpected error fields " + names + " in " + response);
    assertTrue(error.get("code").isTextual() && error.get("code").asText().matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"),
        () -> "code is not SNAKE_CASE: " + response);
    assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(),
        () -> "message is not text: " + response);
    if (error.has("field")) {
      assertTrue(error.get("field").isTextual() && !error.get("field").asText().isBlank(),
          () -> "field is not text: " + response);
    }
    return error;
  }

  /** A 401 in the error shape that names the Bearer scheme. */
  static JsonNode assertUnauthorized(Response response) {
    JsonNode error = assertErrorShape(401, response);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer"), () -> "WWW-Authenticate of " + response + ": " + challenge);
    return error;
  }

  static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** Polls {@code condition} for up to ten seconds; for state that other entities sync asynchronously. */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 10 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
