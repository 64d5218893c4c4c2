package chat.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.bench.NodeProcess.Database;
import chat.cluster.db.TestDatabases;
import chat.cluster.db.TestDatabases.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short kafka-outage run: three nodes publishing to a Kafka broker, 20 users at 40 messages/s,
 * the broker stopped for 10 s and started again. Chat goes on through it, and afterwards the
 * topic holds every acknowledged message under its seq, with no seq published as two messages.
 * Counts only, no timing. The run's cluster stops every node and the broker, also on failure.
 */
class KafkaOutageSmokeTest {

  private static final Path NODE_JAR = Path.of(System.getProperty("chat.node.jar", "../http-edge/target/chat-node.jar"))
      .toAbsolutePath();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void chatGoesOnThroughABrokerOutageAndTheTopicHoldsEveryAck(@TempDir Path out) throws Exception {
    assertTrue(Files.isRegularFile(NODE_JAR), NODE_JAR + " is missing: package http-edge first");
    try (TestDatabase db = TestDatabases.freshPostgres()) {
      FaultRun.Settings settings = new FaultRun.Settings(3, 20, 10, 40, Duration.ofSeconds(3), Duration.ofSeconds(5),
          Duration.ofSeconds(60), 20, NODE_JAR, List.of("-XX:+UseG1GC", "-Xmx384m", "-Dchat.db.pool-size=4"),
          new Fault.Settings(Duration.ZERO, Duration.ZERO, List.of(), Duration.ofSeconds(10)));
      FaultRun.Result r = FaultRun.run(List.of(Fault.KAFKA_OUTAGE), settings,
          new Database(db.jdbcUrl(), db.settings().user(), db.settings().password()), out);
      String summary = FaultsMain.summary(r);
      KafkaTopicCheck topic = r.kafkaTopic();

      assertTrue(r.sent() > 0, summary);
      assertEquals(0, r.unanswered(), "sends without a final answer\n" + summary);
      assertEquals(r.sent(), r.acked(), "every send acked in the end\n" + summary);
      assertEquals(0, r.outOfOrder(), "out of order within a subscription\n" + summary);
      // Clean: nothing lost or shown twice, no two writers, the read table complete, and no acked
      // message missing from the topic nor published as another at its seq.
      assertTrue(FaultsMain.clean(r), summary);
      assertNotNull(topic, "the topic was not checked\n" + summary);
      assertEquals(r.acked(), topic.present(), "every ack in " + KafkaTopicCheck.TOPIC + "\n" + summary);
    }
  }
}
