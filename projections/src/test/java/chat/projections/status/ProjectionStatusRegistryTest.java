package chat.projections.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chat.projections.status.ProjectionStatusRegistry.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProjectionStatusRegistryTest {

  private static final ProjectionId ID = ProjectionId.of("room-read", "room-1");

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private final TestClock clock = new TestClock();
  private final ProjectionStatusRegistry registry = new ProjectionStatusRegistry(clock,
      id -> CompletableFuture.completedFuture(Optional.empty()));

  private static EventEnvelope<String> envelope(long ordering, long timestamp) {
    return EventEnvelope.create(Offset.sequence(ordering), "Room|r", ordering, "event", timestamp);
  }

  private Status only() {
    List<Status> all = registry.snapshot();
    assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  @Test
  void anInstanceIsListedOnceItsObserverExists() {
    registry.<String>observer("room-read", "room-1");
    Status status = only();
    assertEquals("room-read", status.projection());
    assertEquals("room-1", status.slice());
    assertNull(status.offset());
    assertNull(status.offsetSequence());
    assertEquals(0, status.lagMillis());
    assertFalse(status.running());
  }

  @Test
  void aStartedInstanceShowsItsStoredOffsetUntilItHandlesAnEvent() {
    CompletableFuture<Optional<Offset>> lookup = new CompletableFuture<>();
    ProjectionStatusRegistry restarted = new ProjectionStatusRegistry(clock, id -> {
      assertEquals(ID, id);
      return lookup;
    });
    StatusObserver<EventEnvelope<String>> observer = restarted.observer("room-read", "room-1");
    observer.started(ID);
    assertNull(restarted.snapshot().get(0).offset());
    lookup.complete(Optional.of(Offset.sequence(41)));
    assertEquals("41", restarted.snapshot().get(0).offset());
    assertEquals(41L, restarted.snapshot().get(0).offsetSequence());

    // An event handled before the lookup answers is newer than what was stored.
    CompletableFuture<Optional<Offset>> late = new CompletableFuture<>();
    ProjectionStatusRegistry racing = new ProjectionStatusRegistry(clock, id -> late);
    StatusObserver<EventEnvelope<String>> racingObserver = racing.observer("room-read", "room-1");
    racingObserver.started(ID);
    racingObserver.afterProcess(ID, envelope(50, clock.millis()));
    late.complete(Optional.of(Offset.sequence(41)));
    assertEquals("50", racing.snapshot().get(0).offset());
  }

  @Test
  void startedAndStoppedSetRunning() {
    StatusObserver<EventEnvelope<String>> observer = registry.observer("room-read", "room-1");
    observer.started(ID);
    assertTrue(only().running());
    observer.stopped(ID);
    assertFalse(only().running());
  }

  @Test
  void lagGrowsWhileAnEventIsHandledAndIsZeroAfterwards() {
    StatusObserver<EventEnvelope<String>> observer = registry.observer("room-read", "room-1");
    observer.started(ID);
    EventEnvelope<String> event = envelope(7, clock.millis() - 2_000);
    observer.beforeProcess(ID, event);
    assertEquals(2_000, only().lagMillis());
    clock.millis += 500;
    assertEquals(2_500, only().lagMillis());

    observer.afterProcess(ID, event);
    Status status = only();
    assertEquals(0, status.lagMillis());
    assertEquals("7", status.offset());
    assertEquals(7L, status.offsetSequence());
    assertEquals(event.timestamp(), status.lastEventTimestamp());
  }

  @Test
  void aFailingEventKeepsItsLagThroughRetriesAndRestarts() {
    StatusObserver<EventEnvelope<String>> observer = registry.observer("kafka-rooms", "room-0");
    observer.started(ID);
    EventEnvelope<String> event = envelope(3, clock.millis() - 1_000);
    observer.beforeProcess(ID, event);
    observer.error(ID, event, new IllegalStateException("broker down"), HandlerRecoveryStrategy.fail());
    observer.failed(ID, new IllegalStateException("broker down"));
    Status failed = only();
    assertEquals(1, failed.errors());
    assertEquals(1, failed.failures());
    assertEquals("java.lang.IllegalStateException: broker down", failed.lastError());
    assertFalse(failed.running());

    clock.millis += 4_000;
    observer.started(ID);
    observer.beforeProcess(ID, event);
    assertEquals(5_000, only().lagMillis());
    assertTrue(only().running());
    observer.afterProcess(ID, event);
    assertEquals(0, only().lagMillis());
    assertEquals(1, only().errors());
  }

  @Test
  void stoppingDropsThePendingEvent() {
    StatusObserver<EventEnvelope<String>> observer = registry.observer("user-read", "user-2");
    observer.started(ID);
    observer.beforeProcess(ID, envelope(1, clock.millis() - 100));
    observer.stopped(ID);
    assertEquals(0, only().lagMillis());
  }

  @Test
  void instancesAreListedByProjectionThenSlice() {
    registry.observer("user-read", "user-0");
    registry.observer("room-read", "room-1");
    registry.observer("room-read", "room-0");
    assertEquals(List.of("room-read/room-0", "room-read/room-1", "user-read/user-0"),
        registry.snapshot().stream().map(s -> s.projection() + "/" + s.slice()).toList());
  }

  @Test
  void aNewObserverForTheSameSliceReportsIntoTheSameEntry() {
    StatusObserver<EventEnvelope<String>> first = registry.observer("room-read", "room-1");
    first.error(ID, envelope(1, 0), new RuntimeException(), HandlerRecoveryStrategy.fail());
    StatusObserver<EventEnvelope<String>> second = registry.observer("room-read", "room-1");
    second.started(ID);
    Status status = only();
    assertEquals(1, status.errors());
    assertEquals("java.lang.RuntimeException", status.lastError());
    assertTrue(status.running());
  }

  @Test
  void anOutageIsOneLineWhenItBeginsAndOneWhenEventsAreHandledAgain() {
    Logger registryLog = (Logger) LoggerFactory.getLogger(ProjectionStatusRegistry.class);
    Level level = registryLog.getLevel();
    registryLog.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    registryLog.addAppender(lines);
    try {
      StatusObserver<EventEnvelope<String>> observer = registry.observer("kafka-rooms", "room-0");
      observer.started(ID);
      EventEnvelope<String> event = envelope(3, clock.millis());
      for (int attempt = 0; attempt < 5; attempt++) {
        observer.beforeProcess(ID, event);
        observer.error(ID, event, new IllegalStateException("broker down"), HandlerRecoveryStrategy.fail());
        observer.failed(ID, new IllegalStateException("broker down"));
        observer.stopped(ID);
        clock.millis += 3_000;
        observer.started(ID);
      }
      observer.beforeProcess(ID, event);
      observer.afterProcess(ID, event);
      observer.afterProcess(ID, envelope(4, clock.millis()));

      List<String> logged = lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
      assertEquals(List.of(
          "WARN Projection kafka-rooms room-0 failing, retrying from its last stored offset: "
              + "java.lang.IllegalStateException: broker down",
          "INFO Projection kafka-rooms room-0 handles events again after 15 s"), logged);
      assertEquals(5, only().failures(), "every attempt still counts on the status endpoint");
    } finally {
      registryLog.detachAppender(lines);
      registryLog.setLevel(level);
    }
  }
}
