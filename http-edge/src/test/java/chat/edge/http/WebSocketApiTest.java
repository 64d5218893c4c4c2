package chat.edge.http;

import static chat.edge.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Tokens;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The WebSocket protocol over a real socket: every frame type and the errors that keep a connection open. */
class WebSocketApiTest extends NodeTestBase {

  private record Pair(String alice, Tokens aliceTokens, String bob, Tokens bobTokens, String roomId) {}

  /** Two friends and a room of theirs. */
  private static Pair pair() {
    String alice = ApiClient.uniqueId("wsa");
    String bob = ApiClient.uniqueId("wsb");
    Tokens a = api.newUser(alice);
    Tokens b = api.newUser(bob);
    ApiClient.assertStatus(201, api.addFriend(a.accessToken(), bob));
    JsonNode room = ApiClient.assertStatus(201, api.post("/api/rooms", a.accessToken(), roomBody(bob))).json();
    return new Pair(alice, a, bob, b, room.get("roomId").asText());
  }

  private static JsonNode roomBody(String member) {
    var body = json("name", "ws");
    body.putArray("members").add(member);
    return body;
  }

  private static WsClient connect(Tokens tokens) throws Exception {
    return WsClient.connect(node.baseUrl(), tokens.accessToken());
  }

  @Test
  void refusesTheUpgradeWithoutAValidToken() {
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> WsClient.connect(node.baseUrl(), "not-a-token"));
    WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
    assertEquals(401, handshake.getResponse().statusCode());
  }

  @Test
  void answersPing() throws Exception {
    Pair p = pair();
    try (WsClient ws = connect(p.aliceTokens())) {
      ws.send(json("type", "ping"));
      assertEquals("pong", ws.next("pong").get("type").asText());
    }
  }

  @Test
  void subscribersGetEachMessageAndTheSenderAnAck() throws Exception {
    Pair p = pair();
    try (WsClient alice = connect(p.aliceTokens()); WsClient bob = connect(p.bobTokens())) {
      for (WsClient ws : new WsClient[] {alice, bob}) {
        ws.send(json("type", "subscribe", "roomId", p.roomId()));
        JsonNode subscribed = ws.next("subscribed");
        assertEquals(p.roomId(), subscribed.get("roomId").asText());
        assertEquals(0, subscribed.get("lastSeq").asLong());
      }
      alice.send(json("type", "send", "roomId", p.roomId(), "clientMsgId", "c1", "text", "hello"));
      JsonNode ack = alice.next("ack");
      assertEquals("c1", ack.get("clientMsgId").asText());
      assertEquals(1, ack.get("seq").asLong());
      assertEquals(p.roomId(), ack.get("roomId").asText());
      for (WsClient ws : new WsClient[] {alice, bob}) {
        JsonNode message = ws.next("message");
        assertEquals(1, message.get("seq").asLong());
        assertEquals("hello", message.get("text").asText());
        assertEquals(p.alice(), message.get("senderId").asText());
        assertEquals(ack.get("sentAt").asText(), message.get("sentAt").asText());
      }
      // A retried send is acknowledged with the original seq and not delivered again.
      alice.send(json("type", "send", "roomId", p.roomId(), "clientMsgId", "c1", "text", "hello"));
      assertEquals(1, alice.next("ack").get("seq").asLong());
      bob.send(json("type", "ping"));
      assertEquals("pong", bob.next().get("type").asText(), "no second message before the pong");
    }
  }

  @Test
  void replaysWhatWasMissedAfterASeq() throws Exception {
    Pair p = pair();
    for (int i = 1; i <= 5; i++) {
      ApiClient.assertStatus(201, api.post("/api/rooms/" + p.roomId() + "/messages", p.aliceTokens().accessToken(),
          json("clientMsgId", "m" + i, "text", "text " + i)));
    }
    try (WsClient bob = connect(p.bobTokens())) {
      bob.send(json("type", "subscribe", "roomId", p.roomId()).put("afterSeq", 2));
      assertEquals(5, bob.next("subscribed").get("lastSeq").asLong());
      for (long seq = 3; seq <= 5; seq++) {
        assertEquals(seq, bob.next("message").get("seq").asLong());
      }
      ApiClient.assertStatus(201, api.post("/api/rooms/" + p.roomId() + "/messages", p.aliceTokens().accessToken(),
          json("clientMsgId", "m6", "text", "live")));
      assertEquals(6, bob.next("message").get("seq").asLong());
    }
  }

  @Test
  void typingReachesTheOtherSubscribers() throws Exception {
    Pair p = pair();
    try (WsClient alice = connect(p.aliceTokens()); WsClient bob = connect(p.bobTokens())) {
      bob.send(json("type", "subscribe", "roomId", p.roomId()));
      bob.next("subscribed");
      alice.send(json("type", "typing", "roomId", p.roomId()));
      JsonNode typing = bob.next("typing");
      assertEquals(p.alice(), typing.get("userId").asText());
      assertEquals(p.roomId(), typing.get("roomId").asText());
    }
  }

  @Test
  void refusedFramesGetErrorsWithTheirRefAndTheConnectionStaysOpen() throws Exception {
    Pair p = pair();
    String stranger = ApiClient.uniqueId("wse");
    Tokens e = api.newUser(stranger);
    try (WsClient ws = connect(e)) {
      ws.sendText("not json");
      assertError(ws.next(), "BAD_FRAME", null);
      ws.sendText("{\"roomId\":\"x\"}");
      assertError(ws.next(), "BAD_FRAME", "x");
      ws.send(json("type", "dance"));
      assertError(ws.next(), "BAD_FRAME", null);
      ws.sendText("{\"type\":\"subscribe\",\"roomId\":5}");
      assertError(ws.next(), "BAD_FRAME", null);
      ws.send(json("type", "subscribe", "roomId", p.roomId()));
      assertError(ws.next(), "NOT_A_MEMBER", p.roomId());
      ws.send(json("type", "subscribe", "roomId", "00000000-0000-0000-0000-000000000000"));
      assertError(ws.next(), "ROOM_NOT_FOUND", "00000000-0000-0000-0000-000000000000");
      ws.send(json("type", "send", "roomId", p.roomId(), "clientMsgId", "k1", "text", "hi"));
      assertError(ws.next(), "NOT_A_MEMBER", "k1");
      ws.send(json("type", "send", "roomId", p.roomId(), "clientMsgId", "k2", "text", ""));
      assertError(ws.next(), "VALIDATION_FAILED", "k2");
      ws.send(json("type", "ping"));
      assertEquals("pong", ws.next().get("type").asText());
    }
  }

  @Test
  void aBinaryFrameClosesWith1003() throws Exception {
    Pair p = pair();
    try (WsClient ws = connect(p.aliceTokens())) {
      ws.sendBinary(new byte[] {1, 2, 3});
      assertEquals(1003, ws.closeCode());
    }
  }

  @Test
  void aFrameOver64KiBClosesWith1009() throws Exception {
    Pair p = pair();
    try (WsClient ws = connect(p.aliceTokens())) {
      ws.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}");
      assertEquals(1009, ws.closeCode());
    }
  }

  @Test
  void friendsSeePresenceAndMembersHearOfNewRooms() throws Exception {
    String alice = ApiClient.uniqueId("wpa");
    String bob = ApiClient.uniqueId("wpb");
    Tokens a = api.newUser(alice);
    Tokens b = api.newUser(bob);
    ApiClient.assertStatus(201, api.addFriend(a.accessToken(), bob));
    chat.edge.Poll.eventually("bob knows alice", () -> api.friendIds(b.accessToken()).contains(alice));
    try (WsClient aliceWs = connect(a)) {
      WsClient bobWs = connect(b);
      JsonNode online = aliceWs.next("presence");
      assertEquals(bob, online.get("userId").asText());
      assertTrue(online.get("online").asBoolean());
      assertTrue(api.user(a.accessToken(), bob).json().get("online").asBoolean());

      JsonNode room = ApiClient.assertStatus(201, api.post("/api/rooms", a.accessToken(), roomBody(bob))).json();
      JsonNode notice = bobWs.next("room");
      assertEquals(room.get("roomId").asText(), notice.get("roomId").asText());
      assertEquals("created", notice.get("event").asText());
      assertEquals(alice, notice.get("userId").asText());

      bobWs.close();
      JsonNode offline = aliceWs.next("presence");
      assertEquals(bob, offline.get("userId").asText());
      assertTrue(!offline.get("online").asBoolean());
    }
  }

  private static void assertError(JsonNode frame, String code, String ref) {
    assertEquals("error", frame.get("type").asText(), frame.toString());
    assertEquals(code, frame.get("code").asText(), frame.toString());
    assertTrue(frame.hasNonNull("message"));
    if (ref == null) {
      assertTrue(!frame.has("ref"), frame.toString());
    } else {
      assertEquals(ref, frame.get("ref").asText(), frame.toString());
    }
  }
}
