package chat.edge.http;

import static chat.edge.ApiClient.JSON;
import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Text with a lone surrogate ({@code \ud800}: valid JSON, but not writable as UTF-8) is refused
 * where it comes in, in every field, and never disturbs another user's messages.
 */
class MalformedTextTest extends RoomTestBase {

  /** A JSON string literal holding a lone high surrogate, as a client would send it. */
  private static final String LONE = "\"bad \\ud800 text\"";

  private static void assertRefused(String field, Response response) {
    assertStatus(400, response);
    assertEquals("VALIDATION_FAILED", response.errorCode(), response::toString);
    assertEquals(field, response.json().get("error").get("field").asText(), response::toString);
  }

  @Test
  void everyUserFieldRefusesALoneSurrogate() {
    String id = ApiClient.uniqueId("mt");
    String email = "\"" + ApiClient.emailOf(id) + "\"";
    String password = "\"" + ApiClient.PASSWORD + "\"";
    String user = "\"" + id + "\"";
    assertRefused("name", api.sendText("POST", "/api/users", null, JSON,
        "{\"userId\":" + user + ",\"password\":" + password + ",\"name\":" + LONE + ",\"email\":" + email + "}"));
    assertRefused("password", api.sendText("POST", "/api/users", null, JSON,
        "{\"userId\":" + user + ",\"password\":\"longenough\\udc00\",\"name\":\"N\",\"email\":" + email + "}"));
    assertRefused("userId", api.sendText("POST", "/api/auth/login", null, JSON,
        "{\"userId\":" + LONE + ",\"password\":" + password + "}"));

    User alice = newUser("mt");
    assertRefused("name", api.sendText("PATCH", "/api/users/me", alice.token(), JSON, "{\"name\":" + LONE + "}"));
    assertRefused("statusMessage",
        api.sendText("PATCH", "/api/users/me", alice.token(), JSON, "{\"statusMessage\":" + LONE + "}"));
    assertRefused("userId", api.sendText("POST", "/api/friends", alice.token(), JSON, "{\"userId\":" + LONE + "}"));
    // The profile is unchanged and still readable.
    assertStatus(200, api.me(alice.token()));
  }

  @Test
  void everyRoomFieldRefusesALoneSurrogate() {
    User alice = newUser("mt");
    User bob = newUser("mt");
    befriend(alice, bob);
    assertRefused("name", api.sendText("POST", "/api/rooms", alice.token(), JSON,
        "{\"name\":" + LONE + ",\"members\":[\"" + bob.id() + "\"]}"));
    assertRefused("members", api.sendText("POST", "/api/rooms", alice.token(), JSON,
        "{\"members\":[" + LONE + "]}"));
    String roomId = roomIdOf(createRoom(alice, "fine", bob));
    String messages = "/api/rooms/" + roomId + "/messages";
    assertRefused("text", api.sendText("POST", messages, alice.token(), JSON,
        "{\"clientMsgId\":\"x\",\"text\":" + LONE + "}"));
    assertRefused("clientMsgId", api.sendText("POST", messages, alice.token(), JSON,
        "{\"clientMsgId\":" + LONE + ",\"text\":\"hi\"}"));
    assertRefused("userId", api.sendText("POST", "/api/rooms/" + roomId + "/members", alice.token(), JSON,
        "{\"userId\":" + LONE + "}"));
    assertEquals(0, room(alice, roomId).get("lastSeq").asLong(), "nothing was stored");
  }

  @Test
  void poisonedPostsDoNotFailAnotherMembersPostsSentAtTheSameTime() {
    User attacker = newUser("mt");
    User victim = newUser("mt");
    befriend(attacker, victim);
    String roomId = roomIdOf(createRoom(attacker, "shared", victim));
    String messages = "/api/rooms/" + roomId + "/messages";

    List<CompletableFuture<Response>> poisoned = new ArrayList<>();
    List<CompletableFuture<Response>> honest = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      poisoned.add(api.postTextAsync(messages, attacker.token(), "{\"clientMsgId\":\"p" + i + "\",\"text\":" + LONE + "}"));
      honest.add(api.sendMessageAsync(victim.token(), roomId, "h" + i, "honest " + i));
    }
    poisoned.forEach(future -> assertRefused("text", future.join()));
    TreeSet<Long> seqs = new TreeSet<>();
    for (CompletableFuture<Response> future : honest) {
      Response response = future.join();
      assertStatus(201, response);
      seqs.add(response.json().get("seq").asLong());
    }
    assertEquals(40, seqs.size());
    assertEquals(List.of(1L, 40L), List.of(seqs.first(), seqs.last()), "the honest posts hold seqs 1 to 40");
  }

  @Test
  void aWebSocketFrameWithALoneSurrogateIsRefusedAndTheConnectionGoesOn() throws Exception {
    User alice = newUser("mt");
    User bob = newUser("mt");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "ws", bob));
    try (WsClient ws = WsClient.connect(node.baseUrl(), alice.token())) {
      ws.sendText("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"c1\",\"text\":" + LONE + "}");
      JsonNode error = ws.next("error");
      assertEquals("BAD_FRAME", error.get("code").asText());
      assertEquals("c1", error.get("ref").asText());
      assertTrue(error.get("message").asText().contains("text"), error::toString);

      ws.sendText("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":" + LONE + ",\"text\":\"hi\"}");
      JsonNode noRef = ws.next("error");
      assertEquals(roomId, noRef.get("ref").asText(), "a ref that cannot be sent back is replaced by the roomId");

      ws.sendText("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"c2\",\"text\":\"fine\"}");
      assertEquals(1, ws.next("ack").get("seq").asLong());
    }
  }
}
