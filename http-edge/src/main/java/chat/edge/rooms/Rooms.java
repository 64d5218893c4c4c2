package chat.edge.rooms;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomEntity.Accepted;
import chat.cluster.room.RoomEntity.Command;
import chat.cluster.room.RoomEntity.Posted;
import chat.cluster.room.RoomEntity.Rejected;
import chat.cluster.room.RoomEntity.Reply;
import chat.cluster.room.RoomEntity;
import chat.cluster.room.RoomError;
import chat.cluster.room.RoomView;
import chat.edge.EntityAsks;
import chat.edge.limits.KeyedBuckets;
import chat.edge.limits.RateLimited;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.users.Users;
import chat.projections.MessageHistory;
import chat.projections.ReadModel.ListedRoom;
import chat.projections.ReadModel;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The edge's only way to the room entities and their history (read tables, then the journal's
 * newest tail: see {@link MessageHistory}), for REST and WebSocket alike; refusals come back as
 * {@link RoomRejected}. Friendship rules that span users are
 * checked here, with the user entities, before the room decides the rest.
 */
public final class Rooms {

  private final ClusterSharding sharding;
  private final Users users;
  private final MessageHistory history;
  private final ReadModel tables;
  private final EntityAsks asks;
  private final EdgeMetrics metrics;
  /** Per sender, on this node: REST and WebSocket sends draw on the same budget. */
  private final KeyedBuckets sendBudget;

  public Rooms(ClusterSharding sharding, Users users, MessageHistory history, ReadModel tables, EntityAsks asks,
      EdgeMetrics metrics, KeyedBuckets sendBudget) {
    this.sharding = sharding;
    this.users = users;
    this.history = history;
    this.tables = tables;
    this.asks = asks;
    this.metrics = metrics;
    this.sendBudget = sendBudget;
  }

  /** A message as sent, or as first sent when {@code duplicate}. */
  public record SendResult(Message message, boolean duplicate) {}

  /** Every member must be the creator's friend. */
  public CompletionStage<RoomView> create(String creator, String name, List<String> members) {
    return users.get(creator).thenCompose(self -> {
      if (!self.friends().containsAll(members)) {
        throw new RoomRejected(RoomError.NOT_A_FRIEND, "members");
      }
      String roomId = UUID.randomUUID().toString();
      return ask(roomId, r -> new RoomEntity.Create(name, creator, members, r));
    });
  }

  public CompletionStage<RoomView> get(String userId, String roomId) {
    return askAgainIfLate(roomId, r -> new RoomEntity.Get(userId, r)).thenApply(Rooms::room);
  }

  /**
   * The user's rooms, the most recently active first. The read tables answer for each room they
   * hold every event of; a room with events the projection has yet to apply, or that the user
   * entity knows and the tables do not yet, is asked of its entity. So the list always shows what
   * was acknowledged, and mostly costs one query.
   */
  public CompletionStage<List<RoomView>> roomsOf(String userId) {
    return users.get(userId).thenCombine(tables.roomsOf(userId), (self, rows) -> {
      List<RoomView> current = rows.stream().filter(ListedRoom::current).map(ListedRoom::room).toList();
      Set<String> asked = new LinkedHashSet<>(self.rooms());
      rows.stream().filter(row -> !row.current()).forEach(row -> asked.add(row.room().roomId()));
      current.forEach(room -> asked.remove(room.roomId()));
      return fromEntities(userId, asked).thenApply(others -> {
        metrics.roomsListed(current.size(), others.size());
        return Stream.concat(current.stream(), others.stream())
            .sorted(Comparator.comparing(Rooms::lastActivity).reversed())
            .toList();
      });
    }).thenCompose(list -> list);
  }

