package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Tokens;
import chat.edge.OwnNode;
import chat.edge.Poll;
import chat.edge.SseClient;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operators' cluster view on a one-node cluster: the snapshot, the stream, the actions, /metrics. */
class ClusterApiTest {

  @RegisterExtension
  static final OwnNode node = new OwnNode(Map.of());

  private static final Duration EVENT_DEADLINE = Duration.ofSeconds(10);
  private static final Set<String> MEMBER_FIELDS =
      Set.of("node", "status", "roles", "upSince", "leader", "reachable", "httpUrl", "stats");
  private static final Set<String> STATS_FIELDS = Set.of("connections", "messagesInPerSec", "messagesOutPerSec",
      "persistP99Millis", "heapUsedBytes", "heapMaxBytes", "cpuLoad");

  private static ApiClient api() {
    return node.api();
  }

  private static JsonNode cluster(String token) {
    return assertStatus(200, api().get("/api/ops/cluster", token), "GET /api/ops/cluster").json();
  }

  @Test
  void everyClusterEndpointIsForOperatorsOnly() {
    Tokens someone = api().newUser(ApiClient.uniqueId("nonop"));
    for (String method : List.of("GET /api/ops/cluster", "POST /api/ops/members/127.0.0.1:1/leave",
        "POST /api/ops/members/127.0.0.1:1/down")) {
      String[] parts = method.split(" ");
      assertUnauthorized(api().sendText(parts[0], parts[1], null, null, null));
      assertError(403, "FORBIDDEN", api().sendText(parts[0], parts[1], someone.accessToken(), null, null));
    }
    assertError(401, "UNAUTHORIZED", api().get("/api/ops/stream", null));
    assertError(401, "UNAUTHORIZED", api().get("/api/ops/stream?access_token=forged", null));
    assertError(403, "FORBIDDEN", api().get("/api/ops/stream?access_token=" + someone.accessToken(), null));
  }

