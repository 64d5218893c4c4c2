package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.it.ClusterSupport.DEADLINE;
import static chat.edge.it.ClusterSupport.history;
import static chat.edge.it.ClusterSupport.range;
import static chat.edge.it.ClusterSupport.send;
import static chat.edge.it.ClusterSupport.seqs;
import static chat.edge.it.ClusterSupport.subscribe;
import static chat.edge.it.ClusterSupport.subscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.TestNode;
import chat.edge.WsClient;
import chat.edge.it.ClusterSupport.Inbox;
import chat.edge.it.ClusterSupport.RestSender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A client that loses its connection mid-stream while others keep sending reconnects, resumes
 * with {@code afterSeq} and gets exactly what it missed, then live messages; sends it retries
 * after the reconnect are acknowledged with their first seq and reach nobody twice.
 */
class ReconnectResumeTest {

  private static final Duration SEND_PAUSE = Duration.ofMillis(20);

  @Test
  void aReconnectedClientGetsExactlyWhatItMissedAndRetriedSendsAreNotRepeated() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         TestNode node = TestNode.onPostgres(db.settings(), "")) {
      ApiClient api = new ApiClient(node.baseUrl());
      String alice = ApiClient.uniqueId("alice");
      String bob = ApiClient.uniqueId("bob");
      String aliceToken = api.newUser(alice).accessToken();
      String bobToken = api.newUser(bob).accessToken();
      assertStatus(201, api.addFriend(aliceToken, bob), "alice befriends bob");
      String roomId = api.createdRoom(aliceToken, "resume", bob).get("roomId").asText();

      // Alice watches from her own connection and never disconnects; her REST sender keeps going.
      try (WsClient aliceWs = WsClient.connect(node.baseUrl(), aliceToken);
           RestSender sender = new RestSender(api, aliceToken, roomId, "a", SEND_PAUSE)) {
        assertEquals(0, subscribed(aliceWs, roomId));
        Inbox aliceIn = new Inbox("alice", aliceWs);

        Inbox bobFirst;
        long firstSeq;
        try (WsClient bobWs = WsClient.connect(node.baseUrl(), bobToken)) {
          assertEquals(0, subscribed(bobWs, roomId));
          bobFirst = new Inbox("bob before the reconnect", bobWs);
          // b-1 is acknowledged before the connection drops; b-2 is sent and the connection
          // dropped at once, without waiting for its ack.
          bobWs.send(send(roomId, "b-1", "first from bob"));
          bobFirst.readUntil("acknowledged", DEADLINE, () -> !bobFirst.acks.isEmpty());
          firstSeq = bobFirst.acks.get(0).get("seq").asLong();
          assertEquals(1, firstSeq);
          sender.start().awaitAcked(20);
          bobFirst.readThrough(firstSeq + 5, DEADLINE);
          bobWs.send(send(roomId, "b-2", "second from bob"));
        }
        bobFirst.drainClosed();
        long bobSaw = bobFirst.lastSeq();
        bobFirst.assertMessagesExactly(1, bobSaw);
        sender.awaitAcked(sender.ackedCount() + 30);

        try (WsClient bobWs = WsClient.connect(node.baseUrl(), bobToken)) {
          Inbox bobAgain = new Inbox("bob after the reconnect", bobWs);
          bobWs.send(subscribe(roomId, bobSaw));
          JsonNode resumed = bobWs.next("subscribed");
          long lastAtResume = resumed.path("lastSeq").asLong();
          assertTrue(lastAtResume > bobSaw, () -> "subscribed " + resumed + " after seq " + bobSaw);

          // Both retried: each is acknowledged with the seq its message has, and not stored again.
          bobWs.send(send(roomId, "b-1", "first from bob"));
          bobWs.send(send(roomId, "b-2", "second from bob"));
          bobAgain.readUntil("both retries acknowledged", DEADLINE, () -> bobAgain.acks.size() >= 2);
          sender.awaitAcked(sender.ackedCount() + 20);
          Map<String, Long> acked = sender.stop();

          List<JsonNode> stored = history(api, bobToken, roomId);
          long total = stored.size();
          assertEquals(range(1, total), seqs(stored), "history seqs");
          assertTrue(total > lastAtResume, "live messages after bob resumed");
          // Acks need not come in the order of the sends: they are matched by clientMsgId.
          Map<String, Long> bobAcks = new HashMap<>();
          bobAgain.acks.forEach(a -> bobAcks.put(a.get("clientMsgId").asText(), a.get("seq").asLong()));
          assertEquals(Set.of("b-1", "b-2"), bobAcks.keySet(), () -> "bob's acks " + bobAgain.acks);
          assertEquals(2, bobAgain.acks.size(), () -> "bob's acks " + bobAgain.acks);
          assertEquals(firstSeq, bobAcks.get("b-1"), "seq of the retried b-1");
          Set<Long> acknowledged = new TreeSet<>(acked.values());
          acknowledged.addAll(bobAcks.values());
          assertEquals(new TreeSet<>(range(1, total)), acknowledged, "every stored message was acknowledged once");
          for (JsonNode message : stored) {
            String clientMsgId = message.get("clientMsgId").asText();
            if (clientMsgId.startsWith("b-")) {
              assertEquals(bobAcks.get(clientMsgId), message.get("seq").asLong(), message::toString);
              assertEquals(bob, message.get("senderId").asText(), message::toString);
            }
          }
          assertEquals(2, stored.stream().filter(m -> m.get("senderId").asText().equals(bob)).count(),
              "bob's messages in history");

          // What each client received: alice all, bob all across his two connections, each once.
          for (Inbox in : List.of(aliceIn, bobAgain)) {
            in.readThrough(total, DEADLINE);
            in.drainWithPing();
          }
          aliceIn.assertMessagesExactly(1, total);
          bobAgain.assertMessagesExactly(bobSaw + 1, total);
          List<JsonNode> bobAll = new ArrayList<>(bobFirst.messages);
          bobAll.addAll(bobAgain.messages);
          assertEquals(aliceIn.messages, bobAll, "bob's messages across the reconnect");
          assertEquals(stored, aliceIn.messages.stream().map(ClusterSupport::asMessage).toList(),
              "history and what alice received");
          Set<String> ids = new HashSet<>();
          aliceIn.messages.forEach(m -> assertTrue(ids.add(m.get("clientMsgId").asText()), () -> "twice: " + m));
        }
      }
    }
  }
}
