package chat.edge.http;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.OwnNode;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-client limits on a node that keeps them (small, so the tests reach them at once), with
 * client addresses taken from X-Forwarded-For so one test can be many clients.
 */
class LimitsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final OwnNode node = new OwnNode(Map.of(
        "chat.limits.client-address", "x-forwarded-for",
        "chat.limits.send-burst", 10,
        "chat.limits.sends-per-second", 0.01,
        "chat.limits.login-failures-per-address.burst", 5,
        "chat.limits.login-failures-per-account.burst", 8,
        "chat.limits.registrations-per-address.burst", 3,
        "chat.websocket.frame-burst", 5,
        "chat.websocket.frames-per-second", 0.01));

  private static Response postFrom(String address, String path, JsonNode body) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", "198.51.100.1, " + address)
        .POST(BodyPublishers.ofString(body.toString())).build(), BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  private static void assertRateLimited(Response response) {
    assertStatus(429, response);
    assertEquals("RATE_LIMITED", response.errorCode(), response::toString);
    long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, response::toString);
  }

  private static String registered(String address) throws Exception {
    String id = ApiClient.uniqueId("lim");
    assertStatus(201, postFrom(address, "/api/users", ApiClient.registration(id)));
    return id;
  }

  private static JsonNode login(String userId, String password) {
    return json("userId", userId, "password", password);
  }

  @Test
  void restAndWebSocketSendsShareOneBudgetPerUser() throws Exception {
    String alice = registered("203.0.113.1");
    String bob = registered("203.0.113.1");
    String aliceToken = node.api().loggedIn(alice).accessToken();
    String bobToken = node.api().loggedIn(bob).accessToken();
    assertStatus(201, node.api().addFriend(aliceToken, bob));
    var body = json("name", "limits");
    body.putArray("members").add(bob);
    String roomId = assertStatus(201, node.api().post("/api/rooms", aliceToken, body)).json().get("roomId").asText();

    for (int i = 0; i < 9; i++) {
      assertStatus(201, node.api().sendMessage(aliceToken, roomId, "r" + i, "rest " + i));
    }
    try (WsClient ws = WsClient.connect(node.baseUrl(), aliceToken)) {
      ws.send(json("type", "send", "roomId", roomId, "clientMsgId", "w1", "text", "the tenth"));
      assertEquals(10, ws.next("ack").get("seq").asLong());
      ws.send(json("type", "send", "roomId", roomId, "clientMsgId", "w2", "text", "one too many"));
      JsonNode refused = ws.next("error");
      assertEquals("RATE_LIMITED", refused.get("code").asText());
      assertEquals("w2", refused.get("ref").asText());
    }
    assertRateLimited(node.api().sendMessage(aliceToken, roomId, "r-late", "over the budget"));
    assertStatus(201, node.api().sendMessage(bobToken, roomId, "b1", "another user is not concerned"));
  }

  @Test
  void failedLoginsAreThrottledPerAddressWithoutLockingTheOwnerOut() throws Exception {
    String carol = registered("203.0.113.2");
    for (int i = 0; i < 5; i++) {
      assertStatus(401, postFrom("192.0.2.66", "/api/auth/login", login(carol, "wrong-password-" + i)));
    }
    assertRateLimited(postFrom("192.0.2.66", "/api/auth/login", login(carol, "wrong-password-again")));
    assertRateLimited(postFrom("192.0.2.66", "/api/auth/login", login(carol, ApiClient.PASSWORD)));
    assertStatus(200, postFrom("192.0.2.10", "/api/auth/login", login(carol, ApiClient.PASSWORD)));
  }

  @Test
  void failedLoginsFromManyAddressesThrottleTheAccount() throws Exception {
    String dave = registered("203.0.113.3");
    for (int i = 0; i < 8; i++) {
      assertStatus(401, postFrom("192.0.2." + (100 + i), "/api/auth/login", login(dave, "wrong-password")));
    }
    assertRateLimited(postFrom("192.0.2.200", "/api/auth/login", login(dave, "wrong-password")));
  }

  @Test
  void registrationsAreThrottledPerAddress() throws Exception {
    for (int i = 0; i < 3; i++) {
      registered("203.0.113.50");
    }
    assertRateLimited(postFrom("203.0.113.50", "/api/users", ApiClient.registration(ApiClient.uniqueId("lim"))));
    registered("203.0.113.51");
  }

  @Test
  void subscribeAndOtherRoomFramesAreLimitedPerConnection() throws Exception {
    String erin = registered("203.0.113.4");
    try (WsClient ws = WsClient.connect(node.baseUrl(), node.api().loggedIn(erin).accessToken())) {
      String unknownRoom = "00000000-0000-4000-8000-000000000000";
      for (int i = 0; i < 5; i++) {
        ws.send(json("type", "unsubscribe", "roomId", unknownRoom));
        assertEquals("unsubscribed", ws.next().get("type").asText());
      }
      ws.send(json("type", "subscribe", "roomId", unknownRoom));
      JsonNode refused = ws.next("error");
      assertEquals("RATE_LIMITED", refused.get("code").asText());
      ws.send(json("type", "ping"));
      assertEquals("pong", ws.next("pong").get("type").asText(), "ping is never limited");
    }
  }
}
