package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.uniqueId;
import static chat.edge.Poll.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Friends: GET and POST /api/friends, DELETE /api/friends/{userId}. */
class FriendApiTest extends NodeTestBase {


  /** The caller's friends list, each entry checked for the contract's shape. */
  private static List<JsonNode> friendsOf(Tokens tokens) {
    JsonNode body = assertJson(200, api.friends(tokens.accessToken()), "friends");
    assertTrue(body.get("friends").isArray(), body::toString);
    List<JsonNode> friends = new ArrayList<>();
    body.get("friends").forEach(friend -> {
      assertEquals(Set.of("userId", "name", "statusMessage", "online"), ApiClient.fieldNames(friend),
          friend::toString);
      assertTrue(friend.get("online").isBoolean(), friend::toString);
      friends.add(friend);
    });
    return friends;
  }

  private static List<String> friendIdsOf(Tokens tokens) {
    return friendsOf(tokens).stream().map(friend -> friend.get("userId").asText()).toList();
  }

  @Test
  void aNewUserHasNoFriends() {
    Tokens tokens = api.newUser(uniqueId("lonely"));
    assertEquals(List.of(), friendIdsOf(tokens));
  }

  @Test
  void addingAFriendAnswersTheirPublicProfileAndIsMutual() {
    String aliceId = uniqueId("alice");
    String bobId = uniqueId("bob");
    Tokens alice = api.newUser(aliceId);
    Tokens bob = api.newUser(bobId);
    api.patch("/api/users/me", bob.accessToken(), json("statusMessage", "bob is busy"));

    JsonNode added = assertJson(201, api.addFriend(alice.accessToken(), bobId),
        "userId", "name", "statusMessage", "online");
    assertEquals(bobId, added.get("userId").asText());
    assertEquals("Name of " + bobId, added.get("name").asText());
    assertEquals("bob is busy", added.get("statusMessage").asText());
    assertTrue(added.get("online").isBoolean(), added::toString);

    List<JsonNode> alicesFriends = friendsOf(alice);
    assertEquals(List.of(added), alicesFriends);

    eventually(bobId + " sees " + aliceId, () -> friendIdsOf(bob).equals(List.of(aliceId)));
    JsonNode aliceAsSeenByBob = friendsOf(bob).get(0);
    assertEquals("Name of " + aliceId, aliceAsSeenByBob.get("name").asText());
    assertEquals("", aliceAsSeenByBob.get("statusMessage").asText());
  }

  @Test
  void friendsAreSortedByUserId() {
    String prefix = uniqueId("sort");
    Tokens me = api.newUser(prefix + "_me");
    for (String suffix : List.of("m", "z", "a", "k")) {
      api.registered(prefix + "_" + suffix);
      assertStatus(201, api.addFriend(me.accessToken(), prefix + "_" + suffix));
    }
    assertEquals(List.of(prefix + "_a", prefix + "_k", prefix + "_m", prefix + "_z"), friendIdsOf(me));
  }

  @Test
  void theListShowsTheFriendsCurrentProfile() {
    Tokens me = api.newUser(uniqueId("watcher"));
    String friendId = uniqueId("changer");
    Tokens friend = api.newUser(friendId);
    assertStatus(201, api.addFriend(me.accessToken(), friendId));

    api.patch("/api/users/me", friend.accessToken(), json("name", "Renamed", "statusMessage", "new status"));
    JsonNode listed = friendsOf(me).get(0);
    assertEquals("Renamed", listed.get("name").asText());
    assertEquals("new status", listed.get("statusMessage").asText());
  }

  @Test
  void addingYourselfIs400() {
    String userId = uniqueId("narcissus");
    Tokens tokens = api.newUser(userId);
    assertError(400, "CANNOT_ADD_SELF", api.addFriend(tokens.accessToken(), userId));
    assertEquals(List.of(), friendIdsOf(tokens));
  }

