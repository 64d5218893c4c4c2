package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Tokens;
import chat.edge.Poll;
import chat.edge.SseClient;
import chat.edge.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster view of a two-node cluster on Postgres, asked of either node: both members with
 * their own figures and shards; and on the stream, a node that leaves shows at once.
 */
class ClusterStreamTest {

  /** The contract: a membership change reaches the stream "at once"; a second is the promise. */
  private static final Duration AT_ONCE = Duration.ofSeconds(1);

  @Test
  void eitherNodeShowsBothAndTheStreamTellsAtOnceWhenOneLeaves() throws Exception {
    try (ClusterSupport.TwoNodes cluster = new ClusterSupport.TwoNodes()) {
      ApiClient api1 = new ApiClient(cluster.node1.baseUrl());
      ApiClient api2 = new ApiClient(cluster.node2.baseUrl());
      Tokens operator = api1.operator();
      for (int i = 0; i < 12; i++) {
        (i % 2 == 0 ? api1 : api2).newUser(ApiClient.uniqueId("spread"));
      }

      Map<String, TestNode> byAddress = Map.of(
          cluster.node1.seedAddress(), cluster.node1, cluster.node2.seedAddress(), cluster.node2);
      for (ApiClient api : new ApiClient[] {api1, api2}) {
        JsonNode view = Poll.until("both members with figures and user shards, asked of " + api,
            ClusterSupport.DEADLINE,
            () -> assertStatus(200, api.get("/api/ops/cluster", operator.accessToken())).json(),
            v -> v.get("members").size() == 2 && v.get("members").get(0).get("stats").isObject()
                && v.get("members").get(1).get("stats").isObject() && userEntities(v) >= 12);
        int leaders = 0;
        for (JsonNode member : view.get("members")) {
          TestNode node = byAddress.get(member.get("node").asText());
          assertTrue(node != null, () -> "unknown member " + member);
          assertEquals(node.baseUrl(), member.get("httpUrl").asText());
          assertEquals("up", member.get("status").asText());
          leaders += member.get("leader").asBoolean() ? 1 : 0;
        }
        assertEquals(1, leaders, view::toString);
        Set<String> shardRows = new HashSet<>();
        view.get("shards").forEach(s -> shardRows.add(s.get("type").asText() + "@" + s.get("node").asText()));
        assertEquals(Set.of("user@" + cluster.node1.seedAddress(), "user@" + cluster.node2.seedAddress(),
            "room@" + cluster.node1.seedAddress(), "room@" + cluster.node2.seedAddress()), shardRows);
      }

      String leaving = cluster.node2.seedAddress();
      try (SseClient stream = SseClient.open(
          cluster.node1.baseUrl() + "/api/ops/stream?access_token=" + operator.accessToken())) {
        assertEquals(2, stream.next("snapshot", ClusterSupport.DEADLINE).json().get("members").size());
        stream.next("snapshot", ClusterSupport.DEADLINE);

        long asked = System.nanoTime();
        assertStatus(202, api1.sendText("POST", "/api/ops/members/" + leaving + "/leave",
            operator.accessToken(), null, null));
        JsonNode change = stream.next("member", AT_ONCE).json();
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        assertEquals(leaving, change.get("node").asText(), change::toString);
        assertEquals("leaving", change.get("status").asText(), change::toString);
        assertTrue(change.get("at").asText().matches(ApiClient.TIMESTAMP_PATTERN), change::toString);
        assertTrue(took.compareTo(AT_ONCE) <= 0, "member event after " + took.toMillis() + " ms");

        Map<String, String> seen = new HashMap<>();
        long end = System.nanoTime() + ClusterSupport.DEADLINE.toNanos();
        while (!"removed".equals(seen.get(leaving)) && System.nanoTime() < end) {
          JsonNode next = stream.next("member", ClusterSupport.DEADLINE).json();
          seen.put(next.get("node").asText(), next.get("status").asText());
        }
        assertEquals("removed", seen.get(leaving), seen::toString);
        JsonNode alone = Poll.until("a snapshot of one member", ClusterSupport.DEADLINE,
            () -> nextSnapshot(stream), s -> s.get("members").size() == 1);
        assertEquals(cluster.node1.seedAddress(), alone.get("members").get(0).get("node").asText());
      }
    }
  }

  private static int userEntities(JsonNode view) {
    int entities = 0;
    for (JsonNode shard : view.get("shards")) {
      entities += shard.get("type").asText().equals("user") ? shard.get("entities").asInt() : 0;
    }
    return entities;
  }

  private static JsonNode nextSnapshot(SseClient stream) {
    try {
      return stream.next("snapshot", ClusterSupport.DEADLINE).json();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
