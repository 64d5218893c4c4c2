package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertRoom;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.assertUnauthorized;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.uniqueId;
import static chat.edge.Poll.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rooms and members: POST and GET /api/rooms, GET /api/rooms/{roomId}, POST
 * /api/rooms/{roomId}/members, DELETE /api/rooms/{roomId}/members/me.
 */
class RoomApiTest extends RoomTestBase {

  /** A well-formed UUID that no room has. */
  private static final String UNKNOWN_ROOM = "00000000-0000-4000-8000-000000000000";

  // ---- create ----

  @Test
  void creatingARoomAnswers201WithTheRoom() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);

    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JsonNode room = createRoom(alice, "  Book club  ", bob, carol);
    Instant after = Instant.now();

    assertEquals("Book club", room.get("name").asText(), "the name is kept, trimmed");
    assertEquals(ids(alice, bob, carol), members(room));
    assertEquals(3, room.get("members").size(), room::toString);
    assertEquals(alice.id(), room.get("createdBy").asText());
    Instant createdAt = Instant.parse(room.get("createdAt").asText());
    assertFalse(createdAt.isBefore(before) || createdAt.isAfter(after), () -> "createdAt of " + room);
    assertEquals(0, room.get("lastSeq").asLong());
    assertTrue(room.get("lastMessage").isNull(), room::toString);
    assertEquals(0, room.get("unread").asLong());

    assertEquals(room, room(alice, roomIdOf(room)), "GET answers the room as created");
    assertEquals(room, room(bob, roomIdOf(room)), "a member sees the same room");
  }

  @Test
  void everyRoomGetsItsOwnId() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    String first = roomIdOf(createRoom(alice, "same", bob));
    String second = roomIdOf(createRoom(alice, "same", bob));
    assertFalse(first.equals(second), "two rooms got the id " + first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"absent", "null"})
  void aRoomWithoutANameIsNamedAfterItsMembers(String how) {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);
    var body = json();
    if (how.equals("null")) {
      body.putNull("name");
    }
    body.putArray("members").add(bob.id()).add(carol.id());

    JsonNode room = assertRoom(assertJson(201, api.post("/api/rooms", alice.token(), body), ROOM_FIELDS));
    String name = room.get("name").asText();
    assertFalse(name.isBlank(), room::toString);
    // Registration names every user "Name of <userId>", so the userId is in the name either way.
    assertTrue(name.contains(bob.id()) && name.contains(carol.id()), () -> "name of " + room);
    assertEquals(ids(alice, bob, carol), members(room));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"name\":\"no members\"}",
      "{\"members\":null}",
      "{\"members\":[]}",
      "{\"members\":\"%s\"}",
      "{\"members\":{\"userId\":\"%s\"}}",
      "{\"members\":[7]}",
      "{\"members\":[\"%s\"]}",
      "{\"members\":[\"%1$s\",\"%1$s\"]}"})
  void membersMustNameSomeoneElse(String template) {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    String body = template.formatted(alice.id());

    assertError(400, "VALIDATION_FAILED", "members",
        api.sendText("POST", "/api/rooms", alice.token(), ApiClient.JSON, body));
    assertEquals(List.of(), roomIds(alice), "rooms after a refused create");
  }

  @Test
  void everyMemberMustBeTheCreatorsFriend() {
    User alice = newUser("alice");
    User friend = newUser("friend");
    User stranger = newUser("stranger");
    befriend(alice, friend);

    assertError(400, "NOT_A_FRIEND", "members", api.createRoom(alice.token(), null, stranger.id()));
    assertError(400, "NOT_A_FRIEND", "members", api.createRoom(alice.token(), null, friend.id(), stranger.id()));
    assertError(400, "NOT_A_FRIEND", "members", api.createRoom(alice.token(), null, uniqueId("nobody")));
    // Friendship is the creator's: the stranger befriending alice's friend does not help.
    befriend(friend, stranger);
    assertError(400, "NOT_A_FRIEND", "members", api.createRoom(alice.token(), "x", friend.id(), stranger.id()));

    assertEquals(List.of(), roomIds(alice));
    assertEquals(List.of(), roomIds(friend));
  }

  /** Every room endpoint, as a caller who does not authenticate would call it. */
  enum Endpoint {
    CREATE("POST", "/api/rooms", "{\"members\":[\"someone\"]}"),
    LIST("GET", "/api/rooms", null),
    GET("GET", "/api/rooms/{room}", null),
    INVITE("POST", "/api/rooms/{room}/members", "{\"userId\":\"someone\"}"),
    LEAVE("DELETE", "/api/rooms/{room}/members/me", null),
    SEND("POST", "/api/rooms/{room}/messages", "{\"clientMsgId\":\"x\",\"text\":\"intruder\"}"),
    HISTORY("GET", "/api/rooms/{room}/messages", null),
    READ("POST", "/api/rooms/{room}/read", "{\"seq\":1}");

    final String method;
    final String path;
    final String body;

    Endpoint(String method, String path, String body) {
      this.method = method;
      this.path = path;
      this.body = body;
    }

    Response call(String roomId, String authorization) {
      return api.send(method, path.replace("{room}", roomId), authorization, body == null ? null : ApiClient.JSON,
          body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void everyRoomEndpointWantsAnAccessToken(Endpoint endpoint) {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    JsonNode room = createRoom(alice, "guarded", bob);
    send(alice, roomIdOf(room), "one");
    JsonNode before = room(alice, roomIdOf(room));

    for (String authorization : new String[] {null, "Bearer not-a-jwt", alice.token(), "Basic " + alice.token()}) {
      assertUnauthorized(endpoint.call(roomIdOf(room), authorization));
    }
    assertEquals(before, room(alice, roomIdOf(room)), "the room after refused calls");
  }

  // ---- list ----

  @Test
  void aNewUserHasNoRooms() {
    assertEquals(List.of(), rooms(newUser("lonely")));
  }

  @Test
  void theListShowsTheMostRecentlyActiveRoomFirst() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    JsonNode first = createRoom(alice, "first", bob);
    waitForTheClockToPass(first.get("createdAt").asText());
    JsonNode second = createRoom(alice, "second", bob);
    waitForTheClockToPass(second.get("createdAt").asText());
    JsonNode third = createRoom(alice, "third", bob);
    waitForTheClockToPass(third.get("createdAt").asText());
    String r1 = roomIdOf(first);
    String r2 = roomIdOf(second);
    String r3 = roomIdOf(third);

    eventually("alice lists all three rooms", () -> roomIds(alice).size() == 3);
    assertEquals(List.of(r3, r2, r1), roomIds(alice), "newest room first");
    eventually("bob lists all three rooms", () -> roomIds(bob).size() == 3);
    assertEquals(List.of(r3, r2, r1), roomIds(bob), "newest room first for bob too");

    JsonNode message = send(bob, r1, "the oldest room comes alive");
    assertEquals(List.of(r1, r3, r2), roomIds(alice), "a message moves its room first");
    assertEquals(List.of(r1, r3, r2), roomIds(bob));

    waitForTheClockToPass(message.get("sentAt").asText());
    send(alice, r2, "and now the second");
    assertEquals(List.of(r2, r1, r3), roomIds(alice));
    assertEquals(List.of(r2, r1, r3), roomIds(bob));
  }

  @Test
  void theListShowsEachCallerTheirOwnUnreadCount() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);
    String roomId = roomIdOf(createRoom(alice, "counts", bob, carol));
    for (User user : List.of(alice, bob, carol)) {
      awaitListed(user, roomId);
    }

    send(bob, roomId, "b1");
    JsonNode b2 = send(bob, roomId, "b2");
    assertListed(alice, roomId, 2, b2, 2);
    assertListed(bob, roomId, 2, b2, 0);
    assertListed(carol, roomId, 2, b2, 2);

    assertStatus(204, api.markRead(alice.token(), roomId, 2));
    send(alice, roomId, "a3");
    JsonNode a4 = send(alice, roomId, "a4");
    assertListed(alice, roomId, 4, a4, 0);
    assertListed(bob, roomId, 4, a4, 2);
    assertListed(carol, roomId, 4, a4, 4);

    assertStatus(204, api.markRead(carol.token(), roomId, 3));
    assertListed(carol, roomId, 4, a4, 1);
    assertListed(bob, roomId, 4, a4, 2);
  }

  /** The room in the user's list and as GET shows it, with these values. */
  private static void assertListed(User user, String roomId, long lastSeq, JsonNode lastMessage, long unread) {
    JsonNode listed = rooms(user).stream().filter(r -> roomIdOf(r).equals(roomId)).findFirst()
        .orElseThrow(() -> new AssertionError(roomId + " not listed for " + user.id()));
    assertEquals(lastSeq, listed.get("lastSeq").asLong(), () -> "lastSeq for " + user.id() + ": " + listed);
    assertEquals(lastMessage, listed.get("lastMessage"), () -> "lastMessage for " + user.id());
    assertEquals(unread, listed.get("unread").asLong(), () -> "unread for " + user.id() + ": " + listed);
    assertEquals(listed, room(user, roomId), () -> "GET and the list agree for " + user.id());
  }

  @Test
  void aRoomIsListedForEveryMemberUntilTheyLeave() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);
    String roomId = roomIdOf(createRoom(alice, "come and go", bob));

    awaitListed(alice, roomId);
    awaitListed(bob, roomId);
    assertEquals(List.of(), roomIds(carol), "not listed for someone who is not a member");

    assertStatus(200, api.invite(alice.token(), roomId, carol.id()));
    awaitListed(carol, roomId);

    assertStatus(204, api.leave(bob.token(), roomId));
    assertEquals(List.of(), roomIds(bob), "listed after leaving");
    assertEquals(List.of(roomId), roomIds(alice));
    assertEquals(ids(alice, carol), members(rooms(carol).get(0)));
  }

  // ---- get ----

  @Test
  void onlyMembersMayLookAtARoom() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User outsider = newUser("outsider");
    befriend(alice, bob, outsider);
    String roomId = roomIdOf(createRoom(alice, "private", bob));

    assertError(403, "NOT_A_MEMBER", api.room(outsider.token(), roomId));
    room(bob, roomId);
  }

  @ParameterizedTest
  @ValueSource(strings = {UNKNOWN_ROOM, "not-a-room", "12345", "00000000-0000-4000-8000-00000000000",
      "00000000-0000-4000-8000-0000000000000", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"})
  void anUnknownRoomIs404(String roomId) {
    User alice = newUser("alice");
    assertError(404, "ROOM_NOT_FOUND", api.room(alice.token(), roomId));
    assertError(404, "ROOM_NOT_FOUND", api.invite(alice.token(), roomId, uniqueId("someone")));
    assertError(404, "ROOM_NOT_FOUND", api.leave(alice.token(), roomId));
    assertError(404, "ROOM_NOT_FOUND", api.sendMessage(alice.token(), roomId, "c1", "hello"));
    assertError(404, "ROOM_NOT_FOUND", api.history(alice.token(), roomId, ""));
    assertError(404, "ROOM_NOT_FOUND", api.history(alice.token(), roomId, "after=0"));
    assertError(404, "ROOM_NOT_FOUND", api.markRead(alice.token(), roomId, 1));
  }

  @Test
  void aRandomUuidIs404() {
    User alice = newUser("alice");
    assertError(404, "ROOM_NOT_FOUND", api.room(alice.token(), UUID.randomUUID().toString()));
  }

  // ---- invite ----

  @Test
  void aMemberInvitesAFriendWhoThenReadsAndWrites() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);
    String roomId = roomIdOf(createRoom(alice, "growing", bob));
    JsonNode earlier = send(bob, roomId, "before carol came");

    JsonNode room = assertRoom(assertJson(200, api.invite(alice.token(), roomId, carol.id()), ROOM_FIELDS));
    assertEquals(roomId, roomIdOf(room));
    assertEquals(ids(alice, bob, carol), members(room));
    assertEquals(ids(alice, bob, carol), members(room(bob, roomId)), "the other members see the newcomer");

    assertEquals(ids(alice, bob, carol), members(room(carol, roomId)));
    assertEquals(new Page(List.of(earlier), false), history(carol, roomId, ""), "the newcomer reads the history");
    JsonNode own = send(carol, roomId, "hello from carol");
    assertEquals(2, own.get("seq").asLong());
    assertEquals(own, room(alice, roomId).get("lastMessage"));
  }

  @Test
  void anyMemberMayInviteTheirOwnFriends() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User dave = newUser("dave");
    befriend(alice, bob);
    befriend(bob, dave);
    String roomId = roomIdOf(createRoom(alice, "friends of friends", bob));

    assertError(400, "NOT_A_FRIEND", "userId", api.invite(alice.token(), roomId, dave.id()));
    assertEquals(ids(alice, bob, dave), members(assertRoom(assertJson(200, api.invite(bob.token(), roomId, dave.id()),
        ROOM_FIELDS))));
  }

  @Test
  void aNonMemberCannotInvite() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User outsider = newUser("outsider");
    User outsidersFriend = newUser("friend");
    befriend(alice, bob, outsider);
    befriend(outsider, outsidersFriend);
    String roomId = roomIdOf(createRoom(alice, "closed", bob));

    assertError(403, "NOT_A_MEMBER", api.invite(outsider.token(), roomId, outsidersFriend.id()));
    assertError(403, "NOT_A_MEMBER", api.invite(outsider.token(), roomId, alice.id()));
    assertEquals(ids(alice, bob), members(room(alice, roomId)));
  }

  @Test
  void theInviteeMustBeTheInvitersFriend() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User stranger = newUser("stranger");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "friends only", bob));

    assertError(400, "NOT_A_FRIEND", "userId", api.invite(alice.token(), roomId, stranger.id()));
    assertError(400, "NOT_A_FRIEND", "userId", api.invite(alice.token(), roomId, uniqueId("nobody")));
    assertEquals(ids(alice, bob), members(room(alice, roomId)));
    assertError(403, "NOT_A_MEMBER", api.room(stranger.token(), roomId));
  }

  @Test
  void invitingAMemberIs409() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "full", bob));

    assertError(409, "ALREADY_MEMBER", api.invite(alice.token(), roomId, bob.id()));
    assertError(409, "ALREADY_MEMBER", api.invite(bob.token(), roomId, alice.id()));
    assertEquals(ids(alice, bob), members(room(alice, roomId)));
  }

  @Test
  void anInviteNeedsAUserId() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "vague", bob));
    String path = "/api/rooms/" + roomId + "/members";

    assertError(400, "VALIDATION_FAILED", "userId", api.post(path, alice.token(), json()));
    assertError(400, "VALIDATION_FAILED", "userId", api.post(path, alice.token(), json("userId", "")));
    assertError(400, "VALIDATION_FAILED", "userId", api.post(path, alice.token(), json().put("userId", 7)));
  }

  // ---- leave ----

  @Test
  void aMemberWhoLeftCanNoLongerReadOrWrite() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User carol = newUser("carol");
    befriend(alice, bob, carol);
    befriend(bob, carol);
    String roomId = roomIdOf(createRoom(alice, "exit", bob));
    send(bob, roomId, "bye");

    Response left = assertStatus(204, api.leave(bob.token(), roomId));
    assertTrue(left.body().isEmpty(), left::toString);

    assertError(403, "NOT_A_MEMBER", api.room(bob.token(), roomId));
    assertError(403, "NOT_A_MEMBER", api.sendMessage(bob.token(), roomId, "after-leaving", "still here?"));
    assertError(403, "NOT_A_MEMBER", api.history(bob.token(), roomId, ""));
    assertError(403, "NOT_A_MEMBER", api.history(bob.token(), roomId, "after=0"));
    assertError(403, "NOT_A_MEMBER", api.markRead(bob.token(), roomId, 1));
    assertError(403, "NOT_A_MEMBER", api.invite(bob.token(), roomId, carol.id()));
    assertError(403, "NOT_A_MEMBER", api.leave(bob.token(), roomId)); // leaving twice

    JsonNode remaining = room(alice, roomId);
    assertEquals(ids(alice), members(remaining));
    assertEquals(1, remaining.get("lastSeq").asLong(), "the refused send added nothing");
  }

  @Test
  void aNonMemberCannotLeave() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    User outsider = newUser("outsider");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "members only", bob));

    assertError(403, "NOT_A_MEMBER", api.leave(outsider.token(), roomId));
    assertEquals(ids(alice, bob), members(room(alice, roomId)));
  }

  @Test
  void aMemberWhoLeftMayBeInvitedBack() {
    User alice = newUser("alice");
    User bob = newUser("bob");
    befriend(alice, bob);
    String roomId = roomIdOf(createRoom(alice, "revolving door", bob));
    assertStatus(204, api.leave(bob.token(), roomId));

    assertEquals(ids(alice, bob), members(assertRoom(assertJson(200, api.invite(alice.token(), roomId, bob.id()),
        ROOM_FIELDS))));
    assertEquals(1, send(bob, roomId, "back again").get("seq").asLong());
    awaitListed(bob, roomId);
  }
}
