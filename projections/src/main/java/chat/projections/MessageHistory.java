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
      long stocked = Math.min(limit + 1, stored.lastSeq() - afterSeq);
      return withoutHoles(roomId, afterSeq + 1, stocked, stored.messages()).thenCompose(rows -> {
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
      long stocked = Math.min(beforeSeq, stored.lastSeq() + 1) - firstWanted;
      return withoutHoles(roomId, firstWanted, stocked, stored.messages()).thenCompose(rows -> {
        if (rows.size() == wanted) {
          return CompletableFuture.completedFuture(new MessagePage(rows, hasMore));
        }
        long firstMissing = Math.max(firstWanted, stored.lastSeq() + 1);
        return journal.between(roomId, stored.eventSeqNr() + 1, firstMissing, beforeSeq)
            .thenApply(tail -> new MessagePage(concat(rows, tail), hasMore));
      });
    });
  }

  /**
   * {@code rows}, the table's messages from {@code fromSeq} on (ascending, each seq once), unless
   * the table lacks one of the {@code stocked} it should hold from there (a room's seqs have no
   * gaps): then those messages as the journal has them. The table lacks a message only if its
   * projection never saw the event; the journal is then read from the room's first event, which
   * only such a hole costs.
   */
  private CompletionStage<List<Message>> withoutHoles(String roomId, long fromSeq, long stocked, List<Message> rows) {
    boolean whole = rows.size() >= stocked
        && (rows.isEmpty() || rows.get(rows.size() - 1).seq() == fromSeq + rows.size() - 1);
    if (whole) {
      return CompletableFuture.completedFuture(rows);
    }
    return journal.between(roomId, 1, fromSeq, fromSeq + stocked);
  }

  private static List<Message> concat(List<Message> a, List<Message> b) {
    List<Message> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
