package chat.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import chat.edge.OwnNode;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that asks for a long history and then reads slowly is fed as fast as it reads, not as
 * fast as the node can read the journal: the connection's out-buffer (small here, 200 frames)
 * never overflows, every message arrives once and in order, and other users go on being served.
 */
class SlowReaderReplayTest {

  private static final int MESSAGES = 1000;
  private static final String TEXT = "x".repeat(4000);

  @RegisterExtension
  static final OwnNode node = new OwnNode(Map.of(
        "chat.websocket.out-buffer", 200,
        "chat.websocket.concurrent-replays", 1,
        // The node's socket buffers stay small, so what the client leaves unread backs up into the node.
        "pekko.http.server.socket-options.so-send-buffer-size", "64 KiB"));

  @Test
  void slowReadersOfALongHistoryGetAllOfItInOrderWhileOthersAreServed() throws Exception {
    String alice = ApiClient.uniqueId("rep");
    String bob = ApiClient.uniqueId("rep");
    Tokens a = node.api().newUser(alice);
    Tokens b = node.api().newUser(bob);
    ApiClient.assertStatus(201, node.api().addFriend(a.accessToken(), bob));
    String roomId = node.api().createdRoom(a.accessToken(), "long", bob).get("roomId").asText();
    for (int first = 0; first < MESSAGES; first += 50) {
      List<CompletableFuture<Response>> batch = new ArrayList<>();
      for (int i = first; i < first + 50; i++) {
        batch.add(node.api().sendMessageAsync(a.accessToken(), roomId, "m" + i, TEXT));
      }
      batch.forEach(sent -> ApiClient.assertStatus(201, sent.join()));
    }

    List<WsClient> readers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        WsClient reader = WsClient.connect(node.baseUrl(), b.accessToken());
        reader.pauseReading();
        reader.send(ApiClient.json("type", "subscribe", "roomId", roomId).put("afterSeq", 0));
        readers.add(reader);
      }
      // The readers read nothing for a while; meanwhile the node serves others.
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < until) {
        assertEquals(200, node.api().me(a.accessToken()).status());
        Thread.sleep(100);
      }
      for (WsClient reader : readers) {
        reader.resumeReading();
      }
      for (WsClient reader : readers) {
        assertEquals(MESSAGES, reader.next("subscribed").get("lastSeq").asLong());
        for (long seq = 1; seq <= MESSAGES; seq++) {
          JsonNode message = reader.next("message");
          assertEquals(seq, message.get("seq").asLong(), "messages once each and in order");
        }
      }
    } finally {
      readers.forEach(WsClient::close);
    }
  }
}