  @Test
  void addingAnUnknownUserIs404() {
    Tokens tokens = api.newUser(uniqueId("seeker"));
    assertError(404, "USER_NOT_FOUND", api.addFriend(tokens.accessToken(), uniqueId("nobody")));
    assertEquals(List.of(), friendIdsOf(tokens));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "has space", "bad!char", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void addingAnImpossibleUserIdIs404(String impossible) {
    Tokens tokens = api.newUser(uniqueId("seeker"));
    assertError(404, "USER_NOT_FOUND", api.addFriend(tokens.accessToken(), impossible));
  }

  @Test
  void addingWithoutAUserIdIs400() {
    Tokens tokens = api.newUser(uniqueId("vague"));
    assertError(400, "VALIDATION_FAILED", "userId", api.post("/api/friends", tokens.accessToken(), json()));
    assertError(400, "VALIDATION_FAILED", "userId",
        api.post("/api/friends", tokens.accessToken(), json().put("userId", 7)));
  }

  @Test
  void addingTwiceIs409FromEitherSide() {
    String aliceId = uniqueId("alice");
    String bobId = uniqueId("bob");
    Tokens alice = api.newUser(aliceId);
    Tokens bob = api.newUser(bobId);
    assertStatus(201, api.addFriend(alice.accessToken(), bobId));

    assertError(409, "ALREADY_FRIENDS", api.addFriend(alice.accessToken(), bobId));
    eventually(bobId + " sees " + aliceId, () -> friendIdsOf(bob).contains(aliceId));
    assertError(409, "ALREADY_FRIENDS", api.addFriend(bob.accessToken(), aliceId));
    assertEquals(List.of(bobId), friendIdsOf(alice));
    assertEquals(List.of(aliceId), friendIdsOf(bob));
  }

  @Test
  void removingAFriendRemovesBothSides() {
    String aliceId = uniqueId("alice");
    String bobId = uniqueId("bob");
    String carolId = uniqueId("carol");
    Tokens alice = api.newUser(aliceId);
    Tokens bob = api.newUser(bobId);
    api.registered(carolId);
    assertStatus(201, api.addFriend(alice.accessToken(), bobId));
    assertStatus(201, api.addFriend(alice.accessToken(), carolId));
    eventually(bobId + " sees " + aliceId, () -> friendIdsOf(bob).equals(List.of(aliceId)));

    Response removed = api.removeFriend(bob.accessToken(), aliceId);
    assertStatus(204, removed);
    assertEquals("", removed.body());
    assertEquals(List.of(), friendIdsOf(bob));
    eventually(aliceId + " no longer sees " + bobId, () -> friendIdsOf(alice).equals(List.of(carolId)));

    assertError(404, "NOT_FRIENDS", api.removeFriend(alice.accessToken(), bobId));
    assertError(404, "NOT_FRIENDS", api.removeFriend(bob.accessToken(), aliceId));
  }

  @Test
  void friendsCanBeAddedAgainAfterRemoval() {
    String aliceId = uniqueId("alice");
    String bobId = uniqueId("bob");
    Tokens alice = api.newUser(aliceId);
    Tokens bob = api.newUser(bobId);
    assertStatus(201, api.addFriend(alice.accessToken(), bobId));
    eventually(bobId + " sees " + aliceId, () -> friendIdsOf(bob).contains(aliceId));
    assertStatus(204, api.removeFriend(alice.accessToken(), bobId));
    eventually(bobId + " no longer sees " + aliceId, () -> friendIdsOf(bob).isEmpty());

    assertStatus(201, api.addFriend(bob.accessToken(), aliceId));
    eventually(aliceId + " sees " + bobId + " again", () -> friendIdsOf(alice).equals(List.of(bobId)));
  }

  @Test
  void removingSomeoneWhoIsNotAFriendIs404() {
    Tokens tokens = api.newUser(uniqueId("stranger"));
    String otherId = uniqueId("other");
    api.registered(otherId);
    assertError(404, "NOT_FRIENDS", api.removeFriend(tokens.accessToken(), otherId));
    assertError(404, "NOT_FRIENDS", api.removeFriend(tokens.accessToken(), uniqueId("nobody")));
  }
}
