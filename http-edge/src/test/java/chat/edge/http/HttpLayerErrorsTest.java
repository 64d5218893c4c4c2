package chat.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.RawHttp;
import chat.edge.RawHttp.Answer;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer refuses before any route runs is answered in the contract's error shape;
 * every answer carries the security headers; WebSocket upgrades from other sites' pages are refused.
 */
class HttpLayerErrorsTest extends NodeTestBase {

  private static Answer raw(String request) throws Exception {
    return RawHttp.exchange(node.baseUrl(), request);
  }

  private static void assertJsonError(int status, String code, Answer answer) throws Exception {
    assertEquals(status, answer.status(), answer::toString);
    assertEquals("application/json", answer.header("Content-Type"), answer::toString);
    JsonNode error = ApiClient.MAPPER.readTree(answer.body()).get("error");
    assertEquals(code, error.get("code").asText(), answer::toString);
    assertEquals(false, error.get("message").asText().isBlank(), answer::toString);
  }

  @Test
  void aUriOverTheLimitIs414() throws Exception {
    assertJsonError(414, "URI_TOO_LONG", raw("GET /api/users/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void tooManyHeadersAre400AndAnOverLongOne431() throws Exception {
    StringBuilder many = new StringBuilder("GET /api/users/me HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 100; i++) {
      many.append("X-Filler-").append(i).append(": y\r\n");
    }
    assertJsonError(400, "BAD_REQUEST", raw(many.append("\r\n").toString()));
    assertJsonError(431, "HEADERS_TOO_LARGE",
        raw("GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Long: " + "y".repeat(10_000) + "\r\n\r\n"));
  }

  @Test
  void badPercentEncodingIs400() throws Exception {
    assertJsonError(400, "BAD_REQUEST", raw("GET /api/users/%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void anUnknownMethodIs501() throws Exception {
    assertJsonError(501, "NOT_IMPLEMENTED", raw("BREW /api/users/me HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void aBodyThatNeverArrivesIs408AndTheConnectionCloses() throws Exception {
    Answer answer = raw("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"userId\":");
    assertJsonError(408, "REQUEST_TIMEOUT", answer);
    assertEquals("close", answer.header("Connection"));
  }

  @Test
  void everyAnswerSaysNotToSniffOrStoreIt() {
    String id = ApiClient.uniqueId("hl");
    Response[] answers = {
        api.post("/api/users", null, ApiClient.registration(id)),
        api.login(id, ApiClient.PASSWORD),
        api.get("/api/users/me", null),
        api.get("/api/nowhere", null)};
    for (Response answer : answers) {
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null), answer::toString);
      assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null), answer::toString);
    }
  }

  @Test
  void aWebSocketFromAnotherSitesPageIsRefusedAndFromTheNodesOwnIsTaken() throws Exception {
    String token = api.newUser(ApiClient.uniqueId("hl")).accessToken();
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> WsClient.connect(node.baseUrl(), token, "https://evil.example"));
    assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());

    String own = node.baseUrl();
    try (WsClient ws = WsClient.connect(node.baseUrl(), token, own)) {
      ws.send(ApiClient.json("type", "ping"));
      assertEquals("pong", ws.next("pong").get("type").asText());
    }
    try (WsClient ws = WsClient.connect(node.baseUrl(), token)) {
      ws.send(ApiClient.json("type", "ping"));
      assertEquals("pong", ws.next("pong").get("type").asText(), "a client that sends no Origin");
    }
  }
}