  @Test
  void theSnapshotShowsTheMemberItsFiguresShardsAndProjections() {
    Tokens operator = api().operator();
    // Someone connected makes a user entity live on this node.
    Tokens user = api().newUser(ApiClient.uniqueId("viewed"));
    JsonNode snapshot;
    try (WsClient ws = WsClient.connect(node.baseUrl(), user.accessToken())) {
      snapshot = Poll.until("the connection and the user shard in the view", EVENT_DEADLINE,
          () -> cluster(operator.accessToken()),
          s -> s.path("members").path(0).path("stats").path("connections").asInt() >= 1
              && userShardsOf(s) > 0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertTrue(snapshot.get("at").asText().matches(ApiClient.TIMESTAMP_PATTERN), snapshot::toString);
    assertEquals(1, snapshot.get("members").size(), snapshot::toString);
    JsonNode member = snapshot.get("members").get(0);
    assertEquals(MEMBER_FIELDS, ApiClient.fieldNames(member), member::toString);
    assertTrue(member.get("node").asText().matches("127\\.0\\.0\\.1:\\d+"), member::toString);
    assertEquals("up", member.get("status").asText());
    assertTrue(member.get("leader").asBoolean());
    assertTrue(member.get("reachable").asBoolean());
    assertEquals(node.baseUrl(), member.get("httpUrl").asText());
    assertTrue(member.get("upSince").asText().matches(ApiClient.TIMESTAMP_PATTERN), member::toString);
    JsonNode stats = member.get("stats");
    assertEquals(STATS_FIELDS, ApiClient.fieldNames(stats), stats::toString);
    assertTrue(stats.get("heapUsedBytes").asLong() > 0 && stats.get("heapMaxBytes").asLong() >= stats.get("heapUsedBytes").asLong());

    for (JsonNode shard : snapshot.get("shards")) {
      assertEquals(Set.of("type", "node", "shards", "entities"), ApiClient.fieldNames(shard), shard::toString);
      assertEquals(member.get("node").asText(), shard.get("node").asText());
    }
    Set<String> types = new HashSet<>();
    snapshot.get("shards").forEach(s -> types.add(s.get("type").asText()));
    assertEquals(Set.of("user", "room"), types);

    JsonNode projections = Poll.until("projection instances in the view", EVENT_DEADLINE,
        () -> cluster(operator.accessToken()).get("projections"), p -> p.size() > 0);
    for (JsonNode instance : projections) {
      for (String field : List.of("node", "name", "slice", "offset", "lagMillis", "lastEventAt", "errors", "failures",
          "lastError", "running")) {
        assertTrue(instance.has(field), field + " in " + instance);
      }
      assertEquals(member.get("node").asText(), instance.get("node").asText());
    }
  }

  private static int userShardsOf(JsonNode snapshot) {
    for (JsonNode shard : snapshot.path("shards")) {
      if (shard.path("type").asText().equals("user")) {
        return shard.path("shards").asInt();
      }
    }
    return 0;
  }

  @Test
  void leaveAndDownNameAMemberByItsArteryAddress() {
    Tokens operator = api().operator();
    String self = cluster(operator.accessToken()).get("members").get(0).get("node").asText();

    assertError(404, "MEMBER_NOT_FOUND",
        api().sendText("POST", "/api/ops/members/127.0.0.1:1/leave", operator.accessToken(), null, null));
    assertError(404, "MEMBER_NOT_FOUND",
        api().sendText("POST", "/api/ops/members/not%20a%20node/down", operator.accessToken(), null, null));
    // This node is reachable (it is the one answering): downing it is refused, and it stays up.
    assertError(409, "MEMBER_REACHABLE",
        api().sendText("POST", "/api/ops/members/" + self + "/down", operator.accessToken(), null, null));
    assertEquals("up", cluster(operator.accessToken()).get("members").get(0).get("status").asText());
    assertError(405, "METHOD_NOT_ALLOWED", api().get("/api/ops/members/" + self + "/leave", operator.accessToken()));
  }

  @Test
  void theStreamSendsSnapshotsOneAfterAnotherAndEndsWhenTheClientGoes() throws Exception {
    Tokens operator = api().operator();
    double before = api().metric("chat_ops_streams");
    try (SseClient stream = SseClient.open(node.baseUrl() + "/api/ops/stream?access_token=" + operator.accessToken())) {
      assertEquals(200, stream.status());
      assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
      JsonNode first = stream.next("snapshot", EVENT_DEADLINE).json();
      JsonNode second = stream.next("snapshot", EVENT_DEADLINE).json();
      JsonNode third = stream.next("snapshot", EVENT_DEADLINE).json();
      assertEquals(1, third.get("members").size(), third::toString);
      assertTrue(third.get("members").get(0).get("stats").isObject(), third::toString);
      assertNotEquals(first.get("at").asText(), third.get("at").asText());
      assertTrue(second.get("at").asText().compareTo(first.get("at").asText()) >= 0);
      assertEquals(before + 1, api().metric("chat_ops_streams"));
    }
    Poll.eventually("the stream gone on the server", () -> api().metric("chat_ops_streams") == before);
  }

  @Test
  void threeStreamsShareOneGatheringPerSnapshot() throws Exception {
    Tokens operator = api().operator();
    String url = node.baseUrl() + "/api/ops/stream?access_token=" + operator.accessToken();
    try (SseClient first = SseClient.open(url); SseClient second = SseClient.open(url);
        SseClient third = SseClient.open(url)) {
      for (SseClient stream : List.of(first, second, third)) {
        stream.next("snapshot", EVENT_DEADLINE);
      }
      first.drain();
      double before = api().metric("chat_ops_gatherings_total");
      int snapshots = 5;
      for (int i = 0; i < snapshots; i++) {
        first.next("snapshot", EVENT_DEADLINE);
      }
      double gatherings = api().metric("chat_ops_gatherings_total") - before;
      // Each gathering reaches every stream: as many as the first stream saw, give or take the one in flight.
      assertTrue(gatherings >= snapshots - 1 && gatherings <= snapshots + 1,
          gatherings + " gatherings for " + snapshots + " snapshots on each of three streams");
      second.next("snapshot", EVENT_DEADLINE);
      third.next("snapshot", EVENT_DEADLINE);
    }
  }

  @Test
  void metricsShowTheMembersByStatusAndThisNodesShards() {
    String text = assertStatus(200, api().get("/metrics", null)).body();
    assertTrue(text.contains("# TYPE chat_cluster_members gauge"), text);
    assertEquals(1, api().metric("chat_cluster_members{status=\"up\"}"));
    assertEquals(0, api().metric("chat_cluster_members{status=\"leaving\"}"));
    assertEquals(0, api().metric("chat_cluster_unreachable_members"));
    api().newUser(ApiClient.uniqueId("sharded"));
    Poll.eventually("a user shard on /metrics", () -> api().metric("chat_sharding_shards{type=\"user\"}") >= 1
        && api().metric("chat_sharding_entities{type=\"user\"}") >= 1);
    assertFalse(text.contains("NaN"), text);
    assertTrue(api().metric("chat_sharding_shards{type=\"room\"}") >= 0);
  }
}
