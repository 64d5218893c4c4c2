package chat.cluster.room;

import chat.cluster.room.RoomEvent.MessagePosted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A room's messages read back from its journal. Every message is one journal event, so the
 * message with seq S sits at journal sequence number S or later: reads start there instead of at
 * the beginning and stop as soon as the page is full.
 */
public final class RoomHistory {

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public RoomHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** The {@code limit} oldest messages with seq above {@code afterSeq}. */
  public CompletionStage<MessagePage> after(String roomId, long afterSeq, int limit) {
    return messagesFrom(roomId, afterSeq + 1)
        .filter(m -> m.seq() > afterSeq)
        .take(limit + 1L)
        .runWith(Sink.seq(), system)
        .thenApply(found -> found.size() > limit
            ? new MessagePage(List.copyOf(found.subList(0, limit)), true)
            : new MessagePage(List.copyOf(found), false));
  }

  /**
   * The {@code limit} newest messages with seq below {@code beforeSeq}, ascending. The page is
   * counted back from {@code beforeSeq}, so it must be at most the room's last seq + 1.
   */
  public CompletionStage<MessagePage> before(String roomId, long beforeSeq, int limit) {
    long firstWanted = Math.max(1, beforeSeq - limit);
    return messagesFrom(roomId, firstWanted)
        .takeWhile(m -> m.seq() < beforeSeq)
        .filter(m -> m.seq() >= firstWanted)
        .runWith(Sink.seq(), system)
        .thenApply(found -> new MessagePage(List.copyOf(found), firstWanted > 1));
  }

  private Source<Message, ?> messagesFrom(String roomId, long firstSeq) {
    String persistenceId = RoomEntity.TYPE_KEY.name() + "|" + roomId;
    return journal.currentEventsByPersistenceId(persistenceId, Math.max(1, firstSeq), Long.MAX_VALUE)
        .map(envelope -> envelope.event())
        .filter(event -> event instanceof MessagePosted)
        .map(event -> {
          MessagePosted posted = (MessagePosted) event;
          return new Message(roomId, posted.seq(), posted.senderId(), posted.text(), posted.at(), posted.clientMsgId());
        });
  }
}
