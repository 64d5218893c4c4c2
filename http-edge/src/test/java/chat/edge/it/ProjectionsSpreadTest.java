package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.db.DatabaseSettings;
import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.it.ClusterSupport.RestSender;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * the spread gets a deadline of 45 s. A node killed without leaving cannot be simulated inside
 * one JVM, so only the graceful leave is covered here.
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

  private record Room(String id, String senderId, RestSender sender) {}

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
        List<String> users = new ArrayList<>();
        Map<String, String> tokens = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
          String userId = ApiClient.uniqueId("spread");
          users.add(userId);
          tokens.put(userId, api.newUser(userId).accessToken());
        }
        Set<List<String>> friendships = new HashSet<>();
        String owner = users.get(0);
        for (String other : users.subList(1, USERS)) {
          befriend(api, tokens, friendships, owner, other);
        }
        for (int r = 0; r < ROOMS; r++) {
          String a = users.get(1 + r % (USERS - 1));
          String b = users.get(1 + (r + 2) % (USERS - 1));
          String roomId = api.createdRoom(tokens.get(owner), "Room " + r, a, b).get("roomId").asText();
          String senderId = r % 2 == 0 ? owner : a;
          rooms.add(new Room(roomId, senderId,
              new RestSender(api, tokens.get(senderId), roomId, "r" + r, Duration.ofMillis(10)).start()));
        }
        awaitTotalAcked(rooms, 240);

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
        befriend(api, tokens, friendships, users.get(1), users.get(2));
        for (String type : DAEMON_TYPES) {
          TestNode first = node1;
          TestNode second = node2;
          Poll.until(type + " instances spread over both nodes", Duration.ofSeconds(45),
              () -> List.of(ClusterSupport.localShards(first, type), ClusterSupport.localShards(second, type)),
              both -> spread(both.get(0), both.get(1)));
        }
        befriend(api, tokens, friendships, users.get(3), users.get(4));
        assertStatus(200, api.updateMe(tokens.get(users.get(3)),
            ApiClient.json("name", "Renamed " + users.get(3), "statusMessage", "moving shards")), "profile change");
        markReadNow(api, tokens.get(users.get(1)), rooms.get(0).id());
        int beforeLeave = totalAcked(rooms);
        awaitTotalAcked(rooms, beforeLeave + 100);

        // Node 2 leaves while messages keep coming: every instance comes back to node 1.
        node2.close();
        node2 = null;
        ClusterSupport.awaitUp(node1, 1);
        for (String type : DAEMON_TYPES) {
          TestNode only = node1;
          Poll.until("all " + type + " instances back on node 1", DEADLINE,
              () -> ClusterSupport.localShards(only, type), ALL_INSTANCES::equals);
        }
        befriend(api, tokens, friendships, users.get(2), users.get(5));
        markReadNow(api, tokens.get(users.get(2)), rooms.get(1).id());
        awaitTotalAcked(rooms, totalAcked(rooms) + 50);

        // Traffic stops; the read tables must then be exactly what the entities say.
        Map<String, Map<String, Long>> acked = new LinkedHashMap<>();
        for (Room room : rooms) {
          acked.put(room.id(), room.sender().stop());
        }
        Expected expected = expected(api, tokens, users, friendships, rooms, acked);
        Poll.until("the read tables caught up with the entities", DEADLINE,
            () -> actual(db.settings(), expected.rooms().keySet()), expected::equals);

        // Caught up, the tables alone answer each room list, exactly as the entities do.
        for (String userId : users) {
          long fromTables = ReadTablesOnPostgresTest.listedRooms(api, "tables");
          long fromEntities = ReadTablesOnPostgresTest.listedRooms(api, "entities");
          List<JsonNode> listed = new ArrayList<>();
          assertStatus(200, api.rooms(tokens.get(userId)), "rooms of " + userId).json().get("rooms").forEach(listed::add);
          List<JsonNode> roomViews = new ArrayList<>();
          for (JsonNode room : listed) {
            roomViews.add(assertStatus(200, api.room(tokens.get(userId), room.get("roomId").asText()), "room").json());
          }
          assertEquals(roomViews, listed, "room list of " + userId + " as the entities see it");
          assertEquals(expected.rooms().entrySet().stream()
                  .filter(room -> room.getValue().unread().containsKey(userId)).map(Map.Entry::getKey).sorted().toList(),
              listed.stream().map(room -> room.get("roomId").asText()).sorted().toList(), "rooms of " + userId);
          assertEquals(fromTables + listed.size(), ReadTablesOnPostgresTest.listedRooms(api, "tables"));
          assertEquals(fromEntities, ReadTablesOnPostgresTest.listedRooms(api, "entities"));
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

  private static void befriend(ApiClient api, Map<String, String> tokens, Set<List<String>> friendships,
      String a, String b) {
    assertStatus(201, api.addFriend(tokens.get(a), b), a + " befriends " + b);
    friendships.add(List.of(a, b));
    friendships.add(List.of(b, a));
  }

  private static void markReadNow(ApiClient api, String token, String roomId) {
    long lastSeq = assertStatus(200, api.room(token, roomId), "room view").json().get("lastSeq").asLong();
    assertStatus(204, api.markRead(token, roomId, lastSeq), "mark read at " + lastSeq);
  }

  private static int totalAcked(List<Room> rooms) {
    return rooms.stream().mapToInt(r -> r.sender().ackedCount()).sum();
  }

  private static void awaitTotalAcked(List<Room> rooms, int count) {
    Poll.until(count + " messages acknowledged", DEADLINE, () -> totalAcked(rooms), n -> n >= count);
  }

  /**
   * The read tables' content as comparable values: per room its messages (seq → sender, text,
   * clientMsgId), last seq and members with unread counts; the user directory (id → name, status)
   * and the friendships.
   */
  private record Expected(Map<String, RoomRows> rooms, Map<String, List<String>> directory,
      Set<List<String>> friendships) {}

  private record RoomRows(TreeMap<Long, List<String>> messages, long lastSeq, TreeMap<String, Long> unread) {}

  /** What the entities (through REST) and the acknowledged sends say the tables must hold. */
  private static Expected expected(ApiClient api, Map<String, String> tokens, List<String> users,
      Set<List<String>> friendships, List<Room> rooms, Map<String, Map<String, Long>> acked) {
    Map<String, RoomRows> roomRows = new TreeMap<>();
    for (Room room : rooms) {
      JsonNode view = assertStatus(200, api.room(tokens.get(room.senderId()), room.id()), "room view").json();
      long lastSeq = view.get("lastSeq").asLong();
      TreeMap<Long, List<String>> messages = new TreeMap<>();
      acked.get(room.id()).forEach((clientMsgId, seq) -> {
        String text = "message " + clientMsgId.substring(clientMsgId.indexOf('-') + 1) + " from "
            + clientMsgId.substring(0, clientMsgId.indexOf('-'));
        List<String> previous = messages.put(seq, List.of(room.senderId(), text, clientMsgId));
        assertEquals(null, previous, "seq " + seq + " acknowledged twice in " + room.id());
      });
      assertEquals(lastSeq, messages.size(), "every seq of " + room.id() + " was acknowledged once");
      assertEquals(ClusterSupport.range(1, lastSeq), List.copyOf(messages.keySet()), "acked seqs of " + room.id());
      TreeMap<String, Long> unread = new TreeMap<>();
      for (JsonNode member : view.get("members")) {
        String userId = member.asText();
        JsonNode own = assertStatus(200, api.room(tokens.get(userId), room.id()), "room view of " + userId).json();
        assertEquals(lastSeq, own.get("lastSeq").asLong(), "traffic stopped, the room stays at " + lastSeq);
        unread.put(userId, own.get("unread").asLong());
      }
      roomRows.put(room.id(), new RoomRows(messages, lastSeq, unread));
    }
    Map<String, List<String>> directory = new TreeMap<>();
    for (String userId : users) {
      JsonNode me = assertStatus(200, api.me(tokens.get(userId)), "profile of " + userId).json();
      directory.put(userId, List.of(me.get("name").asText(), me.path("statusMessage").asText("")));
    }
    return new Expected(roomRows, directory, new HashSet<>(friendships));
  }

  /** What the read tables hold, read directly with JDBC. */
  private static Expected actual(DatabaseSettings db, Set<String> roomIds) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      Map<String, RoomRows> rooms = new TreeMap<>();
      for (String roomId : roomIds) {
        TreeMap<Long, List<String>> messages = new TreeMap<>();
        try (ResultSet rs = query(c, "SELECT seq, sender_id, text, client_msg_id FROM room_message WHERE room_id = ?",
            roomId)) {
          while (rs.next()) {
            messages.put(rs.getLong(1), List.of(rs.getString(2), rs.getString(3), rs.getString(4)));
          }
        }
        long lastSeq = -1;
        try (ResultSet rs = query(c, "SELECT last_seq FROM room_summary WHERE room_id = ?", roomId)) {
          if (rs.next()) {
            lastSeq = rs.getLong(1);
          }
        }
        TreeMap<String, Long> unread = new TreeMap<>();
        try (ResultSet rs = query(c, "SELECT user_id, unread FROM room_member WHERE room_id = ?", roomId)) {
          while (rs.next()) {
            unread.put(rs.getString(1), rs.getLong(2));
          }
        }
        rooms.put(roomId, new RoomRows(messages, lastSeq, unread));
      }
      Map<String, List<String>> directory = new TreeMap<>();
      try (ResultSet rs = query(c, "SELECT user_id, name, status_message FROM user_directory")) {
        while (rs.next()) {
          directory.put(rs.getString(1), List.of(rs.getString(2), rs.getString(3)));
        }
      }
      Set<List<String>> friendships = new HashSet<>();
      try (ResultSet rs = query(c, "SELECT user_id, friend_id FROM friendship")) {
        while (rs.next()) {
          friendships.add(List.of(rs.getString(1), rs.getString(2)));
        }
      }
      return new Expected(rooms, directory, friendships);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the read tables", e);
    }
  }

  private static ResultSet query(Connection c, String sql, String... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.closeOnCompletion();
    for (int i = 0; i < params.length; i++) {
      ps.setString(i + 1, params[i]);
    }
    return ps.executeQuery();
  }
}
