package chat.projections;

import chat.cluster.db.DatabaseSettings;
import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
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
 * Call it once per actor system, after the entities are initialised; it gives the node its
 * queries on the read tables.
 */
public final class ReadSide {

  private static final Logger log = LoggerFactory.getLogger(ReadSide.class);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
  private static final String QUERY_DISPATCHER = "chat.read-side.query-dispatcher";

  private ReadSide() {}

  public static ReadModel init(ActorSystem<?> system, DatabaseSettings database) {
    Config config = system.settings().config();
    int slices = config.getInt("chat.projections.slices");
    HikariDataSource projectionPool =
        database.createDataSource("chat-projections", config.getInt("chat.read-side.projection-pool-size"));
    HikariDataSource queryPool =
        database.createDataSource("chat-read-model", config.getInt("chat.read-side.query-pool-size"));
    system.getWhenTerminated().thenRun(() -> {
      projectionPool.close();
      queryPool.close();
    });
    Supplier<ChatJdbcSession> sessions = () -> new ChatJdbcSession(projectionPool);
    createOffsetTables(system, sessions);
    RoomReadProjection.init(system, sessions, slices,
        RoomReadProjection.Grouping.from(config.getConfig("chat.read-side")));
    UserReadProjection.init(system, sessions, slices);

    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(QUERY_DISPATCHER));
    log.info("Read side started: {} room and {} user projection instances", slices, slices);
    return new ReadModel(queryPool, blocking);
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
}
