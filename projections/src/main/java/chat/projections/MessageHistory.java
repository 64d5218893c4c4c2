package chat.projections;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A room's history pages: from {@code room_message} as far as the projection has stored the
 * messages without a gap, the rest from the journal. The projection applies a room's events in
 * order, so what the table lacks is the newest tail; reading that tail from the journal keeps an
 * acknowledged message visible at once. Same contract as {@link RoomHistory}.
 */
public final class MessageHistory {

  private final RoomHistory journal;
  private final ReadModel tables;

  /** @param tables null: everything from the journal */
  public MessageHistory(RoomHistory journal, ReadModel tables) {
    this.journal = journal;
    this.tables = tables;
  }

  /** The {@code limit} oldest messages with seq above {@code afterSeq}. */
  public CompletionStage<MessagePage> after(String roomId, long afterSeq, int limit) {
    if (tables == null) {
      return journal.after(roomId, afterSeq, limit);
    }
    return tables.messages(roomId, afterSeq + 1, Long.MAX_VALUE, limit + 1).thenCompose(rows -> {
      List<Message> stored = gapless(rows, afterSeq + 1);
      if (stored.size() > limit) {
        return CompletableFuture.completedFuture(new MessagePage(stored.subList(0, limit), true));
      }
      long lastStored = afterSeq + stored.size();
      return journal.after(roomId, lastStored, limit - stored.size())
          .thenApply(tail -> new MessagePage(concat(stored, tail.messages()), tail.hasMore()));
    });
  }

  /**
   * The {@code limit} newest messages with seq below {@code beforeSeq}, ascending; as for
   * {@link RoomHistory#before}, {@code beforeSeq} must be at most the room's last seq + 1.
   */
  public CompletionStage<MessagePage> before(String roomId, long beforeSeq, int limit) {
    if (tables == null) {
      return journal.before(roomId, beforeSeq, limit);
    }
    long firstWanted = Math.max(1, beforeSeq - limit);
    boolean hasMore = firstWanted > 1;
    int wanted = (int) Math.max(0, beforeSeq - firstWanted);
    if (wanted == 0) {
      return CompletableFuture.completedFuture(new MessagePage(List.of(), hasMore));
    }
    return tables.messages(roomId, firstWanted, beforeSeq, wanted).thenCompose(rows -> {
      List<Message> stored = gapless(rows, firstWanted);
      if (stored.size() == wanted) {
        return CompletableFuture.completedFuture(new MessagePage(stored, hasMore));
      }
      // The journal page counted back from beforeSeq starts right after the last stored message.
      return journal.before(roomId, beforeSeq, wanted - stored.size())
          .thenApply(tail -> new MessagePage(concat(stored, tail.messages()), hasMore));
    });
  }

  /** The rows that continue seq by seq from {@code firstSeq}; whatever follows a gap is dropped. */
  private static List<Message> gapless(List<Message> rows, long firstSeq) {
    int n = 0;
    while (n < rows.size() && rows.get(n).seq() == firstSeq + n) {
      n++;
    }
    return List.copyOf(rows.subList(0, n));
  }

  private static List<Message> concat(List<Message> a, List<Message> b) {
    List<Message> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
