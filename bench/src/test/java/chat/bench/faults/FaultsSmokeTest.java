package chat.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.bench.NodeProcess.Database;
import chat.bench.PackagedNode;
import chat.cluster.db.TestDatabases;
import chat.cluster.db.TestDatabases.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the fault runner and what it proves working: a short run of every fault one after the
 * other on one three-node cluster under load, publishing to a Kafka broker (a Postgres restart; the
 * broker stopped for 10 s; the oldest node frozen long enough to be downed, which must stop itself
 * on waking and is started again; every node stopped and started in turn, which includes the
 * stop-node scenario; a node killed), with count-only checks: every send answered, nothing
 * acknowledged lost or shown twice, no room with two writers, and the read table and the
 * {@code chat.messages} topic holding every acknowledged message, with no seq as two messages. No
 * timing is asserted. Postgres is restarted only where this user may (root with pg_ctlcluster).
 */
class FaultsSmokeTest {

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void nothingAcknowledgedIsLostOrShownTwiceThroughFaults() throws Exception {
    Path out = freshLogDirectory();
    Path nodeJar = PackagedNode.jar();
    List<String> restartPostgres = postgresRestartCommand();
    List<Fault> faults = new ArrayList<>();
    if (!restartPostgres.isEmpty()) {
      faults.add(Fault.DB_RESTART);
    }
    faults.add(Fault.KAFKA_OUTAGE);
    faults.add(Fault.PAUSE_NODE);
    faults.add(Fault.ROLLING_RESTART);
    faults.add(Fault.KILL_NODE); // last: the cluster goes on with two nodes
    try (TestDatabase db = TestDatabases.freshPostgres()) {
      FaultRun.Settings settings = new FaultRun.Settings(3, 20, 10, 40, Duration.ofSeconds(3), Duration.ofSeconds(12),
          Duration.ofSeconds(60), 20, nodeJar, List.of("-XX:+UseG1GC", "-Xmx384m", "-Dchat.db.pool-size=4"),
          // Frozen for 30 s: time for the others to find it unreachable and for the split brain resolver to down it.
          new Fault.Settings(Duration.ofSeconds(30), Duration.ofSeconds(1), restartPostgres, Duration.ofSeconds(10)));
      FaultRun.Result r = FaultRun.run(faults, settings,
          new Database(db.jdbcUrl(), db.settings().user(), db.settings().password()), out);
      String summary = FaultsMain.summary(r);

      assertTrue(r.sent() > 0, summary);
      assertEquals(0, r.unanswered(), "sends without a final answer\n" + summary);
      assertEquals(r.sent(), r.acked(), "every send acked in the end\n" + summary);
      assertEquals(0, r.lostDeliveries(), "acked but not shown\n" + summary);
      assertEquals(0, r.shownTwice(), "stored twice\n" + summary);
      assertEquals(0, r.outOfOrder(), "out of order within a subscription\n" + summary);
      assertEquals(0, r.seqConflicts() + r.ackConflicts(), "two writers\n" + summary);
      assertEquals(Map.of(Fault.DOWNED_NODE_STOPS, true), r.promises(), summary);
      assertEquals(r.acked(), r.readTable().present(), "read table\n" + summary);
      assertEquals(0, r.readTable().storedTwice(), "read table\n" + summary);
      KafkaTopicCheck topic = r.kafkaTopic();
      assertNotNull(topic, "the topic was not checked\n" + summary);
      assertEquals(r.acked(), topic.present(), "every ack in " + KafkaTopicCheck.TOPIC + "\n" + summary);
      assertEquals(0, topic.otherMessageAtSeq() + topic.conflicting(), "one message per seq in the topic\n" + summary);
    }
  }

  /**
   * The nodes' logs go under Maven's build directory, not a temporary one, so that a failed run
   * leaves them to read; the next run starts it afresh.
   */
  private static Path freshLogDirectory() throws IOException {
    Path out = Path.of("target", "faults-smoke").toAbsolutePath();
    TestDatabases.deleteRecursively(out);
    return Files.createDirectories(out);
  }

  /** {@code pg_ctlcluster <version> <cluster> restart} for the test database's server; empty if not allowed here. */
  private static List<String> postgresRestartCommand() throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    String url = System.getenv().getOrDefault("CHAT_TEST_DB_URL", TestDatabases.DEFAULT_ADMIN_URL);
    URI uri = URI.create(url.substring("jdbc:".length()));
    if (!List.of("127.0.0.1", "localhost").contains(uri.getHost())) {
      return List.of();
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    Process list;
    try {
      list = new ProcessBuilder("pg_lsclusters", "-h").redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      return List.of();
    }
    String clusters = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    for (String line : clusters.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[2].equals(Integer.toString(port)) && f[3].startsWith("online")) {
        return List.of("pg_ctlcluster", f[0], f[1], "restart");
      }
    }
    return List.of();
  }
}
