package chat.projections;

import chat.cluster.db.DatabaseSettings;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the read side on a node: the projections' offset tables, then the room and user
 * projections as sharded daemon processes (one instance per slice, spread over the cluster), and
 * the queries on the read tables. The read tables themselves come from the schema migrations.
 * Call it once per actor system, after the entities are initialised.
 */
public final class ReadSide {

  private static final Logger log = LoggerFactory.getLogger(ReadSide.class);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
  private static final String QUERY_DISPATCHER = "chat.read-side.query-dispatcher";
  private static final Map<ActorSystem<?>, ReadModel> READ_MODELS = new ConcurrentHashMap<>();

  private ReadSide() {}

  public static void init(ActorSystem<?> system, DatabaseSettings database) {
    Config config = system.settings().config();
    int slices = config.getInt("chat.projections.slices");
    HikariDataSource projectionPool = database.createDataSource("chat-projections",
        intOr(config, "chat.read-side.projection-pool-size", 4));
    HikariDataSource queryPool = database.createDataSource("chat-read-model",
        intOr(config, "chat.read-side.query-pool-size", 4));
    system.getWhenTerminated().thenRun(() -> {
      READ_MODELS.remove(system);
      projectionPool.close();
      queryPool.close();
    });
    Supplier<ChatJdbcSession> sessions = () -> new ChatJdbcSession(projectionPool);
    createOffsetTables(system, sessions);
    RoomReadProjection.init(system, sessions, slices,
        RoomReadProjection.Grouping.from(config.getConfig("chat.read-side")));
    UserReadProjection.init(system, sessions, slices);

    String dispatcher = config.hasPath(QUERY_DISPATCHER) ? QUERY_DISPATCHER
        : "pekko.projection.jdbc.blocking-jdbc-dispatcher";
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(dispatcher));
    READ_MODELS.put(system, new ReadModel(queryPool, blocking));
    log.info("Read side started: {} room and {} user projection instances", slices, slices);
  }

  /** The queries of a system whose read side runs. */
  public static Optional<ReadModel> readModel(ActorSystem<?> system) {
    return Optional.ofNullable(READ_MODELS.get(system));
  }

  /** Nodes that start together may race to create the tables: a failed attempt is retried. */
  private static void createOffsetTables(ActorSystem<?> system, Supplier<ChatJdbcSession> sessions) {
    for (int attempt = 1; ; attempt++) {
      try {
        JdbcProjection.createTablesIfNotExists(sessions, system)
            .toCompletableFuture().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (attempt == 3) {
          throw new IllegalStateException("cannot create the projection offset tables", e);
        }
        log.warn("Creating the projection offset tables failed (attempt {}), retrying", attempt, e);
      }
    }
  }

  private static int intOr(Config config, String path, int fallback) {
    return config.hasPath(path) ? config.getInt(path) : fallback;
  }
}
