package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one Postgres database form one cluster: users registered through either node are
 * served by both, wherever sharding placed their entities, and a friendship between users whose
 * entities live on different nodes is visible from both sides on both nodes.
 */
class TwoNodeClusterTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String PASSWORD = "cluster-password";
  private static final int USERS = 8;

  @Test
  void twoNodesServeEachOthersUsersAndFriendships() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         TestNode node1 = TestNode.onPostgres(db.settings(), "");
         TestNode node2 = TestNode.onPostgres(db.settings(), node1.seedAddress())) {
      // Node 2 is stopped first (below; closing it again is harmless), then node 1, then the database is dropped.
      Poll.until("both members Up", DEADLINE,
          () -> ApiClient.getUrl(node1.managementUrl() + "/cluster/members"),
          r -> r.status() == 200 && upMembers(r.json()) == 2);

      List<TestNode> nodes = List.of(node1, node2);
      for (TestNode node : nodes) {
        Poll.until("/ready 200 on " + node.managementUrl(), DEADLINE,
            () -> ApiClient.getUrl(node.managementUrl() + "/ready"), r -> r.status() == 200);
        assertEquals(200, ApiClient.getUrl(node.managementUrl() + "/alive").status(),
            "/alive on " + node.managementUrl());
      }

      ApiClient api1 = new ApiClient(node1.baseUrl());
      ApiClient api2 = new ApiClient(node2.baseUrl());
      List<String> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        String userId = "member" + i;
        ApiClient via = i % 2 == 0 ? api1 : api2;
        assertStatus(201, via.register(userId, PASSWORD, "Member " + i, userId + "@example.com"),
            "register " + userId);
        users.add(userId);
      }

      // Where sharding put each user's entity: node index by shard id, from each node's own regions.
      Map<String, Integer> hostOfShard = new HashMap<>();
      for (int n = 0; n < nodes.size(); n++) {
        for (String shard : localShards(nodes.get(n))) {
          hostOfShard.put(shard, n);
        }
      }
      Map<String, Integer> hostOfUser = new HashMap<>();
      for (String userId : users) {
        Integer host = hostOfShard.get(shardOf(userId));
        assertTrue(host != null, userId + "'s shard " + shardOf(userId) + " is hosted by no node: " + hostOfShard);
        hostOfUser.put(userId, host);
      }
      String onNode1 = users.stream().filter(u -> hostOfUser.get(u) == 0).findFirst().orElse(null);
      String onNode2 = users.stream().filter(u -> hostOfUser.get(u) == 1).findFirst().orElse(null);
      assertTrue(onNode1 != null && onNode2 != null,
          "sharding should spread " + USERS + " users over both nodes, but placed them " + hostOfUser);

      // Every user's profile, through either node.
      Map<ApiClient, String> tokens = new HashMap<>();
      for (ApiClient api : List.of(api1, api2)) {
        Response login = assertStatus(200, api.login(users.get(0), PASSWORD), "log in on " + api);
        tokens.put(api, login.text("accessToken"));
      }
      for (ApiClient api : List.of(api1, api2)) {
        for (String userId : users) {
          Response profile = assertStatus(200, api.user(tokens.get(api), userId), "GET /api/users/" + userId);
          assertEquals(userId, profile.text("userId"));
          assertEquals("Member " + userId.substring("member".length()), profile.text("name"));
        }
      }

      // A friendship between an entity on node 1 and one on node 2, made through node 2 by the
      // user on node 1, with an access token issued by node 1 (the key is shared).
      String a = assertStatus(200, api1.login(onNode1, PASSWORD), "log in " + onNode1).text("accessToken");
      String b = assertStatus(200, api2.login(onNode2, PASSWORD), "log in " + onNode2).text("accessToken");
      Response added = assertStatus(201, api2.addFriend(a, onNode2),
          onNode1 + " befriends " + onNode2 + " via node 2");
      assertEquals(onNode2, added.text("userId"));

      for (ApiClient api : List.of(api1, api2)) {
        assertEquals(List.of(onNode2), api.friendIds(a), onNode1 + "'s friends");
        Poll.until(onNode1 + " in " + onNode2 + "'s friends", DEADLINE, () -> api.friendIds(b),
            ids -> ids.equals(List.of(onNode1)));
      }
      assertStatus(409, api1.addFriend(b, onNode1), "the friendship seen from " + onNode2 + " via node 1");

      // Node 2 leaves: its entities move to node 1, recovered from the shared database.
      node2.close();
      Poll.until("node 2 gone from node 1's members", DEADLINE,
          () -> ApiClient.getUrl(node1.managementUrl() + "/cluster/members"),
          r -> r.status() == 200 && r.json().path("members").size() == 1 && upMembers(r.json()) == 1);
      assertEquals(List.of(onNode1), api1.friendIds(b), onNode2 + "'s friends on node 1 after node 2 left");
      assertStatus(200, api1.login(onNode2, PASSWORD), onNode2 + " logs in on node 1 after node 2 left");
      for (String userId : users) {
        assertStatus(200, api1.user(a, userId), "GET /api/users/" + userId + " on node 1 after node 2 left");
      }
    }
  }

  private static long upMembers(JsonNode members) {
    List<JsonNode> up = new ArrayList<>();
    members.path("members").forEach(m -> {
      if ("Up".equals(m.path("status").asText())) {
        up.add(m);
      }
    });
    return up.size();
  }

  /** The shards of the User entity that this node hosts, from its management endpoint. */
  private static Set<String> localShards(TestNode node) {
    Response r = ApiClient.getUrl(node.managementUrl() + "/cluster/shards/User");
    assertEquals(200, r.status(), "/cluster/shards/User: " + r);
    assertFalse(r.json().path("regions").isMissingNode(), "no regions in " + r);
    Set<String> shards = new HashSet<>();
    r.json().path("regions").forEach(region -> shards.add(region.path("shardId").asText()));
    return shards;
  }

  /** Pekko's default shard of an entity id, as sharding computes it (number-of-shards = 100). */
  private static String shardOf(String entityId) {
    return Integer.toString(Math.abs(entityId.hashCode() % 100));
  }
}
