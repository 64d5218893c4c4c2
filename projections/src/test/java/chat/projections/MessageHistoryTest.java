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

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void everyPageIsTheSameWhereverTheTablesStand(ProjectionFixture.Db db) throws Exception {
    List<RoomEvent> events = List.of(
        new RoomCreated(ROOM, "History", "a", List.of("a", "b"), T0),
        posted(1, 3),
        posted(4, 4).messages().get(0), // stored alone, as before batches
        new ReadMarkMoved("b", 2, T0),
        posted(5, 9),
        new MemberJoined("c", "a", T0),
        posted(10, 12));
    List<Message> all = events.stream().flatMap(e -> e.messages().stream()).map(m -> m.in(ROOM)).toList();
    ExecutorService blocking = Executors.newFixedThreadPool(2);
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      write(f, events);
      MessageHistory history = new MessageHistory(new RoomHistory(f.testKit.system()), new ReadModel(f.pool, blocking));
      List<EventEnvelope<RoomEvent>> envelopes = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        envelopes.add(envelope(i + 1, "Room|" + ROOM, i + 1, events.get(i)));
      }
      for (int applied = 0; applied <= envelopes.size(); applied++) {
        if (applied > 0) {
          try (Connection c = f.pool.getConnection()) {
            c.setAutoCommit(false);
            RoomReadProjectionHandler.applyAll(c, envelopes.subList(applied - 1, applied));
            c.commit();
          }
        }
        for (int limit : List.of(1, 2, 5, 13)) {
          for (long seq = 0; seq <= all.size(); seq++) {
            String where = "tables at event " + applied + ", limit " + limit + ", seq " + seq;
            assertEquals(expectedAfter(all, seq, limit), get(history.after(ROOM, seq, limit)), "after: " + where);
            if (seq > 0) {
              assertEquals(expectedBefore(all, seq, limit), get(history.before(ROOM, seq, limit)), "before: " + where);
            }
          }
        }
      }
    } finally {
      blocking.shutdownNow();
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
