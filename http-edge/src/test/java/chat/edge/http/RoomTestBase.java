package chat.edge.http;

import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertMessage;
import static chat.edge.ApiClient.assertRoom;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.uniqueId;
import static chat.edge.Poll.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Users, friendships, rooms and messages for the room and message tests, on one node per class. */
abstract class RoomTestBase extends NodeTestBase {

  static final String[] ROOM_FIELDS =
      {"roomId", "name", "members", "createdBy", "createdAt", "lastSeq", "lastMessage", "unread"};
  static final String[] MESSAGE_FIELDS = {"roomId", "seq", "senderId", "text", "sentAt", "clientMsgId"};

  private static final AtomicInteger CLIENT_MSG_IDS = new AtomicInteger();

  /** A registered, logged-in user. */
  record User(String id, String token) {}

  static User newUser(String prefix) {
    String id = uniqueId(prefix);
    return new User(id, api.newUser(id).accessToken());
  }

  /** Makes each of {@code others} a friend of {@code user} and waits until both sides know. */
  static void befriend(User user, User... others) {
    for (User other : others) {
      assertStatus(201, api.addFriend(user.token(), other.id()), user.id() + " befriends " + other.id());
      eventually(other.id() + " lists " + user.id() + " as a friend",
          () -> api.friendIds(other.token()).contains(user.id()));
    }
  }

  /** Creates a room of {@code creator} and {@code members} (who must be the creator's friends). */
  static JsonNode createRoom(User creator, String name, User... members) {
    String[] ids = new String[members.length];
    for (int i = 0; i < members.length; i++) {
      ids[i] = members[i].id();
    }
    return assertRoom(assertJson(201, api.createRoom(creator.token(), name, ids), ROOM_FIELDS));
  }

  static String roomIdOf(JsonNode room) {
    return room.get("roomId").asText();
  }

  /** The room as {@code user} sees it; asserts 200 and the room's shape. */
  static JsonNode room(User user, String roomId) {
    return assertRoom(assertJson(200, api.room(user.token(), roomId), ROOM_FIELDS));
  }

  /** The caller's rooms in the listed order; asserts 200 and each room's shape. */
  static List<JsonNode> rooms(User user) {
    JsonNode body = assertJson(200, api.rooms(user.token()), "rooms");
    assertTrue(body.get("rooms").isArray(), body::toString);
    List<JsonNode> rooms = new ArrayList<>();
    body.get("rooms").forEach(room -> rooms.add(assertRoom(room)));
    return rooms;
  }

  static List<String> roomIds(User user) {
    return rooms(user).stream().map(RoomTestBase::roomIdOf).toList();
  }

  /** Waits until {@code roomId} is in the user's list: the user entity learns of it asynchronously. */
  static void awaitListed(User user, String roomId) {
    eventually(roomId + " in the rooms of " + user.id(), () -> roomIds(user).contains(roomId));
  }

  /** Sends {@code text} with a new clientMsgId and asserts 201; returns the message. */
  static JsonNode send(User sender, String roomId, String text) {
    return assertMessage(assertJson(201,
        api.sendMessage(sender.token(), roomId, "c-" + CLIENT_MSG_IDS.incrementAndGet(), text), MESSAGE_FIELDS));
  }

  /** A page of history: the messages in the order answered, and hasMore. */
  record Page(List<JsonNode> messages, boolean hasMore) {

    List<Long> seqs() {
      return messages.stream().map(m -> m.get("seq").asLong()).toList();
    }
  }

  /** {@code GET /api/rooms/{roomId}/messages?query} as {@code user}; asserts 200 and the page's shape. */
  static Page history(User user, String roomId, String query) {
    JsonNode body = assertJson(200, api.history(user.token(), roomId, query), "messages", "hasMore");
    assertTrue(body.get("messages").isArray() && body.get("hasMore").isBoolean(), body::toString);
    List<JsonNode> messages = new ArrayList<>();
    body.get("messages").forEach(message -> messages.add(assertMessage(message)));
    return new Page(messages, body.get("hasMore").booleanValue());
  }

  static Set<String> members(JsonNode room) {
    Set<String> members = new HashSet<>();
    room.get("members").forEach(member -> members.add(member.asText()));
    return members;
  }

  static Set<String> ids(User... users) {
    Set<String> ids = new HashSet<>();
    for (User user : users) {
      ids.add(user.id());
    }
    return ids;
  }

  /**
   * Waits until this JVM's clock, which the embedded node shares, is past {@code timestamp}, so the
   * next activity gets a later millisecond than the one that produced it.
   */
  static void waitForTheClockToPass(String timestamp) {
    Instant instant = Instant.parse(timestamp);
    eventually("the clock passing " + timestamp,
        () -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(instant));
  }
}
