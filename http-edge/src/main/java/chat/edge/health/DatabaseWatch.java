package chat.edge.health;

import chat.cluster.db.DatabaseProbe;
import chat.cluster.db.DatabaseSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once when the database stops answering and once when it answers again, with how long it
 * was gone. During an outage every write fails, and the journal, the connection pools and the
 * entities' supervisors would each report every failure; those reports are kept below INFO
 * (logback.xml, the entities' supervision) so that an outage is these two lines, not a stack trace
 * per request.
 */
public final class DatabaseWatch {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final DatabaseProbe probe;
  private boolean checking; // guarded by this
  private long downSince = -1; // guarded by this; System.nanoTime() of the first failed probe

  private DatabaseWatch(DatabaseProbe probe) {
    this.probe = probe;
  }

  /** Probes every second on the blocking dispatcher until the node stops. */
  public static void start(ActorSystem<?> system, DatabaseSettings settings) {
    DatabaseWatch watch = new DatabaseWatch(DatabaseProbe.create(settings));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.blocking-dispatcher"));
    Cancellable ticks = system.scheduler().scheduleWithFixedDelay(INTERVAL, INTERVAL,
        () -> watch.check(blocking), system.executionContext());
    system.getWhenTerminated().thenRun(() -> {
      ticks.cancel();
      watch.probe.close();
    });
  }

  private void check(Executor blocking) {
    synchronized (this) {
      if (checking) {
        return; // the last probe is still waiting for its timeout
      }
      checking = true;
    }
    CompletableFuture.supplyAsync(probe::isReachable, blocking).whenComplete((up, failure) -> observed(Boolean.TRUE.equals(up)));
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
