package chat.projections;

import chat.cluster.room.Message;
import chat.cluster.room.RoomEntity;
import chat.cluster.room.RoomEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A room's messages read back from its journal, from a given journal sequence number on. One
 * journal event may hold many messages ({@link RoomEvent.MessagesPosted}), so a message's seq does
 * not say where it is stored: callers start where they know the older messages are elsewhere.
 */
public final class RoomHistory {

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public RoomHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** At most {@code max} of the oldest messages with seq above {@code afterSeq}, ascending. */
  public CompletionStage<List<Message>> after(String roomId, long fromSeqNr, long afterSeq, int max) {
    return messagesFrom(roomId, fromSeqNr)
        .filter(m -> m.seq() > afterSeq)
        .take(max)
        .runWith(Sink.seq(), system);
  }

  /** The messages with {@code fromSeq <= seq < toSeq}, ascending. */
  public CompletionStage<List<Message>> between(String roomId, long fromSeqNr, long fromSeq, long toSeq) {
    return messagesFrom(roomId, fromSeqNr)
        .takeWhile(m -> m.seq() < toSeq)
        .filter(m -> m.seq() >= fromSeq)
        .runWith(Sink.seq(), system);
  }

  private Source<Message, NotUsed> messagesFrom(String roomId, long fromSeqNr) {
    String persistenceId = RoomEntity.TYPE_KEY.name() + "|" + roomId;
    return journal.currentEventsByPersistenceId(persistenceId, Math.max(1, fromSeqNr), Long.MAX_VALUE)
        .mapConcat(envelope -> ((RoomEvent) envelope.event()).messages())
        .map(posted -> posted.in(roomId));
  }
}
