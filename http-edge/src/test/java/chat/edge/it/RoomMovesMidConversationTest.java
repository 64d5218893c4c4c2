package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.it.ClusterSupport.DEADLINE;
import static chat.edge.it.ClusterSupport.awaitUp;
import static chat.edge.it.ClusterSupport.history;
import static chat.edge.it.ClusterSupport.localShards;
import static chat.edge.it.ClusterSupport.range;
import static chat.edge.it.ClusterSupport.shardOf;
import static chat.edge.it.ClusterSupport.subscribe;
import static chat.edge.it.ClusterSupport.subscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.WsClient;
import chat.edge.it.ClusterSupport.Inbox;
import chat.edge.it.ClusterSupport.RestSender;
import chat.edge.it.ClusterSupport.TwoNodes;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A room's entity lives on node 2 while clients on node 1 chat in it; node 2 stops gracefully and
 * the room moves to node 1 mid-conversation. Subscribers on node 1 must not notice: every
 * acknowledged message arrives once, in order, without a gap. A client of node 2 is closed with
 * 1012, reconnects to node 1 and resumes after the last seq it saw.
 */
class RoomMovesMidConversationTest {

  /** Between one send's acknowledgement and the next send. */
  private static final Duration SEND_PAUSE = Duration.ofMillis(20);
  private static final int BEFORE_STOP = 40;
  private static final int AFTER_STOP = 60;
  private static final int AFTER_RESUME = 30;

  @Test
  void subscribersOnTheOtherNodeMissNothingWhenTheRoomMoves() throws Exception {
    try (TwoNodes cluster = new TwoNodes()) {
      ApiClient api1 = new ApiClient(cluster.node1.baseUrl());
      String alice = ApiClient.uniqueId("alice");
      String bob = ApiClient.uniqueId("bob");
      String carol = ApiClient.uniqueId("carol");
      String aliceToken = api1.newUser(alice).accessToken();
      String bobToken = api1.newUser(bob).accessToken();
      String carolToken = api1.newUser(carol).accessToken();
      assertStatus(201, api1.addFriend(aliceToken, bob), "alice befriends bob");
      assertStatus(201, api1.addFriend(aliceToken, carol), "alice befriends carol");
      String roomId = roomOnNode2(cluster, api1, aliceToken, bob, carol);

      try (WsClient aliceWs = WsClient.connect(cluster.node1.baseUrl(), aliceToken);
           WsClient bobWs = WsClient.connect(cluster.node1.baseUrl(), bobToken);
           WsClient carolOnNode2 = WsClient.connect(cluster.node2.baseUrl(), carolToken)) {
        for (WsClient ws : List.of(aliceWs, bobWs, carolOnNode2)) {
          assertEquals(0, subscribed(ws, roomId));
        }
        Inbox aliceIn = new Inbox("alice on node 1", aliceWs);
        Inbox bobIn = new Inbox("bob on node 1", bobWs);
        Inbox carolBefore = new Inbox("carol on node 2", carolOnNode2);

        try (RestSender sender = new RestSender(api1, aliceToken, roomId, "m", SEND_PAUSE).start()) {
          sender.awaitAcked(BEFORE_STOP);
          carolBefore.readThrough(BEFORE_STOP / 2, DEADLINE);

          // Node 2 stops: its shards, the room's among them, are handed over to node 1.
          cluster.node2.close();
          assertEquals(1012, carolOnNode2.closeCode(), "close code for carol when node 2 stops");
          carolBefore.drainClosed();
          long carolSaw = carolBefore.lastSeq();
          carolBefore.assertMessagesExactly(1, carolSaw);
          awaitUp(cluster.node1, 1);
          sender.awaitAcked(sender.ackedCount() + AFTER_STOP);
          assertTrue(localShards(cluster.node1, "Room").contains(shardOf(roomId)), "the room now lives on node 1");

          // Carol reconnects to node 1 and resumes after the last seq she saw.
          try (WsClient carolWs = WsClient.connect(cluster.node1.baseUrl(), carolToken)) {
            Inbox carolAfter = new Inbox("carol on node 1", carolWs);
            carolWs.send(subscribe(roomId, carolSaw));
            JsonNode resumed = carolWs.next("subscribed");
            long lastAtResume = resumed.path("lastSeq").asLong();
            assertTrue(lastAtResume > carolSaw, () -> "subscribed " + resumed + " after seq " + carolSaw);
            sender.awaitAcked(sender.ackedCount() + AFTER_RESUME);

            Map<String, Long> acked = sender.stop();
            long total = acked.size();
            assertEquals(new TreeSet<>(range(1, total)), new TreeSet<>(acked.values()),
                "acknowledged seqs (retried sends keep their first seq)");
            assertTrue(total > lastAtResume, "live messages after carol resumed");

            for (Inbox in : List.of(aliceIn, bobIn, carolAfter)) {
              in.readThrough(total, DEADLINE);
              in.drainWithPing();
            }
            aliceIn.assertMessagesExactly(1, total);
            bobIn.assertMessagesExactly(1, total);
            carolAfter.assertMessagesExactly(carolSaw + 1, total);
            assertEquals(aliceIn.messages, bobIn.messages, "alice and bob saw the same messages");
            List<JsonNode> carolAll = new ArrayList<>(carolBefore.messages);
            carolAll.addAll(carolAfter.messages);
            assertEquals(aliceIn.messages, carolAll, "carol's messages before and after the reconnect");

            List<JsonNode> delivered = aliceIn.messages.stream().map(ClusterSupport::asMessage).toList();
            for (JsonNode message : delivered) {
              String clientMsgId = message.get("clientMsgId").asText();
              assertEquals(acked.get(clientMsgId), message.get("seq").asLong(), message::toString);
              assertEquals(alice, message.get("senderId").asText(), message::toString);
            }
            assertEquals(delivered, history(api1, aliceToken, roomId), "history after the move");
          }
        }
      }
    }
  }

  /**
   * Creates rooms until sharding places one on node 2. A room's shard is allocated when it is
   * created, so node 2's own list of shards tells. Node 2's region may register with the
   * coordinator a little after node 2 is Up; until then every new shard goes to node 1.
   */
  private static String roomOnNode2(TwoNodes cluster, ApiClient api, String token, String... members) {
    List<String> tried = new ArrayList<>();
    return Poll.until("a room on node 2", DEADLINE, () -> {
      String roomId = api.createdRoom(token, "moving " + tried.size(), members).get("roomId").asText();
      tried.add(shardOf(roomId));
      Set<String> onNode2 = localShards(cluster.node2, "Room");
      if (!onNode2.contains(shardOf(roomId))) {
        // Poll reports the last of these if no room lands on node 2.
        throw new IllegalStateException("shards tried " + tried + "; node 2 hosts " + onNode2);
      }
      return roomId;
    }, Objects::nonNull);
  }
}