  private CompletionStage<List<RoomView>> fromEntities(String userId, Set<String> roomIds) {
    List<CompletableFuture<RoomView>> rooms = roomIds.stream()
        .map(roomId -> askAgainIfLate(roomId, r -> new RoomEntity.Get(userId, r)).thenApply(reply -> {
          // A room the user just left stays listed until the user entity hears of it.
          if (reply instanceof Rejected rejected && rejected.error() == RoomError.NOT_A_MEMBER) {
            return (RoomView) null;
          }
          return room(reply);
        }).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(rooms.toArray(CompletableFuture[]::new))
        .thenApply(done -> rooms.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
  }

  public CompletionStage<RoomView> invite(String inviter, String roomId, String invitee) {
    return users.get(inviter).thenCompose(self ->
        ask(roomId, r -> new RoomEntity.Invite(inviter, invitee, self.friends().contains(invitee), r)));
  }

  public CompletionStage<RoomView> leave(String userId, String roomId) {
    return ask(roomId, r -> new RoomEntity.Leave(userId, r));
  }

  public CompletionStage<RoomView> markRead(String userId, String roomId, long seq) {
    return ask(roomId, r -> new RoomEntity.MarkRead(userId, seq, r));
  }

  /** Tells the room's subscribers that a member is typing; nothing is stored. */
  public CompletionStage<Void> typing(String userId, String roomId) {
    return askReply(roomId, r -> new RoomEntity.Typing(userId, r)).thenAccept(reply -> {
      if (reply instanceof Rejected) {
        throw rejected(reply);
      }
    });
  }

  /** Sends once per (sender, clientMsgId); a retry gets the original message back. */
  public CompletionStage<SendResult> send(String senderId, String roomId, String clientMsgId, String text) {
    return post(senderId, roomId, clientMsgId, text).thenCompose(posted -> {
      if (!posted.duplicate()) {
        Message message = new Message(roomId, posted.seq(), senderId, text, posted.sentAt(), clientMsgId);
        return CompletableFuture.completedFuture(new SendResult(message, false));
      }
      // The original text may differ from the retry's: read it back.
      return history.after(roomId, posted.seq() - 1, 1)
          .thenApply(page -> new SendResult(page.messages().get(0), true));
    });
  }

  /**
   * Asks the room to post a message, for REST and WebSocket sends alike: a new message counts as
   * sent, with the time from command to Posted reply as its persist latency.
   */
  public CompletionStage<Posted> post(String senderId, String roomId, String clientMsgId, String text) {
    var wait = sendBudget.take(senderId);
    if (wait.isPresent()) {
      return CompletableFuture.failedFuture(new RateLimited("too many messages; slow down", wait.get()));
    }
    long start = System.nanoTime();
    // Asked again if late: the room keeps a post once per (sender, clientMsgId).
    return askAgainIfLate(roomId, r -> new RoomEntity.Post(senderId, clientMsgId, text, r)).thenApply(reply -> {
      if (!(reply instanceof Posted posted)) {
        throw rejected(reply);
      }
      if (!posted.duplicate()) {
        metrics.sent(System.nanoTime() - start);
      }
      return posted;
    });
  }

  /**
   * History is for members only, so the room is asked first. A {@code beforeSeq} past the newest
   * message means the newest: the page is counted back from the room's end, not from an empty range.
   */
  public CompletionStage<MessagePage> messagesBefore(String userId, String roomId, Long beforeSeq, int limit) {
    return get(userId, roomId).thenCompose(room -> {
      long end = room.lastSeq() + 1;
      return history.before(roomId, beforeSeq == null ? end : Math.min(beforeSeq, end), limit);
    });
  }

  public CompletionStage<MessagePage> messagesAfter(String userId, String roomId, long afterSeq, int limit) {
    return get(userId, roomId).thenCompose(room -> history.after(roomId, afterSeq, limit));
  }

  private EntityRef<Command> entity(String roomId) {
    return sharding.entityRefFor(RoomEntity.TYPE_KEY, roomId);
  }

  private static Instant lastActivity(RoomView room) {
    return room.lastMessage() != null ? room.lastMessage().sentAt() : room.createdAt();
  }

  private CompletionStage<Reply> askReply(String roomId, Function<ActorRef<Reply>, Command> command) {
    return asks.once(timeout -> entity(roomId).ask(command::apply, timeout));
  }

  /** For commands that may reach the room twice without harm. */
  private CompletionStage<Reply> askAgainIfLate(String roomId, Function<ActorRef<Reply>, Command> command) {
    return asks.againIfLate(timeout -> entity(roomId).ask(command::apply, timeout));
  }

  private CompletionStage<RoomView> ask(String roomId, Function<ActorRef<Reply>, Command> command) {
    return askReply(roomId, command).thenApply(Rooms::room);
  }

  private static RoomView room(Reply reply) {
    if (reply instanceof Accepted accepted) {
      return accepted.room();
    }
    throw rejected(reply);
  }

  private static RoomRejected rejected(Reply reply) {
    RoomError error = ((Rejected) reply).error();
    return new RoomRejected(error, error == RoomError.NOT_A_FRIEND ? "userId" : null);
  }
}
