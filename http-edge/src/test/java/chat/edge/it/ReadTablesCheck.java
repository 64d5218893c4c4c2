package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.db.DatabaseSettings;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.it.ClusterSupport.RestSender;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares the read tables on Postgres with what the entities (through REST) and the acknowledged
 * sends say they must hold, for tests that move projection instances around a cluster.
 */
final class ReadTablesCheck {

  private ReadTablesCheck() {}

  /** A room with one sender whose acknowledged sends are known. */
  record Room(String id, String senderId, RestSender sender) {}

  /** Users with their tokens, the first a friend of all others, and every friendship made. */
  record People(List<String> ids, Map<String, String> tokens, Set<List<String>> friendships) {

    static People register(ApiClient api, String prefix, int count) {
      People people = new People(new ArrayList<>(), new HashMap<>(), new HashSet<>());
      for (int i = 0; i < count; i++) {
        String userId = ApiClient.uniqueId(prefix);
        people.ids().add(userId);
        people.tokens().put(userId, api.newUser(userId).accessToken());
      }
      for (String other : people.ids().subList(1, count)) {
        people.befriend(api, people.owner(), other);
      }
      return people;
    }

    String owner() {
      return ids.get(0);
    }

    String token(String userId) {
      return tokens.get(userId);
    }

    void befriend(ApiClient api, String a, String b) {
      assertStatus(201, api.addFriend(tokens.get(a), b), a + " befriends " + b);
      friendships.add(List.of(a, b));
      friendships.add(List.of(b, a));
    }
  }

  /** This node's count of listed rooms answered by {@code source}: "tables" or "entities". */
  static long listedRooms(ApiClient api, String source) {
    return (long) api.metric("chat_room_list_rooms_total{source=\"" + source + "\"}");
  }

  static int totalAcked(List<Room> rooms) {
    return rooms.stream().mapToInt(r -> r.sender().ackedCount()).sum();
  }

  static void awaitTotalAcked(List<Room> rooms, int count) {
    Poll.until(count + " messages acknowledged", ClusterSupport.DEADLINE, () -> totalAcked(rooms), n -> n >= count);
  }

  /** Stops every room's sender; returns per room its acknowledged clientMsgId → seq. */
  static Map<String, Map<String, Long>> stopSenders(List<Room> rooms) throws InterruptedException {
    Map<String, Map<String, Long>> acked = new LinkedHashMap<>();
    for (Room room : rooms) {
      acked.put(room.id(), room.sender().stop());
    }
    return acked;
  }

  /**
   * The read tables' content as comparable values: per room its messages (seq → sender, text,
   * clientMsgId), last seq and members with unread counts; the user directory (id → name, status)
   * and the friendships.
   */
  record Expected(Map<String, RoomRows> rooms, Map<String, List<String>> directory,
      Set<List<String>> friendships) {}

  record RoomRows(TreeMap<Long, List<String>> messages, long lastSeq, TreeMap<String, Long> unread) {}

  /** What the entities (through REST) and the acknowledged sends say the tables must hold. */
  static Expected expected(ApiClient api, People people, List<Room> rooms, Map<String, Map<String, Long>> acked) {
    Map<String, String> tokens = people.tokens();
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
    for (String userId : people.ids()) {
      JsonNode me = assertStatus(200, api.me(tokens.get(userId)), "profile of " + userId).json();
      directory.put(userId, List.of(me.get("name").asText(), me.path("statusMessage").asText("")));
    }
    return new Expected(roomRows, directory, new HashSet<>(people.friendships()));
  }

  /** What the read tables hold, read directly with JDBC. */
  static Expected actual(DatabaseSettings db, Set<String> roomIds) {
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
