package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.it.ClusterSupport.DEADLINE;
import static chat.edge.it.ClusterSupport.history;
import static chat.edge.it.ClusterSupport.range;
import static chat.edge.it.ClusterSupport.send;
import static chat.edge.it.ClusterSupport.subscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.WsClient;
import chat.edge.it.ClusterSupport.Inbox;
import chat.edge.it.ClusterSupport.TwoNodes;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSockets across a two-node cluster on Postgres: clients connected to different nodes share
 * one room's order, and presence and room notices travel between the nodes.
 */
class WebSocketClusterTest {

  /** Messages each of the two senders sends. */
  private static final int PER_SENDER = 150;
  /**
   * Pause between one client's sends: about 60 a second at most, which the default limit of
   * 50 a second with a burst of 100 allows for 150 sends.
   */
  private static final long SEND_PAUSE_MILLIS = 15;

  private static TwoNodes cluster;
  private static ApiClient api1;
  private static ApiClient api2;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TwoNodes();
    api1 = new ApiClient(cluster.node1.baseUrl());
    api2 = new ApiClient(cluster.node2.baseUrl());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void concurrentSendersOnBothNodesGetOneGapFreeOrder() throws Exception {
    String alice = ApiClient.uniqueId("alice");
    String bob = ApiClient.uniqueId("bob");
    String aliceToken = api1.newUser(alice).accessToken();
    String bobToken = api2.newUser(bob).accessToken();
    assertStatus(201, api1.addFriend(aliceToken, bob), "alice befriends bob");
    String roomId = api1.createdRoom(aliceToken, "busy", bob).get("roomId").asText();

    ExecutorService senders = Executors.newFixedThreadPool(2);
    try (WsClient aliceWs = WsClient.connect(cluster.node1.baseUrl(), aliceToken);
         WsClient bobWs = WsClient.connect(cluster.node2.baseUrl(), bobToken)) {
      assertEquals(0, subscribed(aliceWs, roomId));
      assertEquals(0, subscribed(bobWs, roomId));
      Inbox aliceIn = new Inbox("alice on node 1", aliceWs);
      Inbox bobIn = new Inbox("bob on node 2", bobWs);

      // Both fire all their sends without waiting for acks; only this thread reads frames.
      Future<?> aliceSends = senders.submit(() -> sendAll(aliceWs, roomId, "a"));
      Future<?> bobSends = senders.submit(() -> sendAll(bobWs, roomId, "b"));
      int total = 2 * PER_SENDER;
      aliceIn.readUntil("all acks and messages", DEADLINE,
          () -> aliceIn.acks.size() + aliceIn.errors.size() >= PER_SENDER && aliceIn.messages.size() >= total);
      bobIn.readUntil("all acks and messages", DEADLINE,
          () -> bobIn.acks.size() + bobIn.errors.size() >= PER_SENDER && bobIn.messages.size() >= total);
      aliceSends.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      bobSends.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      // Anything sent late (a duplicate) would arrive before the pong.
      aliceIn.drainWithPing();
      bobIn.drainWithPing();

      // Every send was acknowledged once, with a seq no other send got: together exactly 1..N.
      Map<Long, JsonNode> ackBySeq = new HashMap<>();
      for (Inbox in : List.of(aliceIn, bobIn)) {
        in.assertNoErrors();
        assertEquals(PER_SENDER, in.acks.size(), () -> in.name + " acks");
        Set<String> ids = new HashSet<>();
        for (JsonNode ack : in.acks) {
          assertEquals(roomId, ack.path("roomId").asText(), ack::toString);
          ids.add(ack.path("clientMsgId").asText());
          JsonNode before = ackBySeq.put(ack.path("seq").asLong(), ack);
          assertEquals(null, before, () -> "seq of " + ack + " already acknowledged as " + before);
        }
        String prefix = in == aliceIn ? "a" : "b";
        assertEquals(clientMsgIds(prefix), ids, () -> in.name + " acknowledged clientMsgIds");
      }
      assertEquals(new TreeSet<>(range(1, total)), new TreeSet<>(ackBySeq.keySet()), "acknowledged seqs");

      // Each client got each message once, in seq order without gaps, and both the same ones.
      aliceIn.assertMessagesExactly(1, total);
      bobIn.assertMessagesExactly(1, total);
      assertEquals(aliceIn.messages, bobIn.messages, "the same messages on both nodes");
      for (JsonNode frame : aliceIn.messages) {
        JsonNode ack = ackBySeq.get(frame.get("seq").asLong());
        String clientMsgId = ack.get("clientMsgId").asText();
        assertEquals(clientMsgId, frame.get("clientMsgId").asText(), frame::toString);
        assertEquals(clientMsgId.startsWith("a-") ? alice : bob, frame.get("senderId").asText(), frame::toString);
        assertEquals(textOf(clientMsgId), frame.get("text").asText(), frame::toString);
        assertEquals(ack.get("sentAt").asText(), frame.get("sentAt").asText(), frame::toString);
      }

      // History through either node is the same sequence.
      List<JsonNode> delivered = aliceIn.messages.stream().map(ClusterSupport::asMessage).toList();
      assertEquals(delivered, history(api1, aliceToken, roomId), "history on node 1");
      assertEquals(delivered, history(api2, bobToken, roomId), "history on node 2");
    } finally {
      senders.shutdownNow();
    }
  }

