package chat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of one node's REST API as a client author would write it: real HTTP, JSON bodies, plus
 * the assertions the contract makes about every response.
 *
 * <p>Endpoint methods ({@link #register}, {@link #login}, {@link #addFriend}, …) and the raw
 * {@link #send} family return the response as it came and assert nothing; the flows
 * ({@link #registered}, {@link #loggedIn}, {@link #newUser}, {@link #friendIds}) assert that the
 * call succeeded and return what it produced.
 */
public final class ApiClient {

  public static final ObjectMapper MAPPER = new ObjectMapper();
  /** The password of every user that {@link #registration} describes. */
  public static final String PASSWORD = "correct-horse-battery";
  public static final String JSON = "application/json";
  /** The contract's timestamp: ISO-8601 UTC with milliseconds. */
  public static final String TIMESTAMP_PATTERN = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  /** A roomId: a UUID in its canonical lower-case form. */
  public static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final String baseUrl;

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public String toString() {
    return baseUrl;
  }

  /** A response with its body as text; {@link #json()} parses it. */
  public record Response(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("response body is not JSON: " + body, e);
      }
    }

    /** The text of a top-level field, which must be there. */
    public String text(String field) {
      JsonNode value = json().get(field);
      if (value == null || !value.isTextual()) {
        throw new AssertionError("no text field '" + field + "' in " + this);
      }
      return value.asText();
    }

    /** The {@code error.code} of an error response, or null. */
    public String errorCode() {
      return json().path("error").path("code").asText(null);
    }

    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public record Tokens(String accessToken, String refreshToken) {}

  // ---- test data ----

  /** A userId no other test uses: {@code prefix} plus a counter. */
  public static String uniqueId(String prefix) {
    return prefix + "_" + COUNTER.incrementAndGet();
  }

  /** A userId of the minimum length, 3 characters, that no other test uses. */
  public static String uniqueShortId() {
    String n = Integer.toString(COUNTER.incrementAndGet() % (36 * 36), 36);
    return "s" + (n.length() == 1 ? "0" + n : n);
  }

  public static ObjectNode json(String... keysAndValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return node;
  }

  /** A valid registration of {@code userId} with {@link #PASSWORD}. */
  public static ObjectNode registration(String userId) {
    return json("userId", userId, "password", PASSWORD, "name", "Name of " + userId,
        "email", emailOf(userId));
  }

  public static String emailOf(String userId) {
    return userId.replaceAll("[^A-Za-z0-9]", "").toLowerCase() + "@example.com";
  }

  // ---- raw requests ----

  public Response send(String method, String path, String authorization, String contentType, BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return execute(request);
  }

  public Response sendText(String method, String path, String accessToken, String contentType, String body) {
    return send(method, path, bearer(accessToken), contentType,
        body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
  }

  public Response sendJson(String method, String path, String accessToken, JsonNode body) {
    return sendText(method, path, accessToken, JSON, body.toString());
  }

  public Response get(String path, String accessToken) {
    return sendText("GET", path, accessToken, null, null);
  }

  /** The value of one sample on this node's {@code GET /metrics}, e.g. {@code name{label="x"}}. */
  public double metric(String sample) {
    String prefix = sample + " ";
    return assertStatus(200, get("/metrics", null), "GET /metrics").body().lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + sample + " on /metrics"));
  }

  public Response delete(String path, String accessToken) {
    return sendText("DELETE", path, accessToken, null, null);
  }

  public Response post(String path, String accessToken, JsonNode body) {
    return sendJson("POST", path, accessToken, body);
  }

  public Response patch(String path, String accessToken, JsonNode body) {
    return sendJson("PATCH", path, accessToken, body);
  }

  /** A plain GET of an absolute URL, e.g. a management endpoint. */
  public static Response getUrl(String url) {
    return execute(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** The same request as {@link #post}, without waiting for the answer. */
  public CompletableFuture<Response> postAsync(String path, String accessToken, JsonNode body) {
    return postTextAsync(path, accessToken, body.toString());
  }

  /** A JSON body written by hand (escapes a JsonNode would not write), without waiting for the answer. */
  public CompletableFuture<Response> postTextAsync(String path, String accessToken, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .POST(BodyPublishers.ofString(body))
        .header("Authorization", bearer(accessToken))
        .header("Content-Type", JSON)
        .timeout(REQUEST_TIMEOUT)
        .build();
    return HTTP.sendAsync(request, BodyHandlers.ofString())
        .thenApply(response -> new Response(response.statusCode(), response.headers(), response.body()));
  }

  private static String bearer(String accessToken) {
    return accessToken == null ? null : "Bearer " + accessToken;
  }

  private static Response execute(HttpRequest.Builder builder) {
    HttpRequest request = builder.timeout(REQUEST_TIMEOUT).build();
    try {
      HttpResponse<String> response = HTTP.send(request, BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // ---- endpoints ----

  public Response register(String userId, String password, String name, String email) {
    return post("/api/users", null, json("userId", userId, "password", password, "name", name, "email", email));
  }

  public Response login(String userId, String password) {
    return post("/api/auth/login", null, json("userId", userId, "password", password));
  }

  public Response refresh(String refreshToken) {
    return post("/api/auth/refresh", null, json("refreshToken", refreshToken));
  }

  public Response logout(String accessToken, String refreshToken) {
    return post("/api/auth/logout", accessToken, json("refreshToken", refreshToken));
  }

  public Response me(String accessToken) {
    return get("/api/users/me", accessToken);
  }

  public Response updateMe(String accessToken, JsonNode changes) {
    return patch("/api/users/me", accessToken, changes);
  }

  public Response user(String accessToken, String userId) {
    return get("/api/users/" + userId, accessToken);
  }

  public Response friends(String accessToken) {
    return get("/api/friends", accessToken);
  }

  public Response addFriend(String accessToken, String userId) {
    return post("/api/friends", accessToken, json("userId", userId));
  }

  public Response removeFriend(String accessToken, String userId) {
    return delete("/api/friends/" + userId, accessToken);
  }

  /** {@code POST /api/rooms}; a null name is left out of the body. */
  public Response createRoom(String accessToken, String name, String... members) {
    ObjectNode body = json();
    if (name != null) {
      body.put("name", name);
    }
    ArrayNode list = body.putArray("members");
    for (String member : members) {
      list.add(member);
    }
    return post("/api/rooms", accessToken, body);
  }

  public Response rooms(String accessToken) {
    return get("/api/rooms", accessToken);
  }

  public Response room(String accessToken, String roomId) {
    return get("/api/rooms/" + roomId, accessToken);
  }

  public Response invite(String accessToken, String roomId, String userId) {
    return post("/api/rooms/" + roomId + "/members", accessToken, json("userId", userId));
  }

  public Response leave(String accessToken, String roomId) {
    return delete("/api/rooms/" + roomId + "/members/me", accessToken);
  }

  public Response sendMessage(String accessToken, String roomId, String clientMsgId, String text) {
    return post("/api/rooms/" + roomId + "/messages", accessToken, json("clientMsgId", clientMsgId, "text", text));
  }

  public CompletableFuture<Response> sendMessageAsync(String accessToken, String roomId, String clientMsgId, String text) {
    return postAsync("/api/rooms/" + roomId + "/messages", accessToken, json("clientMsgId", clientMsgId, "text", text));
  }

  /** {@code GET /api/rooms/{roomId}/messages?query}; an empty query asks for the newest page. */
  public Response history(String accessToken, String roomId, String query) {
    return get("/api/rooms/" + roomId + "/messages" + (query.isEmpty() ? "" : "?" + query), accessToken);
  }

  public Response markRead(String accessToken, String roomId, long seq) {
    return post("/api/rooms/" + roomId + "/read", accessToken, json().put("seq", seq));
  }

  // ---- flows ----

  /** Registers {@code userId} with {@link #registration} and asserts 201; returns the new user. */
  public JsonNode registered(String userId) {
    Response response = post("/api/users", null, registration(userId));
    assertStatus(201, response);
    return response.json();
  }

  /** Logs in a user registered with {@link #PASSWORD} and asserts 200. */
  public Tokens loggedIn(String userId) {
    Response response = login(userId, PASSWORD);
    assertStatus(200, response);
    JsonNode body = response.json();
    return new Tokens(body.get("accessToken").asText(), body.get("refreshToken").asText());
  }

  /** The test node's operator ({@link TestNode#OPERATOR}), registered on first use, logged in. */
  public Tokens operator() {
    if (login(TestNode.OPERATOR, PASSWORD).status() != 200) {
      registered(TestNode.OPERATOR);
    }
    return loggedIn(TestNode.OPERATOR);
  }

  /** A new user, logged in. */
  public Tokens newUser(String userId) {
    registered(userId);
    return loggedIn(userId);
  }

  /** The userIds of the caller's friends, in the order the node lists them; asserts 200. */
  public List<String> friendIds(String accessToken) {
    Response response = assertStatus(200, friends(accessToken), "GET /api/friends");
    List<String> ids = new ArrayList<>();
    response.json().path("friends").forEach(f -> ids.add(f.path("userId").asText()));
    return ids;
  }

  /** Creates a room and asserts 201 and the room's shape; returns the room. */
  public JsonNode createdRoom(String accessToken, String name, String... members) {
    return assertRoom(assertStatus(201, createRoom(accessToken, name, members), "POST /api/rooms").json());
  }

  /** Sends a new message and asserts 201 and the message's shape; returns the message. */
  public JsonNode sent(String accessToken, String roomId, String clientMsgId, String text) {
    return assertMessage(assertStatus(201, sendMessage(accessToken, roomId, clientMsgId, text),
        "POST /api/rooms/" + roomId + "/messages").json());
  }

  /** The roomIds of the caller's rooms, in the order the node lists them; asserts 200. */
  public List<String> roomIds(String accessToken) {
    Response response = assertStatus(200, rooms(accessToken), "GET /api/rooms");
    List<String> ids = new ArrayList<>();
    response.json().path("rooms").forEach(r -> ids.add(r.path("roomId").asText()));
    return ids;
  }

  // ---- assertions ----

  public static Response assertStatus(int expected, Response response) {
    assertEquals(expected, response.status(), () -> "unexpected response: " + response);
    return response;
  }

  /** The status, with {@code what} was asked for in the failure message. */
  public static Response assertStatus(int expected, Response response, String what) {
    assertEquals(expected, response.status(), () -> what + ": " + response);
    return response;
  }

  /** A successful JSON response with exactly these top-level fields. */
  public static JsonNode assertJson(int status, Response response, String... fields) {
    assertStatus(status, response);
    assertTrue(response.contentType().startsWith(JSON), () -> "content type of " + response + ": " + response.contentType());
    JsonNode body = response.json();
    assertTrue(body.isObject(), () -> "not an object: " + response);
    assertEquals(Set.of(fields), fieldNames(body), () -> "fields of " + response);
    return body;
  }

  /** The contract's error shape with this status and code. */
  public static JsonNode assertError(int status, String code, Response response) {
    JsonNode error = assertErrorShape(status, response);
    assertEquals(code, error.get("code").asText(), () -> "code of " + response);
    return error;
  }

  /** The contract's error shape with this status, code and field. */
  public static JsonNode assertError(int status, String code, String field, Response response) {
    JsonNode error = assertError(status, code, response);
    assertNotNull(error.get("field"), () -> "field " + field + " expected in " + response);
    assertEquals(field, error.get("field").asText(), () -> "field of " + response);
    return error;
  }

  /**
   * {@code {"error":{"code":"SNAKE_CASE","message":"…","field"?:"…"}}} as application/json, with
   * the given status; returns the inner object.
   */
  public static JsonNode assertErrorShape(int status, Response response) {
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
  public static JsonNode assertUnauthorized(Response response) {
    JsonNode error = assertErrorShape(401, response);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer"), () -> "WWW-Authenticate of " + response + ": " + challenge);
    return error;
  }

  /**
   * A room as the contract shapes it: {@code roomId} a UUID, {@code members} a list of distinct
   * userIds, {@code lastMessage} a message or null; returns it.
   */
  public static JsonNode assertRoom(JsonNode room) {
    assertTrue(room.isObject(), () -> "room is not an object: " + room);
    assertEquals(Set.of("roomId", "name", "members", "createdBy", "createdAt", "lastSeq", "lastMessage", "unread"),
        fieldNames(room), () -> "fields of room " + room);
    assertTrue(room.get("roomId").isTextual() && room.get("roomId").asText().matches(UUID_PATTERN),
        () -> "roomId of " + room);
    assertTrue(room.get("name").isTextual(), () -> "name of " + room);
    assertTrue(room.get("members").isArray(), () -> "members of " + room);
    Set<String> members = new HashSet<>();
    room.get("members").forEach(m -> {
      assertTrue(m.isTextual(), () -> "member " + m + " of " + room);
      assertTrue(members.add(m.asText()), () -> "member " + m + " twice in " + room);
    });
    assertTrue(room.get("createdBy").isTextual(), () -> "createdBy of " + room);
    assertTrue(room.get("createdAt").isTextual() && room.get("createdAt").asText().matches(TIMESTAMP_PATTERN),
        () -> "createdAt of " + room);
    assertTrue(room.get("lastSeq").isIntegralNumber() && room.get("lastSeq").asLong() >= 0, () -> "lastSeq of " + room);
    assertTrue(room.get("unread").isIntegralNumber() && room.get("unread").asLong() >= 0, () -> "unread of " + room);
    JsonNode last = room.get("lastMessage");
    if (room.get("lastSeq").asLong() == 0) {
      assertTrue(last.isNull(), () -> "lastMessage of a room without messages: " + room);
    } else {
      assertMessage(last);
      assertEquals(room.get("lastSeq").asLong(), last.get("seq").asLong(), () -> "lastMessage of " + room);
      assertEquals(room.get("roomId").asText(), last.get("roomId").asText(), () -> "lastMessage of " + room);
    }
    return room;
  }

  /** A message as the contract shapes it; returns it. */
  public static JsonNode assertMessage(JsonNode message) {
    assertTrue(message.isObject(), () -> "message is not an object: " + message);
    assertEquals(Set.of("roomId", "seq", "senderId", "text", "sentAt", "clientMsgId"), fieldNames(message),
        () -> "fields of message " + message);
    assertTrue(message.get("roomId").isTextual() && message.get("roomId").asText().matches(UUID_PATTERN),
        () -> "roomId of " + message);
    assertTrue(message.get("seq").isIntegralNumber() && message.get("seq").asLong() >= 1, () -> "seq of " + message);
    assertTrue(message.get("senderId").isTextual(), () -> "senderId of " + message);
    assertTrue(message.get("text").isTextual(), () -> "text of " + message);
    assertTrue(message.get("sentAt").isTextual() && message.get("sentAt").asText().matches(TIMESTAMP_PATTERN),
        () -> "sentAt of " + message);
    assertTrue(message.get("clientMsgId").isTextual(), () -> "clientMsgId of " + message);
    return message;
  }

  public static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
