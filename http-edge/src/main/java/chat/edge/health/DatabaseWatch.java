package chat.edge.health;

import chat.cluster.db.DatabaseProbe;
import chat.cluster.db.DatabaseSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one view of its database: probes it every second, says once when it stops answering
 * and once when it answers again (with how long it was gone), and answers the readiness check
 * ({@link DatabaseReadiness}) with the same probe, so the node holds one probe connection.
 *
 * <p>During an outage every write fails, and the journal, the connection pools and the entities'
 * supervisors would each report every failure; those reports are kept below INFO (logback.xml, the
 * entities' supervision) so that an outage is these two lines, not a stack trace per request.
 */
public final class DatabaseWatch implements Extension {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private static final ExtensionId<DatabaseWatch> ID = new ExtensionId<>() {
    @Override
    public DatabaseWatch createExtension(ActorSystem<?> system) {
      return new DatabaseWatch(system);
    }
  };

  private final DatabaseProbe probe;
  private final Executor blocking;
  private boolean checking; // guarded by this
  private long downSince = -1; // guarded by this; System.nanoTime() of the first failed probe

  private DatabaseWatch(ActorSystem<?> system) {
    this.probe = DatabaseProbe.create(DatabaseSettings.fromConfig(system.settings().config()));
    this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.blocking-dispatcher"));
    var ticks = system.scheduler().scheduleWithFixedDelay(INTERVAL, INTERVAL, this::check, system.executionContext());
    system.getWhenTerminated().thenRun(() -> {
      ticks.cancel();
      probe.close();
    });
  }

  /** The node's watch, started on first use: {@code ChatNode} starts it once persistence is up. */
  public static DatabaseWatch get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Runs {@code SELECT 1} now, on the blocking dispatcher; {@code true} if it answered in time. */
  public CompletionStage<Boolean> isReachable() {
    return CompletableFuture.supplyAsync(probe::isReachable, blocking);
  }

  private void check() {
    synchronized (this) {
      if (checking) {
        return; // the last probe is still waiting for its timeout
      }
      checking = true;
    }
    isReachable().whenComplete((up, failure) -> observed(Boolean.TRUE.equals(up)));
  }

  private synchronized void observed(boolean up) {
    checking = false;
    if (!up && downSince < 0) {
      downSince = System.nanoTime();
      log.warn("Database unreachable (SELECT 1 failed or took over {} s): requests that need it get 503 until it is back",
          DatabaseProbe.DEFAULT_TIMEOUT.toSeconds());
    } else if (up && downSince >= 0) {
      log.info("Database reachable again after {} s", String.format("%.1f", (System.nanoTime() - downSince) / 1e9));
      downSince = -1;
    }
  }
}