  @Test
  void presenceAndRoomNoticesReachAFriendOnTheOtherNode() throws Exception {
    String alice = ApiClient.uniqueId("alice");
    String bob = ApiClient.uniqueId("bob");
    String carol = ApiClient.uniqueId("carol");
    String aliceToken = api1.newUser(alice).accessToken();
    String bobToken = api2.newUser(bob).accessToken();
    String carolToken = api2.newUser(carol).accessToken();
    assertStatus(201, api1.addFriend(aliceToken, bob), "alice befriends bob");
    assertStatus(201, api1.addFriend(aliceToken, carol), "alice befriends carol");
    Poll.until("alice in bob's friends", DEADLINE, () -> api2.friendIds(bobToken), ids -> ids.contains(alice));

    try (WsClient aliceWs = WsClient.connect(cluster.node1.baseUrl(), aliceToken)) {
      Inbox aliceIn = new Inbox("alice on node 1", aliceWs);
      Poll.until("alice online", DEADLINE, () -> api2.user(bobToken, alice),
          r -> r.status() == 200 && r.json().path("online").asBoolean());

      String roomId;
      try (WsClient bobWs = WsClient.connect(cluster.node2.baseUrl(), bobToken)) {
        Inbox bobIn = new Inbox("bob on node 2", bobWs);
        aliceIn.readUntil("told bob is online", DEADLINE, () -> has(aliceIn, presence(bob, true)));

        roomId = api1.createdRoom(aliceToken, "notices", bob).get("roomId").asText();
        bobIn.readUntil("told of the new room", DEADLINE, () -> has(bobIn, room(roomId, "created", alice)));

        assertStatus(200, api1.invite(aliceToken, roomId, carol), "alice invites carol");
        bobIn.readUntil("told carol joined", DEADLINE, () -> has(bobIn, room(roomId, "joined", carol)));

        assertStatus(204, api2.leave(carolToken, roomId), "carol leaves through node 2");
        bobIn.readUntil("told carol left", DEADLINE, () -> has(bobIn, room(roomId, "left", carol)));
        aliceIn.readUntil("told carol left", DEADLINE, () -> has(aliceIn, room(roomId, "left", carol)));
        assertEquals(List.of("created", "joined", "left"), roomEvents(bobIn, roomId), "bob's room notices");
        bobIn.assertNoErrors();
      }
      // Bob's only connection is gone.
      aliceIn.readUntil("told bob is offline", DEADLINE, () -> has(aliceIn, presence(bob, false)));
      aliceIn.drainWithPing();
      List<Boolean> bobPresence = new ArrayList<>();
      for (JsonNode p : aliceIn.othersOfType("presence")) {
        assertEquals(bob, p.path("userId").asText(), () -> "presence of a friend who did not change: " + p);
        bobPresence.add(p.path("online").asBoolean());
      }
      assertEquals(List.of(true, false), bobPresence, "bob's presence as alice saw it");
      assertEquals(List.of("created", "joined", "left"), roomEvents(aliceIn, roomId), "alice's room notices");
      aliceIn.assertNoErrors();
    }
  }

  private static void sendAll(WsClient ws, String roomId, String prefix) {
    try {
      for (int i = 1; i <= PER_SENDER; i++) {
        ws.send(send(roomId, prefix + "-" + i, textOf(prefix + "-" + i)));
        Thread.sleep(SEND_PAUSE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String textOf(String clientMsgId) {
    return "text of " + clientMsgId;
  }

  private static Set<String> clientMsgIds(String prefix) {
    Set<String> ids = new HashSet<>();
    for (int i = 1; i <= PER_SENDER; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }

  private static boolean has(Inbox in, Predicate<JsonNode> frame) {
    return in.others.stream().anyMatch(frame);
  }

  private static Predicate<JsonNode> presence(String userId, boolean online) {
    return f -> "presence".equals(f.path("type").asText()) && userId.equals(f.path("userId").asText())
        && f.path("online").isBoolean() && f.path("online").asBoolean() == online;
  }

  private static Predicate<JsonNode> room(String roomId, String event, String userId) {
    return f -> "room".equals(f.path("type").asText()) && roomId.equals(f.path("roomId").asText())
        && event.equals(f.path("event").asText()) && userId.equals(f.path("userId").asText());
  }

  private static List<String> roomEvents(Inbox in, String roomId) {
    List<String> events = new ArrayList<>();
    for (JsonNode f : in.othersOfType("room")) {
      assertNotNull(f.get("event"), f::toString);
      if (roomId.equals(f.path("roomId").asText())) {
        events.add(f.path("event").asText());
      }
    }
    return events;
  }
}
