package chat.projections;

import static chat.projections.ProjectionFixture.envelope;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.MessagesPosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * History pages from the read tables and the journal's tail together, with the tables at every
 * point behind the journal, over a journal that holds messages several to an event and alone.
 */
class MessageHistoryTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123Z");
  private static final String ROOM = "h1";

  @TempDir
  Path tempDir;

  private static final List<RoomEvent> EVENTS = List.of(
      new RoomCreated(ROOM, "History", "a", List.of("a", "b"), T0),
      posted(1, 3),
      posted(4, 4).messages().get(0), // stored alone, as before batches
      new ReadMarkMoved("b", 2, T0),
      posted(5, 9),
      new MemberJoined("c", "a", T0),
      posted(10, 12));
  private static final List<Message> ALL =
      EVENTS.stream().flatMap(e -> e.messages().stream()).map(m -> m.in(ROOM)).toList();

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void everyPageIsTheSameWhereverTheTablesStand(ProjectionFixture.Db db) throws Exception {
    ExecutorService blocking = Executors.newFixedThreadPool(2);
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      write(f, EVENTS);
      MessageHistory history = new MessageHistory(new RoomHistory(f.testKit.system()), new ReadModel(f.pool, blocking));
      for (int applied = 0; applied <= EVENTS.size(); applied++) {
        if (applied > 0) {
          apply(f, applied - 1, applied);
        }
        assertEveryPage(history, "tables at event " + applied);
      }
    } finally {
      blocking.shutdownNow();
    }
  }

  /** As a projection that never saw an event would leave them: a room's seqs have no gaps, so the journal fills it. */
  @Test
  void messagesTheTablesLackAreReadFromTheJournal() throws Exception {
    ExecutorService blocking = Executors.newFixedThreadPool(2);
    try (ProjectionFixture f = new ProjectionFixture(ProjectionFixture.Db.POSTGRES, tempDir)) {
      write(f, EVENTS);
      MessageHistory history = new MessageHistory(new RoomHistory(f.testKit.system()), new ReadModel(f.pool, blocking));
      apply(f, 0, EVENTS.size());
      try (Connection c = f.pool.getConnection(); Statement s = c.createStatement()) {
        assertEquals(4, s.executeUpdate("DELETE FROM room_message WHERE seq IN (1, 4, 7, 12)"));
      }
      assertEveryPage(history, "tables without seqs 1, 4, 7 and 12");
    } finally {
      blocking.shutdownNow();
    }
  }

  private static void assertEveryPage(MessageHistory history, String tables) throws Exception {
    for (int limit : List.of(1, 2, 5, 13)) {
      for (long seq = 0; seq <= ALL.size(); seq++) {
        String where = tables + ", limit " + limit + ", seq " + seq;
        assertEquals(expectedAfter(ALL, seq, limit), get(history.after(ROOM, seq, limit)), "after: " + where);
        if (seq > 0) {
          assertEquals(expectedBefore(ALL, seq, limit), get(history.before(ROOM, seq, limit)), "before: " + where);
        }
      }
    }
  }

  /** Applies the events {@code from} (inclusive) to {@code to} in one transaction, as the projection would. */
  private static void apply(ProjectionFixture f, int from, int to) throws Exception {
    List<EventEnvelope<RoomEvent>> envelopes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      envelopes.add(envelope(i + 1, "Room|" + ROOM, i + 1, EVENTS.get(i)));
    }
    try (Connection c = f.pool.getConnection()) {
      c.setAutoCommit(false);
      RoomReadProjectionHandler.applyAll(c, envelopes);
      c.commit();
    }
  }

  private static MessagesPosted posted(long from, long to) {
    return new MessagesPosted(LongStream.rangeClosed(from, to)
        .mapToObj(seq -> new MessagePosted(seq, seq % 2 == 0 ? "a" : "b", "c" + seq, "text " + seq, T0.plusSeconds(seq)))
        .toList());
  }

  private static MessagePage expectedAfter(List<Message> all, long afterSeq, int limit) {
    List<Message> newer = all.stream().filter(m -> m.seq() > afterSeq).toList();
    return new MessagePage(newer.subList(0, Math.min(limit, newer.size())), newer.size() > limit);
  }

  private static MessagePage expectedBefore(List<Message> all, long beforeSeq, int limit) {
    long first = Math.max(1, beforeSeq - limit);
    return new MessagePage(all.stream().filter(m -> m.seq() >= first && m.seq() < beforeSeq).toList(), first > 1);
  }

  private static MessagePage get(CompletionStage<MessagePage> page) throws Exception {
    return page.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Stores the events in the room's journal through a plain event-sourced actor. */
  private static void write(ProjectionFixture f, List<RoomEvent> events) {
    ActorRef<JournalWriter.Write> writer = f.testKit.spawn(JournalWriter.create("Room|" + ROOM));
    TestProbe<Done> done = f.testKit.createTestProbe();
    for (RoomEvent event : events) {
      writer.tell(new JournalWriter.Write(event, done.ref()));
      done.expectMessage(Done.getInstance());
    }
  }

  private static final class JournalWriter extends EventSourcedBehavior<JournalWriter.Write, RoomEvent, Integer> {

    record Write(RoomEvent event, ActorRef<Done> replyTo) {}

    static Behavior<Write> create(String persistenceId) {
      return new JournalWriter(PersistenceId.ofUniqueId(persistenceId));
    }

    private JournalWriter(PersistenceId persistenceId) {
      super(persistenceId);
    }

    @Override
    public Integer emptyState() {
      return 0;
    }

    @Override
    public CommandHandler<Write, RoomEvent, Integer> commandHandler() {
      return newCommandHandlerBuilder().forAnyState()
          .onCommand(Write.class, (state, write) ->
              Effect().persist(write.event()).thenReply(write.replyTo(), after -> Done.getInstance()))
          .build();
    }

    @Override
    public EventHandler<Integer, RoomEvent> eventHandler() {
      return (state, event) -> state + 1;
    }
  }
}
