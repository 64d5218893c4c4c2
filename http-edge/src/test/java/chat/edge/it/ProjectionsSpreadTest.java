package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.it.ClusterSupport.RestSender;
import chat.edge.it.ReadTablesCheck.Expected;
import chat.edge.it.ReadTablesCheck.People;
import chat.edge.it.ReadTablesCheck.Room;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The room and user projections run as sharded daemon processes: on one node all their instances
 * run there; when a second node joins, instances of each projection move to it; when it leaves
 * (gracefully, while messages keep coming), they all come back. Afterwards the read tables are
 * exactly what the entities and the acknowledged sends say: every message once, last seqs,
 * members and unread counts, users and friendships.
 *
 * <p>Pekko names a daemon process's sharding entity type {@code sharded-daemon-process-<name>};
 * its shard ids are the instance numbers. Sharding runs with its defaults: a rebalance round every
 * 10 s, and a moved instance starts on its new node at the next keep-alive ping (every 10 s), so
 * the spread gets a deadline of 45 s. A node killed without leaving is {@link ProjectionsSurviveHardKillIT}.
 */
class ProjectionsSpreadTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** chat.projections.slices, default 4: instances 0..3 of each projection. */
  private static final int SLICES = 4;
  private static final Set<String> ALL_INSTANCES = Set.of("0", "1", "2", "3");
  private static final List<String> DAEMON_TYPES = List.of(
      "sharded-daemon-process-room-read", "sharded-daemon-process-user-read");
  private static final int ROOMS = 8;
  private static final int USERS = 6;

  @Test
  void projectionInstancesMoveToAJoiningNodeAndBackAndTheReadTablesStayExact() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      TestNode node1 = null;
      TestNode node2 = null;
      List<Room> rooms = new ArrayList<>();
      try {
        node1 = TestNode.onPostgres(db.settings(), "");
        ClusterSupport.awaitUp(node1, 1);
        ApiClient api = new ApiClient(node1.baseUrl());

        // Users, all friends of the first; a room per sender with a few members each.
        People people = People.register(api, "spread", USERS);
        List<String> users = people.ids();
        String owner = people.owner();
        for (int r = 0; r < ROOMS; r++) {
          String a = users.get(1 + r % (USERS - 1));
          String b = users.get(1 + (r + 2) % (USERS - 1));
          String roomId = api.createdRoom(people.token(owner), "Room " + r, a, b).get("roomId").asText();
          String senderId = r % 2 == 0 ? owner : a;
          rooms.add(new Room(roomId, senderId,
              new RestSender(api, people.token(senderId), roomId, "r" + r, Duration.ofMillis(10)).start()));
        }
        ReadTablesCheck.awaitTotalAcked(rooms, 240);

        // One node: every instance of both projections runs there.
        for (String type : DAEMON_TYPES) {
          TestNode only = node1;
          Poll.until("all " + type + " instances on node 1", DEADLINE,
              () -> ClusterSupport.localShards(only, type), ALL_INSTANCES::equals);
        }

        // A second node joins: instances of each projection move to it.
        node2 = TestNode.onPostgres(db.settings(), node1.seedAddress());
        ClusterSupport.awaitUp(node1, 2);
        ClusterSupport.awaitUp(node2, 2);
        people.befriend(api, users.get(1), users.get(2));
        for (String type : DAEMON_TYPES) {
          TestNode first = node1;
          TestNode second = node2;
          Poll.until(type + " instances spread over both nodes", Duration.ofSeconds(45),
              () -> List.of(ClusterSupport.localShards(first, type), ClusterSupport.localShards(second, type)),
              both -> spread(both.get(0), both.get(1)));
        }
        people.befriend(api, users.get(3), users.get(4));
        assertStatus(200, api.updateMe(people.token(users.get(3)),
            ApiClient.json("name", "Renamed " + users.get(3), "statusMessage", "moving shards")), "profile change");
        markReadNow(api, people.token(users.get(1)), rooms.get(0).id());
        int beforeLeave = ReadTablesCheck.totalAcked(rooms);
        ReadTablesCheck.awaitTotalAcked(rooms, beforeLeave + 100);

        // Node 2 leaves while messages keep coming: every instance comes back to node 1.
        node2.close();
        node2 = null;
        ClusterSupport.awaitUp(node1, 1);
        for (String type : DAEMON_TYPES) {
          TestNode only = node1;
          Poll.until("all " + type + " instances back on node 1", DEADLINE,
              () -> ClusterSupport.localShards(only, type), ALL_INSTANCES::equals);
        }
        people.befriend(api, users.get(2), users.get(5));
        markReadNow(api, people.token(users.get(2)), rooms.get(1).id());
        ReadTablesCheck.awaitTotalAcked(rooms, ReadTablesCheck.totalAcked(rooms) + 50);

        // Traffic stops; the read tables must then be exactly what the entities say.
        Expected expected = ReadTablesCheck.expected(api, people, rooms, ReadTablesCheck.stopSenders(rooms));
        Poll.until("the read tables caught up with the entities", DEADLINE,
            () -> ReadTablesCheck.actual(db.settings(), expected.rooms().keySet()), expected::equals);

        // Caught up, the tables alone answer each room list, exactly as the entities do.
        for (String userId : users) {
          long fromTables = ReadTablesCheck.listedRooms(api, "tables");
          long fromEntities = ReadTablesCheck.listedRooms(api, "entities");
          List<JsonNode> listed = new ArrayList<>();
          assertStatus(200, api.rooms(people.token(userId)), "rooms of " + userId).json().get("rooms").forEach(listed::add);
          List<JsonNode> roomViews = new ArrayList<>();
          for (JsonNode room : listed) {
            roomViews.add(assertStatus(200, api.room(people.token(userId), room.get("roomId").asText()), "room").json());
          }
          assertEquals(roomViews, listed, "room list of " + userId + " as the entities see it");
          assertEquals(expected.rooms().entrySet().stream()
                  .filter(room -> room.getValue().unread().containsKey(userId)).map(Map.Entry::getKey).sorted().toList(),
              listed.stream().map(room -> room.get("roomId").asText()).sorted().toList(), "rooms of " + userId);
          assertEquals(fromTables + listed.size(), ReadTablesCheck.listedRooms(api, "tables"));
          assertEquals(fromEntities, ReadTablesCheck.listedRooms(api, "entities"));
        }
      } finally {
        for (Room room : rooms) {
          room.sender().close();
        }
        if (node2 != null) {
          node2.close();
        }
        if (node1 != null) {
          node1.close();
        }
      }
    }
  }

  /** Both nodes run instances, and together exactly all of them, each once. */
  private static boolean spread(Set<String> first, Set<String> second) {
    Set<String> union = new HashSet<>(first);
    union.addAll(second);
    return !first.isEmpty() && !second.isEmpty() && first.size() + second.size() == SLICES
        && union.equals(ALL_INSTANCES);
  }

  private static void markReadNow(ApiClient api, String token, String roomId) {
    long lastSeq = assertStatus(200, api.room(token, roomId), "room view").json().get("lastSeq").asLong();
    assertStatus(204, api.markRead(token, roomId, lastSeq), "mark read at " + lastSeq);
  }

}
