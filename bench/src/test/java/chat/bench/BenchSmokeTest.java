package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.cluster.db.TestDatabases.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark working: every scenario end to end with tiny parameters against a node the
 * bench starts from the packaged jar, on a throw-away Postgres database. Checks that the counts
 * add up and the result files are there; no timing is asserted.
 */
class BenchSmokeTest {

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyScenarioProducesConsistentResults(@TempDir Path out) throws Exception {
    Path nodeJar = PackagedNode.jar();
    try (TestDatabase db = TestDatabases.freshPostgres()) {
      Report report = BenchMain.run(BenchOptions.parse(
          "--db-url", db.jdbcUrl(), "--db-user", db.settings().user(), "--db-password", db.settings().password(),
          "--node-jar", nodeJar.toString(), "--out", out.toString(),
          "--users", "20", "--room-size", "5", "--rate", "100", "--warmup", "1", "--duration", "2", "--drain", "30",
          "--rest-clients", "10", "--rest-messages", "200", "--rest-warmup", "20",
          "--connections", "100", "--ping-sample", "10", "--ping-rounds", "2",
          "--jdbc-rows", "500",
          "--poison-rate", "10", "--slow-connections", "300", "--random-subscribes", "50", "--random-sends", "100",
          "--history-messages", "100", "--replays", "2", "--guesses", "15"));

      RestBurst.Result rest = report.restBurst;
      assertEquals(200, rest.sent());
      assertEquals(rest.sent(), rest.created(), "every REST send answered 201");
      assertEquals(0, rest.failed());
      assertEquals(200, rest.latency().count());

      assertConsistent("ws-fanout", report.wsFanout, 5);
      assertConsistent("ws-baseline", report.wsBaseline, 5);

      Connections.Result connections = report.connections;
      assertEquals(100, connections.connected(), "connections held");
      assertEquals(0, connections.failed());
      assertEquals(20, connections.pingPong().count(), "a pong for every ping");

      assertEquals(500, report.jdbcBaseline.rows());
      assertTrue(report.jdbcBaseline.rowsPerSecond() > 0);

      HostileRun.Result hostile = report.hostile;
      assertConsistent("hostile, quiet", hostile.quiet(), 5);
      assertConsistent("hostile, attacked", hostile.attacked(), 5);
      Map<String, Map<String, Long>> answers = hostile.answers();
      assertEquals(Set.of("BAD_FRAME"), answers.get("poison").keySet(), "poisoned posts: " + answers);
      Map<String, Long> slow = answers.get("slow-heads");
      assertEquals(300, slow.get("refused on arrival") + slow.get("held"), "slow heads: " + slow);
      assertTrue(slow.get("held") <= 256, "at most 256 per address: " + slow);
      assertEquals(slow.get("held"), slow.get("held, then cut at the head timeout"), "every held one cut: " + slow);
      Map<String, Long> subscribes = answers.get("random-subscribes");
      assertEquals(Set.of("ROOM_NOT_FOUND", "RATE_LIMITED"), subscribes.keySet(), "random subscribes: " + subscribes);
      assertEquals(50, subscribes.values().stream().mapToLong(Long::longValue).sum(), "random subscribes: " + subscribes);
      assertTrue(subscribes.get("ROOM_NOT_FOUND") < 25, "past 10 at once, 2/s asked the room: " + subscribes);
      assertEquals(Map.of("ROOM_NOT_FOUND", 100L), answers.get("random-sends"), "within the send budget, each refused");
      assertEquals(Map.of("subscribed", 2L, "message", 200L), answers.get("replays"), "every message of both replays");
      assertEquals(Map.of("401", 10L, "429", 5L), answers.get("guesses"), "10 failures per address, then 429");

      JsonNode json = new ObjectMapper().readTree(out.resolve("latest.json").toFile());
      assertTrue(json.path("machine").path("cores").asInt() > 0, "machine info in " + json);
      Set<String> scenarios = new HashSet<>();
      json.path("metrics").forEach(m -> scenarios.add(m.path("scenario").asText()));
      assertEquals(Set.copyOf(BenchOptions.SCENARIOS), scenarios, "scenarios in latest.json");
      assertNotNull(json.path("latenciesMs").get("ws-fanout send→all"), "latency series in latest.json");

      Path svg = out.resolve("latency.svg");
      assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
          .getDocumentElement().getTagName());
      assertFalse(ResultsTable.render(report.metrics()).isBlank());
    }
  }

  private static void assertConsistent(String scenario, WsFanout.Result r, int roomSize) {
    assertNotNull(r, scenario + " ran");
    assertTrue(r.sent() > 0, scenario + " sent messages");
    assertEquals(0, r.unsent(), scenario + ": frames the client could not queue");
    assertEquals(r.sent(), r.acked(), scenario + ": every send acked");
    assertEquals(0, r.rejected(), scenario + ": refused sends " + r.errors());
    assertEquals(0, r.deliveredUnacked(), scenario + ": delivered without an ack");
    assertEquals(r.acked() * roomSize, r.expectedDeliveries(), scenario + ": expected deliveries");
    assertEquals(r.expectedDeliveries(), r.deliveries(), scenario + ": deliveries");
    assertEquals(0, r.lost(), scenario + ": lost");
    assertEquals(0, r.duplicated(), scenario + ": duplicated");
    assertEquals(0, r.outOfOrder(), scenario + ": out of order");
    assertTrue(r.errors().isEmpty(), scenario + ": error frames " + r.errors());
  }
}
