package chat.edge.http;

import static chat.edge.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.EventTags;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import chat.edge.Poll;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} and {@code GET /api/ops/projections} on a node that has carried some messages. */
class OpsApiTest extends NodeTestBase {

  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One parsed sample: its name, labels and value. */
  private record Sample(String name, Map<String, String> labels, double value) {}

  /** The Prometheus text format, strictly: every sample belongs to a family declared with # TYPE. */
  private static List<Sample> parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertEquals(4, parts.length, line);
        assertTrue(TYPES.contains(parts[3]), line);
        assertEquals(null, types.put(parts[2], parts[3]), "family declared twice: " + line);
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.matches(), "not a sample line: " + line);
      String name = sample.group(1);
      String family = name.replaceFirst("_(bucket|sum|count)$", "");
      assertTrue(types.containsKey(name) || types.containsKey(family), "no # TYPE before " + line);
      Map<String, String> labels = new HashMap<>();
      if (sample.group(3) != null && !sample.group(3).isEmpty()) {
        for (String pair : sample.group(3).split(",(?=[a-zA-Z_])")) {
          Matcher label = LABEL.matcher(pair);
          assertTrue(label.matches(), "bad label in " + line);
          labels.put(label.group(1), label.group(2));
        }
      }
      String value = sample.group(4);
      samples.add(new Sample(name, labels,
          value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value)));
    }
    return samples;
  }

  private static List<Sample> metrics() {
    Response response = ApiClient.assertStatus(200, api.get("/metrics", null));
    assertTrue(response.contentType().startsWith("text/plain; version=0.0.4"), response.contentType());
    return parse(response.body());
  }

  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + labels))
        .value();
  }

  private static double value(List<Sample> samples, String name) {
    return value(samples, name, Map.of());
  }

  private static boolean has(List<Sample> samples, String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** Every room-read and user-read slice of this node's configuration, as "projection/slice". */
  private static Set<String> readSideInstances() {
    int slices = node.node().system().settings().config().getInt("chat.projections.slices");
    Set<String> all = new HashSet<>();
    EventTags.all(EventTags.ROOM, slices).forEach(tag -> all.add("room-read/" + tag));
    EventTags.all(EventTags.USER, slices).forEach(tag -> all.add("user-read/" + tag));
    return all;
  }

  /** Alice sends three messages over REST and one over her WebSocket; Bob, subscribed, receives all four. */
  private static Tokens converse() throws Exception {
    String alice = ApiClient.uniqueId("opsa");
    String bob = ApiClient.uniqueId("opsb");
    Tokens a = api.newUser(alice);
    Tokens b = api.newUser(bob);
    ApiClient.assertStatus(201, api.addFriend(a.accessToken(), bob));
    String roomId = api.createdRoom(a.accessToken(), "ops", bob).get("roomId").asText();
    try (WsClient bobWs = WsClient.connect(node.baseUrl(), b.accessToken());
        WsClient aliceWs = WsClient.connect(node.baseUrl(), a.accessToken())) {
      bobWs.send(json("type", "subscribe", "roomId", roomId));
      bobWs.next("subscribed");
      Poll.eventually("both connections counted", () -> value(metrics(), "chat_websocket_connections") >= 2);
      for (int i = 1; i <= 3; i++) {
        api.sent(a.accessToken(), roomId, "rest-" + i, "hello " + i);
      }
      aliceWs.send(json("type", "send", "roomId", roomId, "clientMsgId", "ws-1", "text", "over the socket"));
      aliceWs.next("ack");
      for (int i = 0; i < 4; i++) {
        bobWs.next("message");
      }
    }
    return a;
  }

  @Test
  void metricsArePrometheusTextWhoseCountersMoveWithTheMessages() throws Exception {
    List<Sample> before = metrics();
    converse();
    List<Sample> after = metrics();

    assertTrue(value(after, "chat_messages_sent_total") >= value(before, "chat_messages_sent_total") + 4);
    assertTrue(value(after, "chat_messages_delivered_total") >= value(before, "chat_messages_delivered_total") + 4);
    assertTrue(value(after, "chat_persist_latency_seconds_count")
        >= value(before, "chat_persist_latency_seconds_count") + 4);
    assertEquals(value(after, "chat_persist_latency_seconds_count"),
        value(after, "chat_persist_latency_seconds_bucket", Map.of("le", "+Inf")));
    assertTrue(value(after, "chat_persist_latency_seconds_sum") > 0);
    assertTrue(has(after, "chat_websocket_connections"));
    for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds_count")) {
      assertTrue(has(after, jvm), jvm);
    }

    Set<String> instances = readSideInstances();
    // The room's messages reach the read side through the journal's polling: wait for a room-read offset.
    List<Sample> withProjections = Poll.until("every read-side slice on /metrics, a room-read offset", CATCH_UP,
        OpsApiTest::metrics,
        samples -> hasRoomReadOffset(samples) && instances.stream().allMatch(instance -> {
          String[] parts = instance.split("/");
          Map<String, String> labels = Map.of("projection", parts[0], "slice", parts[1]);
          return samples.stream().anyMatch(s -> s.name().equals("chat_projection_lag_seconds") && s.labels().equals(labels));
        }));
    for (String instance : instances) {
      String[] parts = instance.split("/");
      Map<String, String> labels = Map.of("projection", parts[0], "slice", parts[1]);
      assertEquals(0, value(withProjections, "chat_projection_errors_total", labels), instance);
      assertEquals(1, value(withProjections, "chat_projection_running", labels), instance);
    }
  }

  private static boolean hasRoomReadOffset(List<Sample> samples) {
    return samples.stream().anyMatch(s -> s.name().equals("chat_projection_offset")
        && "room-read".equals(s.labels().get("projection")) && s.value() > 0);
  }

  @Test
  void projectionsAreForOperatorsOnly() {
    assertEquals(401, api.get("/api/ops/projections", null).status());
    assertEquals(401, api.get("/api/ops/projections", "not-a-token").status());
    Tokens someone = api.newUser(ApiClient.uniqueId("opsx"));
    Response refused = api.get("/api/ops/projections", someone.accessToken());
    assertEquals(403, refused.status());
    assertEquals("FORBIDDEN", refused.errorCode());
  }

  @Test
  void projectionsListEveryReadSideInstanceAndCatchUp() throws Exception {
    converse();
    Tokens operator = api.operator();
    Set<String> instances = readSideInstances();
    JsonNode caughtUp = Poll.until("every read-side instance listed with lag 0", CATCH_UP,
        () -> ApiClient.assertStatus(200, api.get("/api/ops/projections", operator.accessToken())).json(),
        json -> {
          Set<String> idle = new HashSet<>();
          json.get("projections").forEach(p -> {
            if (p.get("running").asBoolean() && p.get("lagMillis").asLong() == 0) {
              idle.add(p.get("name").asText() + "/" + p.get("slice").asText());
            }
          });
          boolean roomOffset = false;
          for (JsonNode p : json.get("projections")) {
            roomOffset |= p.get("name").asText().equals("room-read") && p.get("offset").isNumber();
          }
          return roomOffset && idle.containsAll(instances);
        });
    boolean someRoomSliceHasAnOffset = false;
    for (JsonNode p : caughtUp.get("projections")) {
      for (String field : List.of("name", "slice", "offset", "lagMillis", "lastEventAt", "errors", "failures",
          "lastError", "running")) {
        assertTrue(p.has(field), field + " in " + p);
      }
      if (instances.contains(p.get("name").asText() + "/" + p.get("slice").asText())) {
        assertEquals(0, p.get("errors").asLong(), p.toString());
        assertTrue(p.get("lastError").isNull(), p.toString());
      }
      if (p.get("name").asText().equals("room-read") && p.get("offset").isNumber()) {
        someRoomSliceHasAnOffset = true;
        assertTrue(p.get("lastEventAt").asText().matches(ApiClient.TIMESTAMP_PATTERN), p.toString());
      }
    }
    assertTrue(someRoomSliceHasAnOffset, caughtUp.toString());
  }
}
