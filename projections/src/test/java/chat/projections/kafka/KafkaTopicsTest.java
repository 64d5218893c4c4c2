package chat.projections.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real broker in its own JVM, stopped and started again in between. */
class KafkaTopicsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void createsMissingTopicsWithTheConfiguredPartitionsAndKeepsExistingOnes() throws Exception {
    new KafkaTopics(broker.bootstrapServers(), List.of("t.a"), 2, 0, TIMEOUT).createMissing();
    KafkaTopics topics = new KafkaTopics(broker.bootstrapServers(), List.of("t.a", "t.b"), 5, 1, TIMEOUT);
    topics.ensureCreated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    topics.createMissing(); // all exist: nothing to do

    try (AdminClient admin = AdminClient.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of("t.a", "t.b")).allTopicNames().get(10, TimeUnit.SECONDS);
      assertEquals(2, described.get("t.a").partitions().size());
      assertEquals(5, described.get("t.b").partitions().size());
    }
  }

  @Test
  void aStoppedBrokerFailsTheAttemptAndTheNextOneSucceedsOnceItIsBack() throws Exception {
    KafkaTopics topics = new KafkaTopics(broker.bootstrapServers(), List.of("t.c"), 1, 0, TIMEOUT);
    broker.stop();
    try {
      assertThrows(Exception.class, () -> topics.ensureCreated().toCompletableFuture().get(60, TimeUnit.SECONDS));
    } finally {
      broker.restart();
    }
    topics.ensureCreated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
