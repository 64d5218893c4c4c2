package chat.projections.status;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows about the projection instances it runs: one entry per projection name and
 * slice tag, fed by each instance's {@link StatusObserver} ({@link #observer}). Thread-safe: the
 * observers are called from the projections' streams, {@link #snapshot} from HTTP requests.
 *
 * <p><b>Lag</b> is how far the instance is behind the events it has been given: while an event is
 * being handled (or failing, or waiting for a restart after failing) the lag is now minus that
 * event's timestamp (when it was written to the journal); once the instance has handled every event
 * that reached it, the lag is 0. Events the read journal has not yet delivered to the instance
 * (it polls, see {@code jdbc-read-journal.refresh-interval}) do not count.
 *
 * <p>An instance that starts shows the offset it stored before (on this node or another) until it
 * handles its first event, so a restarted node does not report its projections as never run.
 *
 * <p>The log gets one line when an instance starts failing and one when it handles an event again:
 * an outage of what it writes to (the database, Kafka) is two lines per instance, where Pekko's
 * own log of it (silenced in logback.xml) is a stack trace per failed attempt.
 */
public final class ProjectionStatusRegistry implements Extension {

  private static final Logger log = LoggerFactory.getLogger(ProjectionStatusRegistry.class);

  /** One registry per actor system, as a Pekko extension. */
  private static final ExtensionId<ProjectionStatusRegistry> ID = new ExtensionId<>() {
    @Override
    public ProjectionStatusRegistry createExtension(ActorSystem<?> system) {
      ProjectionManagement management = ProjectionManagement.get(system);
      return new ProjectionStatusRegistry(Clock.systemUTC(), management::<Offset>getOffset);
    }
  };

  /** Reads the offset an instance stored before. */
  @FunctionalInterface
  public interface StoredOffsets {
    CompletionStage<Optional<Offset>> of(ProjectionId id);
  }

  private final Clock clock;
  private final StoredOffsets storedOffsets;
  private final Map<Key, Instance> instances = new ConcurrentHashMap<>();

  public ProjectionStatusRegistry(Clock clock, StoredOffsets storedOffsets) {
    this.clock = clock;
    this.storedOffsets = storedOffsets;
  }

  /** The registry of a node, created on first use. */
  public static ProjectionStatusRegistry get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** One projection instance as seen at one moment. */
  public record Status(
      String projection,
      String slice,
      /** The offset of the last handled event, as text; null before the first. */
      String offset,
      /** The same offset as a number when it is a sequence (the JDBC journal's ordering), else null. */
      Long offsetSequence,
      /** Epoch millis of the last handled event's journal timestamp; 0 before the first. */
      long lastEventTimestamp,
      long lagMillis,
      /** Handler calls that threw (each attempt counts). */
      long errors,
      /** Times the instance's stream failed (and, with restart backoff, restarts). */
      long failures,
      String lastError,
      /** Started on this node and neither stopped nor failed since. */
      boolean running) {}

  /** The observer to pass to {@code withStatusObserver} of the instance for {@code slice}. */
  public <E> StatusObserver<EventEnvelope<E>> observer(String projection, String slice) {
    Instance instance = instances.computeIfAbsent(new Key(projection, slice), Instance::new);
    return new StatusObserver<>() {
      @Override
      public void started(ProjectionId id) {
        instance.started();
        storedOffsets.of(id).thenAccept(stored -> stored.ifPresent(instance::stored));
      }

      @Override
      public void failed(ProjectionId id, Throwable cause) {
        instance.failed(cause, clock.millis());
      }

      @Override
      public void stopped(ProjectionId id) {
        instance.stopped();
      }

      @Override
      public void beforeProcess(ProjectionId id, EventEnvelope<E> envelope) {
        instance.beforeProcess(envelope.timestamp());
      }

      @Override
      public void afterProcess(ProjectionId id, EventEnvelope<E> envelope) {
        instance.afterProcess(envelope.offset(), envelope.timestamp(), clock.millis());
      }

      @Override
      public void offsetProgress(ProjectionId id, EventEnvelope<E> envelope) {}

      @Override
      public void error(ProjectionId id, EventEnvelope<E> envelope, Throwable cause,
          HandlerRecoveryStrategy recoveryStrategy) {
        instance.error(cause, clock.millis());
      }
    };
  }

  /** Every instance this node has run, by projection then slice. */
  public List<Status> snapshot() {
    long now = clock.millis();
    return instances.values().stream()
        .map(instance -> instance.status(now))
        .sorted(Comparator.comparing(Status::projection).thenComparing(Status::slice))
        .toList();
  }

  private record Key(String projection, String slice) {}

  private static final class Instance {
    private final Key key;
    private String offset;
    private Long offsetSequence;
    private long lastEventTimestamp;
    /** The journal timestamp of the event being handled, or -1 when none is. */
    private long pendingTimestamp = -1;
    private long errors;
    private long failures;
    private String lastError;
    private boolean running;
    /** Epoch millis of the first failure since the last handled event, or -1. */
    private long failingSince = -1;

    Instance(Key key) {
      this.key = key;
    }

    synchronized void started() {
      running = true;
    }

    synchronized void stopped() {
      running = false;
      // Another node (or a later start) takes over the pending event.
      pendingTimestamp = -1;
      // failingSince stays: a restart after a failure stops the instance first, and the outage goes on.
    }

    synchronized void failed(Throwable cause, long now) {
      running = false;
      failures++;
      lastError = describe(cause);
      startFailing(now);
    }

    synchronized void beforeProcess(long eventTimestamp) {
      // A retried event keeps the time it was first due.
      if (pendingTimestamp < 0) {
        pendingTimestamp = eventTimestamp;
      }
    }

    synchronized void afterProcess(Offset processed, long eventTimestamp, long now) {
      if (failingSince >= 0) {
        log.info("Projection {} {} handles events again after {} s", key.projection(), key.slice(),
            (now - failingSince) / 1000);
        failingSince = -1;
      }
      offset = text(processed);
      offsetSequence = processed instanceof Sequence sequence ? sequence.value() : null;
      lastEventTimestamp = eventTimestamp;
      pendingTimestamp = -1;
    }

    /** The offset stored before this start; an event handled meanwhile is newer and wins. */
    synchronized void stored(Offset storedOffset) {
      if (offset == null) {
        offset = text(storedOffset);
        offsetSequence = storedOffset instanceof Sequence sequence ? sequence.value() : null;
      }
    }

    synchronized void error(Throwable cause, long now) {
      errors++;
      lastError = describe(cause);
      startFailing(now);
    }

    private void startFailing(long now) {
      if (failingSince < 0) {
        failingSince = now;
        log.warn("Projection {} {} failing, retrying from its last stored offset: {}", key.projection(), key.slice(),
            lastError);
      }
    }

    synchronized Status status(long now) {
      long lag = pendingTimestamp < 0 ? 0 : Math.max(0, now - pendingTimestamp);
      return new Status(key.projection(), key.slice(), offset, offsetSequence, lastEventTimestamp, lag,
          errors, failures, lastError, running);
    }

    private static String text(Offset offset) {
      if (offset instanceof Sequence sequence) {
        return Long.toString(sequence.value());
      }
      if (offset instanceof TimeBasedUUID uuid) {
        return uuid.value().toString();
      }
      return String.valueOf(offset);
    }

    private static String describe(Throwable cause) {
      String message = cause.getMessage();
      return message == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + message;
    }
  }
}
