package chat.projections;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A room's history pages: from {@code room_message} as far as the projection has stored the
 * room, the newer rest from the journal, read from the first event the projection has yet to
 * apply. So an acknowledged message is visible at once, and the journal is read only for the tail
 * the tables lack.
 */
public final class MessageHistory {

  private final RoomHistory journal;
  private final ReadModel tables;

  public MessageHistory(RoomHistory journal, ReadModel tables) {
    this.journal = journal;
    this.tables = tables;
  }

  /** The {@code limit} oldest messages with seq above {@code afterSeq}. */
  public CompletionStage<MessagePage> after(String roomId, long afterSeq, int limit) {
    if (afterSeq == Long.MAX_VALUE) {
      return CompletableFuture.completedFuture(new MessagePage(List.of(), false)); // and afterSeq + 1 would wrap
    }
    return tables.messages(roomId, afterSeq + 1, Long.MAX_VALUE, limit + 1).thenCompose(stored -> {
      List<Message> rows = stored.messages();
      if (rows.size() > limit) {
        return CompletableFuture.completedFuture(new MessagePage(rows.subList(0, limit), true));
      }
      long lastKnown = Math.max(afterSeq, stored.lastSeq());
      return journal.after(roomId, stored.eventSeqNr() + 1, lastKnown, limit - rows.size() + 1)
          .thenApply(tail -> {
            List<Message> all = concat(rows, tail);
            return all.size() > limit
                ? new MessagePage(all.subList(0, limit), true)
                : new MessagePage(all, false);
          });
    });
  }

  /**
   * The {@code limit} newest messages with seq below {@code beforeSeq}, ascending. The page is
   * counted back from {@code beforeSeq}, so it must be at most the room's last seq + 1.
   */
  public CompletionStage<MessagePage> before(String roomId, long beforeSeq, int limit) {
    long firstWanted = Math.max(1, beforeSeq - limit);
    boolean hasMore = firstWanted > 1;
    int wanted = (int) Math.max(0, beforeSeq - firstWanted);
    if (wanted == 0) {
      return CompletableFuture.completedFuture(new MessagePage(List.of(), hasMore));
    }
    return tables.messages(roomId, firstWanted, beforeSeq, wanted).thenCompose(stored -> {
      List<Message> rows = stored.messages();
      if (rows.size() == wanted) {
        return CompletableFuture.completedFuture(new MessagePage(rows, hasMore));
      }
      long firstMissing = Math.max(firstWanted, stored.lastSeq() + 1);
      return journal.between(roomId, stored.eventSeqNr() + 1, firstMissing, beforeSeq)
          .thenApply(tail -> new MessagePage(concat(rows, tail), hasMore));
    });
  }

  private static List<Message> concat(List<Message> a, List<Message> b) {
    List<Message> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
