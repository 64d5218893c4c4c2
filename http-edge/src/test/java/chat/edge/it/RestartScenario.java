package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node writes must be there for the next node on the same database: users, profiles,
 * friendships and refresh-token families (including which tokens are spent), and access tokens
 * keep working because the signing key is the same.
 *
 * <p>Node A registers alice and bob, makes them friends, sets alice's status message and rotates
 * alice's refresh token once; then it stops and node B starts on the same database.
 */
final class RestartScenario {

  /** Starts a node on the database under test; called once per node. */
  @FunctionalInterface
  interface NodeStarter {
    TestNode start() throws Exception;
  }

  static final String ALICE = "alice";
  static final String BOB = "bob";
  static final String ALICE_PASSWORD = "alice-password-1";
  static final String BOB_PASSWORD = "bob-password-22";
  static final String STATUS = "back after the restart";
  private static final Duration SYNC_DEADLINE = Duration.ofSeconds(20);
  /** Several read-journal polls (200 ms apart): offsets unchanged over it have nothing left to project. */
  private static final Duration SETTLE = Duration.ofMillis(1000);

  /** What node A handed out and the test keeps for node B. */
  private record Kept(String aliceAccessToken, String aliceSpentRefresh, String aliceCurrentRefresh,
      String operatorAccessToken) {}

  private RestartScenario() {}

  static void run(NodeStarter starter) throws Exception {
    Kept kept;
    try (TestNode first = starter.start()) {
      kept = beforeRestart(new ApiClient(first.baseUrl()));
    }
    try (TestNode second = starter.start()) {
      afterRestart(new ApiClient(second.baseUrl()), kept);
    }
  }

  private static Kept beforeRestart(ApiClient api) {
    assertStatus(201, api.register(ALICE, ALICE_PASSWORD, "Alice Liddell", "alice@example.com"), "register alice");
    assertStatus(201, api.register(BOB, BOB_PASSWORD, "Bob Builder", "bob@example.com"), "register bob");
    Response aliceLogin = assertStatus(200, api.login(ALICE, ALICE_PASSWORD), "alice logs in");
    Response bobLogin = assertStatus(200, api.login(BOB, BOB_PASSWORD), "bob logs in");
    String alice = aliceLogin.text("accessToken");
    String bob = bobLogin.text("accessToken");

    assertStatus(201, api.addFriend(alice, BOB), "alice befriends bob");
    Response patched = assertStatus(200, api.updateMe(alice, json("statusMessage", STATUS)), "alice sets a status message");
    assertEquals(STATUS, patched.text("statusMessage"));

    String spent = aliceLogin.text("refreshToken");
    Response refreshed = assertStatus(200, api.refresh(spent), "alice refreshes");
    String current = refreshed.text("refreshToken");
    assertNotEquals(spent, current, "a refresh must rotate the refresh token");

    // Bob's side of the friendship is written by a second step; let it land before the node stops.
    Poll.until("alice in bob's friends", SYNC_DEADLINE, () -> api.friendIds(bob), ids -> ids.equals(List.of(ALICE)));
    // And let the read side store its offsets for all of it, so nothing is left to project after the restart.
    String operator = api.operator().accessToken();
    Poll.until("user-read offsets settled", SYNC_DEADLINE, () -> {
      List<String> before = userReadOffsets(api, operator);
      sleep(SETTLE);
      return before.equals(userReadOffsets(api, operator)) ? before : List.<String>of();
    }, RestartScenario::anyOffset);
    return new Kept(refreshed.text("accessToken"), spent, current, operator);
  }

  private static void afterRestart(ApiClient api, Kept kept) {
    // Before anything new is written: the read side shows the offsets it stored before the restart.
    Poll.until("stored user-read offsets on /api/ops/projections", SYNC_DEADLINE,
        () -> userReadOffsets(api, kept.operatorAccessToken()), RestartScenario::anyOffset);

    // Signed by node A with the same key: still accepted, and it sees alice's persisted profile.
    Response meWithOldToken = assertStatus(200, api.me(kept.aliceAccessToken()),
        "GET /me with an access token from before the restart");
    assertProfile(meWithOldToken, ALICE, "Alice Liddell", STATUS);
    assertEquals("alice@example.com", meWithOldToken.text("email"));

    Response aliceLogin = assertStatus(200, api.login(ALICE, ALICE_PASSWORD), "alice logs in after the restart");
    Response bobLogin = assertStatus(200, api.login(BOB, BOB_PASSWORD), "bob logs in after the restart");
    String alice = aliceLogin.text("accessToken");
    String bob = bobLogin.text("accessToken");
    assertStatus(401, api.login(BOB, ALICE_PASSWORD), "bob with alice's password");

    Response bobMe = assertStatus(200, api.me(bob), "bob's profile");
    assertProfile(bobMe, BOB, "Bob Builder", "");
    assertEquals("bob@example.com", bobMe.text("email"));
    assertProfile(assertStatus(200, api.user(bob, ALICE), "alice seen by bob"), ALICE, "Alice Liddell", STATUS);

    assertEquals(List.of(BOB), api.friendIds(alice), "alice's friends after the restart");
    assertEquals(List.of(ALICE), api.friendIds(bob), "bob's friends after the restart");
    assertStatus(409, api.addFriend(alice, BOB), "befriending bob again");

    // The family rotated on node A continues: its current token refreshes once more...
    Response refreshed = assertStatus(200, api.refresh(kept.aliceCurrentRefresh()),
        "refresh with alice's current token");
    String newest = refreshed.text("refreshToken");
    // ...and the token it replaced is still known as spent: presenting it is refused...
    Response reuse = assertStatus(401, api.refresh(kept.aliceSpentRefresh()), "refresh with alice's spent token");
    assertEquals("INVALID_TOKEN", reuse.errorCode(), "error code for a spent refresh token");
    // ...and revokes every family of alice: the one from before the restart and the one from the new login.
    assertStatus(401, api.refresh(newest), "alice's newest token after the reuse");
    assertStatus(401, api.refresh(aliceLogin.text("refreshToken")),
        "alice's post-restart login token after the reuse");
    // Bob's sessions are his own.
    assertStatus(200, api.refresh(bobLogin.text("refreshToken")), "bob refreshes after alice's reuse");
  }

  private static boolean anyOffset(List<String> offsets) {
    return offsets.stream().anyMatch(offset -> !offset.endsWith("=null"));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The offset of each user-read instance on /api/ops/projections, as "slice=offset". */
  private static List<String> userReadOffsets(ApiClient api, String accessToken) {
    List<String> offsets = new ArrayList<>();
    for (JsonNode p : assertStatus(200, api.get("/api/ops/projections", accessToken), "GET /api/ops/projections")
        .json().get("projections")) {
      if (p.get("name").asText().equals("user-read")) {
        offsets.add(p.get("slice").asText() + "=" + p.get("offset"));
      }
    }
    return offsets;
  }

  private static void assertProfile(Response r, String userId, String name, String statusMessage) {
    assertEquals(userId, r.text("userId"), "userId in " + r);
    assertEquals(name, r.text("name"), "name in " + r);
    assertEquals(statusMessage, r.json().path("statusMessage").asText(""), "statusMessage in " + r);
  }
}
