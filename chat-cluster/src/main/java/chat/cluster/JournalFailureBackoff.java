package chat.cluster;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.slf4j.event.Level;

/**
 * What an entity does when the journal or snapshot store fails it (a write or a recovery): it
 * starts again after a backoff, recovers, and goes on; nothing needs a node restart. During a
 * database outage every busy entity fails at once, so each failure is logged at DEBUG (the node's
 * DatabaseWatch says once that the database is gone); an entity that keeps failing for
 * about two minutes (20 restarts, 5 s apart at most) logs at ERROR with its cause.
 */
public final class JournalFailureBackoff {

  private JournalFailureBackoff() {
  }

  public static BackoffSupervisorStrategy strategy() {
    return SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1)
        .withLogLevel(Level.DEBUG)
        .withCriticalLogLevel(Level.ERROR, 20);
  }
}
