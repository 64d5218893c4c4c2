package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.DatabaseSettings;
import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node on Postgres keeps the read tables: sent messages reach {@code room_message} within
 * seconds, users and friendships reach their tables, and history pages are complete and in order
 * also when part of the history is only in the journal (here: the tables set back to where they
 * stood at an earlier message, as if the projection were behind). Room lists come from the tables once they hold every event of a
 * room, and from the room entity while they trail.
 */
class ReadTablesOnPostgresTest {

  private static final int MESSAGES = 30;
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  void messagesReachTheReadTablesAndHistoryStaysCompleteAcrossTheTableAndJournal() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         TestNode node = TestNode.onPostgres(db.settings(), "")) {
      ApiClient api = new ApiClient(node.baseUrl());
      api.registered("alice");
      api.registered("bob");
      String alice = api.loggedIn("alice").accessToken();
      String bob = api.loggedIn("bob").accessToken();
      assertStatus(201, api.addFriend(alice, "bob"), "alice befriends bob");
      String roomId = api.createdRoom(alice, "Read side", "bob").get("roomId").asText();

      List<JsonNode> acks = new ArrayList<>();
      long eventSeqNrAt20 = -1;
      for (int i = 1; i <= MESSAGES; i++) {
        JsonNode ack = api.sent(i % 2 == 0 ? alice : bob, roomId, "m-" + i, "message " + i);
        acks.add(ack);
        // Acknowledged means readable at once, whether or not the projection has it yet.
        JsonNode page = api.history(alice, roomId, "after=" + (i - 1)).json();
        assertEquals(List.of(ack), list(page.get("messages")), "message " + i + " readable right after its ack");
        if (i == 20) {
          eventSeqNrAt20 = Poll.until("the room's summary at message 20", DEADLINE,
              () -> count(db.settings(), "SELECT event_seq_nr FROM room_summary WHERE room_id = ? AND last_seq = 20",
                  roomId),
              n -> n > 0);
        }
      }

      Poll.until("all messages in room_message", DEADLINE,
          () -> count(db.settings(), "SELECT COUNT(*) FROM room_message WHERE room_id = ?", roomId),
          n -> n == MESSAGES);
      Poll.until("both users in user_directory", DEADLINE,
          () -> count(db.settings(), "SELECT COUNT(*) FROM user_directory WHERE user_id IN ('alice', ?)", "bob"),
          n -> n == 2);
      Poll.until("the friendship on both sides", DEADLINE,
          () -> count(db.settings(), "SELECT COUNT(*) FROM friendship WHERE user_id IN ('alice', ?)", "bob"),
          n -> n == 2);
      Poll.until("the room's summary", DEADLINE,
          () -> count(db.settings(), "SELECT last_seq FROM room_summary WHERE room_id = ?", roomId),
          n -> n == MESSAGES);
      assertEquals(acks, pagedBackward(api, bob, roomId, 7), "history from the table alone");

      // The projection "behind": the tables as they stood at message 20, the newest ten only in the journal.
      execute(db.settings(), "DELETE FROM room_message WHERE room_id = ? AND seq > 20", roomId);
      execute(db.settings(), "UPDATE room_summary SET last_seq = 20, event_seq_nr = " + eventSeqNrAt20
          + " WHERE room_id = ?", roomId);
      assertEquals(acks, pagedBackward(api, bob, roomId, 7), "backward across the table and the journal");
      assertEquals(acks, pagedForward(api, alice, roomId, 7), "forward across the table and the journal");
      JsonNode newest = api.history(bob, roomId, "limit=15").json();
      assertEquals(acks.subList(MESSAGES - 15, MESSAGES), list(newest.get("messages")));
      assertTrue(newest.get("hasMore").asBoolean());
    }
  }

  @Test
  void roomListsComeFromTheTablesWhenTheyHoldEveryEventAndFromTheEntityWhileTheyTrail() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         TestNode node = TestNode.onPostgres(db.settings(), "")) {
      ApiClient api = new ApiClient(node.baseUrl());
      for (String user : List.of("alice", "bob", "carol")) {
        api.registered(user);
      }
      String alice = api.loggedIn("alice").accessToken();
      String bob = api.loggedIn("bob").accessToken();
      assertStatus(201, api.addFriend(alice, "bob"), "alice befriends bob");
      assertStatus(201, api.addFriend(alice, "carol"), "alice befriends carol");
      String named = api.createdRoom(alice, "Named", "bob", "carol").get("roomId").asText();
      String unnamed = api.createdRoom(alice, null, "carol").get("roomId").asText();
      for (int i = 1; i <= 5; i++) {
        api.sent(i % 2 == 0 ? alice : bob, named, "n-" + i, "named " + i);
      }
      api.sent(alice, unnamed, "u-1", "unnamed 1");
      assertStatus(204, api.markRead(alice, named, 3), "alice reads up to 3");
      List<JsonNode> fromEntities = List.of(api.room(alice, named).json(), api.room(alice, unnamed).json());

      // Once the projection has applied every event, the tables alone answer, exactly as the entities do.
      Listing listing = Poll.until("a room list answered by the tables alone", DEADLINE, () -> {
        long before = ReadTablesCheck.listedRooms(api, "tables");
        JsonNode rooms = assertStatus(200, api.rooms(alice), "GET /api/rooms").json().get("rooms");
        return new Listing(ReadTablesCheck.listedRooms(api, "tables") - before, rooms);
      }, l -> l.fromTables() == 2);
      assertEquals(sortedByActivity(fromEntities), list(listing.rooms()));

      // A room whose newest event the tables lack (made so by hand) is answered by its entity.
      execute(db.settings(), "UPDATE room_summary SET event_seq_nr = event_seq_nr - 1, last_text = 'stale'"
          + " WHERE room_id = ?", named);
      long tables = ReadTablesCheck.listedRooms(api, "tables");
      long entities = ReadTablesCheck.listedRooms(api, "entities");
      assertEquals(sortedByActivity(fromEntities), list(assertStatus(200, api.rooms(alice), "GET /api/rooms").json()
          .get("rooms")));
      assertEquals(tables + 1, ReadTablesCheck.listedRooms(api, "tables"));
      assertEquals(entities + 1, ReadTablesCheck.listedRooms(api, "entities"));
    }
  }

  private record Listing(long fromTables, JsonNode rooms) {}

  /** The unnamed room saw its message last: GET /api/rooms lists the most recent activity first. */
  private static List<JsonNode> sortedByActivity(List<JsonNode> rooms) {
    return List.of(rooms.get(1), rooms.get(0));
  }

  private static List<JsonNode> pagedBackward(ApiClient api, String token, String roomId, int limit) {
    List<JsonNode> all = new ArrayList<>();
    String query = "limit=" + limit;
    while (true) {
      JsonNode page = api.history(token, roomId, query).json();
      List<JsonNode> messages = list(page.get("messages"));
      all.addAll(0, messages);
      if (!page.get("hasMore").asBoolean()) {
        return all;
      }
      query = "limit=" + limit + "&before=" + messages.get(0).get("seq").asLong();
    }
  }

  private static List<JsonNode> pagedForward(ApiClient api, String token, String roomId, int limit) {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = api.history(token, roomId, "limit=" + limit + "&after=" + after).json();
      List<JsonNode> messages = list(page.get("messages"));
      all.addAll(messages);
      if (!page.get("hasMore").asBoolean()) {
        return all;
      }
      after = messages.get(messages.size() - 1).get("seq").asLong();
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static long count(DatabaseSettings db, String sql, String param) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void execute(DatabaseSettings db, String sql, String param) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      ps.executeUpdate();
    }
  }
}
