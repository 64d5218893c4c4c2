package chat.edge.it;

import static chat.edge.ApiClient.assertMessage;
import static chat.edge.ApiClient.assertRoom;
import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A new node on the same Postgres database finds every room as the previous node left it: names,
 * members, messages and their history, each member's unread count, and which clientMsgIds were
 * already sent.
 *
 * <p>Node A: alice creates "Before restart" with bob, and an unnamed room with bob and carol.
 * In the first, bob sends three messages, alice reads them and sends two; carol is invited and
 * leaves again. In the second, bob sends three messages and carol reads the first.
 */
class RoomsRestartTest {

  private static final String ALICE = "alice";
  private static final String BOB = "bob";
  private static final String CAROL = "carol";
  private static final List<String> USERS = List.of(ALICE, BOB, CAROL);
  private static final Duration SYNC_DEADLINE = Duration.ofSeconds(20);

  /** What node A answered, to compare node B's answers with. */
  private record Kept(
      String namedRoom,
      String unnamedRoom,
      List<JsonNode> namedAcks,
      List<JsonNode> unnamedAcks,
      Map<String, List<JsonNode>> roomLists) {}

  @Test
  void roomsMessagesReadMarksAndSentIdsSurviveARestart() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      Kept kept;
      try (TestNode first = TestNode.onPostgres(db.settings(), "")) {
        kept = beforeRestart(new ApiClient(first.baseUrl()));
      }
      try (TestNode second = TestNode.onPostgres(db.settings(), "")) {
        afterRestart(new ApiClient(second.baseUrl()), kept);
      }
    }
  }

  private static Kept beforeRestart(ApiClient api) {
    USERS.forEach(api::registered);
    String alice = api.loggedIn(ALICE).accessToken();
    String bob = api.loggedIn(BOB).accessToken();
    String carol = api.loggedIn(CAROL).accessToken();
    assertStatus(201, api.addFriend(alice, BOB), "alice befriends bob");
    assertStatus(201, api.addFriend(alice, CAROL), "alice befriends carol");

    String named = api.createdRoom(alice, "Before restart", BOB).get("roomId").asText();
    String unnamed = api.createdRoom(alice, null, BOB, CAROL).get("roomId").asText();

    List<JsonNode> namedAcks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      namedAcks.add(api.sent(bob, named, "bob-" + i, "bob says " + i));
    }
    assertStatus(204, api.markRead(alice, named, 3), "alice reads");
    namedAcks.add(api.sent(alice, named, "alice-4", "alice says 4"));
    namedAcks.add(api.sent(alice, named, "alice-5", "alice says 5"));
    assertStatus(200, api.invite(alice, named, CAROL), "alice invites carol");
    assertStatus(204, api.leave(carol, named), "carol leaves");

    List<JsonNode> unnamedAcks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      unnamedAcks.add(api.sent(bob, unnamed, "bob-" + i, "bob again " + i));
    }
    assertStatus(204, api.markRead(carol, unnamed, 1), "carol reads");

    // The rooms each user is in reach their user entities by a second step: let it land.
    Map<String, String> tokens = Map.of(ALICE, alice, BOB, bob, CAROL, carol);
    Map<String, List<String>> expectedIds = Map.of(
        ALICE, List.of(unnamed, named), BOB, List.of(unnamed, named), CAROL, List.of(unnamed));
    for (String user : USERS) {
      Poll.until(user + "'s rooms", SYNC_DEADLINE, () -> api.roomIds(tokens.get(user)),
          ids -> ids.equals(expectedIds.get(user)));
    }

    Map<String, List<JsonNode>> lists = Map.of(
        ALICE, roomList(api, alice), BOB, roomList(api, bob), CAROL, roomList(api, carol));
    // What node A shows, checked here so that node B is compared with the right thing.
    assertRoomSeenAs(lists.get(ALICE).get(1), "Before restart", Set.of(ALICE, BOB), 5, 0);
    assertRoomSeenAs(lists.get(BOB).get(1), "Before restart", Set.of(ALICE, BOB), 5, 2);
    assertRoomSeenAs(lists.get(ALICE).get(0), null, Set.of(ALICE, BOB, CAROL), 3, 3);
    assertRoomSeenAs(lists.get(CAROL).get(0), null, Set.of(ALICE, BOB, CAROL), 3, 2);
    assertEquals(List.copyOf(namedAcks), page(api, bob, named));
    assertEquals(List.copyOf(unnamedAcks), page(api, carol, unnamed));
    return new Kept(named, unnamed, List.copyOf(namedAcks), List.copyOf(unnamedAcks), lists);
  }

  private static void afterRestart(ApiClient api, Kept kept) {
    String alice = api.loggedIn(ALICE).accessToken();
    String bob = api.loggedIn(BOB).accessToken();
    String carol = api.loggedIn(CAROL).accessToken();

    // Rooms, names, members, last messages and every member's unread count.
    assertEquals(kept.roomLists().get(ALICE), roomList(api, alice), "alice's rooms after the restart");
    assertEquals(kept.roomLists().get(BOB), roomList(api, bob), "bob's rooms after the restart");
    assertEquals(kept.roomLists().get(CAROL), roomList(api, carol), "carol's rooms after the restart");
    assertEquals(kept.roomLists().get(ALICE).get(1),
        assertStatus(200, api.room(alice, kept.namedRoom()), "GET the named room").json());
    Response carolOutside = assertStatus(403, api.room(carol, kept.namedRoom()), "carol in the room she left");
    assertEquals("NOT_A_MEMBER", carolOutside.errorCode());

    // History, as acknowledged before the restart.
    assertEquals(kept.namedAcks(), page(api, alice, kept.namedRoom()), "history of the named room");
    assertEquals(kept.unnamedAcks(), page(api, bob, kept.unnamedRoom()), "history of the unnamed room");

    // Sent clientMsgIds are remembered: retries answer the original, even with another text.
    JsonNode retried = assertStatus(200, api.sendMessage(bob, kept.namedRoom(), "bob-1", "retried text"),
        "bob retries his first message").json();
    assertEquals(kept.namedAcks().get(0), retried);
    assertEquals(kept.namedAcks().get(4),
        assertStatus(200, api.sendMessage(alice, kept.namedRoom(), "alice-5", "alice says 5"),
            "alice retries her last message").json());
    assertEquals(kept.unnamedAcks().get(2),
        assertStatus(200, api.sendMessage(bob, kept.unnamedRoom(), "bob-3", "x"), "bob retries in the other room").json());

    // Seqs continue without a gap, and read marks count from where they were.
    JsonNode next = api.sent(bob, kept.namedRoom(), "bob-6", "after the restart");
    assertEquals(6, next.get("seq").asLong());
    assertRoomSeenAs(roomOf(api, alice, kept.namedRoom()), "Before restart", Set.of(ALICE, BOB), 6, 1);
    // Bob's own message does not count, and does not read alice's 4 and 5 for him.
    assertRoomSeenAs(roomOf(api, bob, kept.namedRoom()), "Before restart", Set.of(ALICE, BOB), 6, 2);
    assertStatus(204, api.markRead(carol, kept.unnamedRoom(), 0), "carol marks an older seq");
    assertRoomSeenAs(roomOf(api, carol, kept.unnamedRoom()), null, Set.of(ALICE, BOB, CAROL), 3, 2);
    assertStatus(204, api.markRead(carol, kept.unnamedRoom(), 3), "carol reads the rest");
    assertRoomSeenAs(roomOf(api, carol, kept.unnamedRoom()), null, Set.of(ALICE, BOB, CAROL), 3, 0);
    assertEquals(List.of(kept.namedRoom(), kept.unnamedRoom()), api.roomIds(alice), "most recent activity first");
  }

  private static List<JsonNode> roomList(ApiClient api, String token) {
    JsonNode body = assertStatus(200, api.rooms(token), "GET /api/rooms").json();
    List<JsonNode> rooms = new ArrayList<>();
    body.get("rooms").forEach(room -> rooms.add(assertRoom(room)));
    return rooms;
  }

  private static JsonNode roomOf(ApiClient api, String token, String roomId) {
    return assertRoom(assertStatus(200, api.room(token, roomId), "GET /api/rooms/" + roomId).json());
  }

  /** All messages of a room, ascending. */
  private static List<JsonNode> page(ApiClient api, String token, String roomId) {
    JsonNode body = assertStatus(200, api.history(token, roomId, "after=0&limit=200"), "history").json();
    assertEquals(false, body.get("hasMore").asBoolean(), body::toString);
    List<JsonNode> messages = new ArrayList<>();
    body.get("messages").forEach(message -> messages.add(assertMessage(message)));
    return messages;
  }

  /** The room with these members, lastSeq and unread; the name too unless null (named after its members). */
  private static void assertRoomSeenAs(JsonNode room, String name, Set<String> members, long lastSeq, long unread) {
    if (name != null) {
      assertEquals(name, room.get("name").asText(), room::toString);
    } else {
      assertTrue(members.stream().allMatch(room.get("name").asText()::contains), () -> "name of " + room);
    }
    Set<String> actual = new HashSet<>();
    room.get("members").forEach(m -> actual.add(m.asText()));
    assertEquals(members, actual, () -> "members of " + room);
    assertEquals(ALICE, room.get("createdBy").asText(), room::toString);
    assertEquals(lastSeq, room.get("lastSeq").asLong(), () -> "lastSeq of " + room);
    assertEquals(unread, room.get("unread").asLong(), () -> "unread of " + room);
  }
}
