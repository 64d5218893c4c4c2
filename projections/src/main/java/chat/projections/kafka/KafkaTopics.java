package chat.projections.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the chat's topics when they are missing; existing topics are left as they are. Runs
 * before a projection's first send and again after a failure, so a broker that is down when the
 * node starts is handled like any other outage.
 */
public final class KafkaTopics {

  private final String bootstrapServers;
  private final List<String> names;
  private final int partitions;
  private final Optional<Short> replicationFactor;
  private final long timeoutMs;
  private volatile CompletableFuture<Void> created;

  /**
   * @param replicationFactor 0 or less: the broker's default
   * @param timeout how long one attempt waits for the broker
   */
  public KafkaTopics(
      String bootstrapServers, List<String> names, int partitions, int replicationFactor, Duration timeout) {
    this.timeoutMs = timeout.toMillis();
    this.bootstrapServers = bootstrapServers;
    this.names = List.copyOf(names);
    this.partitions = partitions;
    this.replicationFactor = replicationFactor > 0 ? Optional.of((short) replicationFactor) : Optional.empty();
  }

  /** Completes once every topic exists; a failed attempt is forgotten, so the next call tries again. */
  public synchronized CompletionStage<Void> ensureCreated() {
    CompletableFuture<Void> current = created;
    if (current == null || current.isCompletedExceptionally()) {
      current = CompletableFuture.runAsync(this::createMissing);
      created = current;
    }
    return current;
  }

  /** Blocking: creates the topics that do not exist yet. */
  public void createMissing() {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    try (AdminClient admin = AdminClient.create(config)) {
      Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, Optional.of(partitions), replicationFactor));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // another node was quicker
          throw e;
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create Kafka topics " + names + " on " + bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    }
  }
}
