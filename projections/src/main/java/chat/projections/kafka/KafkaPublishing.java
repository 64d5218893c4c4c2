package chat.projections.kafka;

import chat.cluster.EventTags;
import chat.cluster.db.DatabaseSettings;
import chat.cluster.room.RoomEvent;
import chat.cluster.user.UserEvent;
import chat.projections.ChatJdbcSession;
import chat.projections.status.ProjectionStatusRegistry;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.javadsl.SendProducer;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.AtLeastOnceProjection;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes room and user events to Kafka (topics chat.messages, chat.rooms, chat.users) when
 * {@code chat.kafka.bootstrap-servers} is set. One at-least-once projection per event tag slice,
 * its offsets in the database, run as a sharded daemon process so the cluster spreads them over
 * its nodes. A failing broker only pauses the projections: they restart with backoff from their
 * stored offsets and catch up when it returns; chat itself never waits for Kafka.
 */
public final class KafkaPublishing {

  public static final String ROOMS_PROJECTION = "kafka-rooms";
  public static final String USERS_PROJECTION = "kafka-users";
  private static final String READ_JOURNAL = "jdbc-read-journal";
  private static final Duration TABLES_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(KafkaPublishing.class);

  private KafkaPublishing() {}

  /** Starts publishing, or does nothing when no bootstrap servers are configured. */
  public static void init(ActorSystem<?> system, DatabaseSettings database, Config config) throws Exception {
    Config kafka = config.getConfig("chat.kafka");
    String bootstrapServers = kafka.getString("bootstrap-servers").trim();
    if (bootstrapServers.isEmpty()) {
      log.info("Kafka publishing is off (no chat.kafka.bootstrap-servers)");
      return;
    }
    int slices = config.getInt("chat.projections.slices");
    TopicNames names = TopicNames.fromConfig(kafka.getConfig("topics"));
    KafkaTopics topics = new KafkaTopics(
        bootstrapServers, names.all(), kafka.getInt("partitions"), kafka.getInt("replication-factor"),
        kafka.getDuration("admin-timeout"));
    KafkaRecords records = new KafkaRecords(names);

    HikariDataSource dataSource =
        database.createDataSource("chat-kafka-offsets", kafka.getInt("offset-store-pool-size"));
    Supplier<ChatJdbcSession> sessions = () -> new ChatJdbcSession(dataSource);
    try {
      JdbcProjection.createTablesIfNotExists(sessions, system)
          .toCompletableFuture().get(TABLES_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      dataSource.close();
      throw e;
    }

    ProducerSettings<String, String> producerSettings = ProducerSettings
        .create(kafka.getConfig("producer").withFallback(system.settings().config().getConfig("pekko.kafka.producer")),
            new StringSerializer(), new StringSerializer())
        .withBootstrapServers(bootstrapServers);
    SendProducer<String, String> producer = new SendProducer<>(producerSettings, system);

    // The daemon processes stop with the shard regions, before these close.
    CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-kafka-publishing",
        () -> producer.close().handle((done, error) -> {
          dataSource.close();
          return Done.getInstance();
        }));

    Config backoff = kafka.getConfig("restart-backoff");
    Restart restart = new Restart(backoff.getDuration("min"), backoff.getDuration("max"),
        backoff.getDouble("random-factor"));
    List<String> roomTags = EventTags.all(EventTags.ROOM, slices);
    List<String> userTags = EventTags.all(EventTags.USER, slices);
    ShardedDaemonProcess daemons = ShardedDaemonProcess.get(system);
    daemons.init(ProjectionBehavior.Command.class, ROOMS_PROJECTION, slices,
        i -> ProjectionBehavior.create(KafkaPublishing.<RoomEvent>projection(system, ROOMS_PROJECTION,
            roomTags.get(i), sessions, restart,
            () -> new PublishingHandler<RoomEvent>(producer, topics, records::room))),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
    daemons.init(ProjectionBehavior.Command.class, USERS_PROJECTION, slices,
        i -> ProjectionBehavior.create(KafkaPublishing.<UserEvent>projection(system, USERS_PROJECTION,
            userTags.get(i), sessions, restart,
            () -> new PublishingHandler<UserEvent>(producer, topics, records::user))),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
    // Topics are created before the first send anyway; this only makes them appear early.
    topics.ensureCreated();
    log.info("Kafka publishing to {} on {} ({} slices)", names.all(), bootstrapServers, slices);
  }

  private record Restart(Duration min, Duration max, double randomFactor) {}

  private static <E> AtLeastOnceProjection<?, ?> projection(
      ActorSystem<?> system, String name, String tag, Supplier<ChatJdbcSession> sessions, Restart restart,
      Supplier<PublishingHandler<E>> handler) {
    return JdbcProjection
        .atLeastOnceAsync(
            ProjectionId.of(name, tag),
            EventSourcedProvider.<E>eventsByTag(system, READ_JOURNAL, tag),
            sessions,
            handler::get,
            system)
        .withRestartBackoff(restart.min(), restart.max(), restart.randomFactor())
        .withStatusObserver(ProjectionStatusRegistry.get(system).<E>observer(name, tag));
  }
}
