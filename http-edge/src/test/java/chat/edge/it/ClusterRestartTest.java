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

import chat.edge.ApiClient;
import chat.edge.WsClient;
import chat.edge.it.ClusterSupport.Inbox;
import chat.edge.it.ClusterSupport.TwoNodes;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both nodes of a cluster stop and a new two-node cluster starts on the same Postgres database:
 * rooms and messages are as they were, and seq continues where it stopped, over REST and
 * WebSocket on either node. (A single node's restart is RoomsRestartTest.)
 */
class ClusterRestartTest {

  private static final int BEFORE = 10;

  @Test
  void roomsAndMessagesSurviveAFullClusterRestartAndSeqContinues() throws Exception {
    try (TwoNodes cluster = new TwoNodes()) {
      ApiClient api1 = new ApiClient(cluster.node1.baseUrl());
      ApiClient api2 = new ApiClient(cluster.node2.baseUrl());
      String alice = ApiClient.uniqueId("alice");
      String bob = ApiClient.uniqueId("bob");
      String aliceToken = api1.newUser(alice).accessToken();
      String bobToken = api2.newUser(bob).accessToken();
      assertStatus(201, api1.addFriend(aliceToken, bob), "alice befriends bob");
      String roomId = api1.createdRoom(aliceToken, "restart", bob).get("roomId").asText();
      for (int i = 1; i <= BEFORE; i++) {
        if (i % 2 == 1) {
          api1.sent(aliceToken, roomId, "a-" + i, "alice " + i);
        } else {
          api2.sent(bobToken, roomId, "b-" + i, "bob " + i);
        }
      }
      List<JsonNode> before = history(api1, aliceToken, roomId);
      assertEquals(range(1, BEFORE), seqs(before));
      JsonNode roomBefore = assertStatus(200, api2.room(bobToken, roomId), "the room").json();

      cluster.stop();
      cluster.start();
      api1 = new ApiClient(cluster.node1.baseUrl());
      api2 = new ApiClient(cluster.node2.baseUrl());

      // Access tokens from before still work: the key is shared. Everything is as it was.
      assertEquals(before, history(api2, bobToken, roomId), "history on node 2 after the restart");
      assertEquals(before, history(api1, aliceToken, roomId), "history on node 1 after the restart");
      assertEquals(roomBefore, assertStatus(200, api1.room(bobToken, roomId), "the room").json());
      assertEquals(before.get(2), assertStatus(200, api2.sendMessage(aliceToken, roomId, "a-3", "alice 3"),
          "alice retries a sent message").json(), "a retry answers the original message");

      try (WsClient aliceWs = WsClient.connect(cluster.node1.baseUrl(), aliceToken);
           WsClient bobWs = WsClient.connect(cluster.node2.baseUrl(), bobToken)) {
        Inbox aliceIn = new Inbox("alice on node 1", aliceWs);
        Inbox bobIn = new Inbox("bob on node 2", bobWs);
        aliceWs.send(subscribe(roomId, BEFORE - 3));
        assertEquals(BEFORE, aliceWs.next("subscribed").path("lastSeq").asLong());
        assertEquals(BEFORE, subscribed(bobWs, roomId));

        bobWs.send(send(roomId, "b-next", "after the restart"));
        bobIn.readUntil("acknowledged", DEADLINE, () -> !bobIn.acks.isEmpty());
        assertEquals(BEFORE + 1, bobIn.acks.get(0).path("seq").asLong(), "seq continues");
        aliceIn.readThrough(BEFORE + 1, DEADLINE);
        bobIn.readThrough(BEFORE + 1, DEADLINE);
        aliceIn.drainWithPing();
        bobIn.drainWithPing();
        aliceIn.assertMessagesExactly(BEFORE - 2, BEFORE + 1);
        bobIn.assertMessagesExactly(BEFORE + 1, BEFORE + 1);
        assertEquals(before.subList(BEFORE - 3, BEFORE),
            aliceIn.messages.subList(0, 3).stream().map(ClusterSupport::asMessage).toList(), "replayed messages");
      }
      assertEquals(range(1, BEFORE + 1), seqs(history(api1, aliceToken, roomId)));
    }
  }
}
