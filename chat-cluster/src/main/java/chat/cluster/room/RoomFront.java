package chat.cluster.room;

import chat.cluster.room.RoomEntity.Command;
import chat.cluster.room.RoomEntity.Post;
import chat.cluster.room.RoomEntity.PostBatch;
import chat.cluster.room.RoomEntity.Rejected;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A room's sharded entity, in front of its event-sourced {@link RoomEntity}. Every command goes on
 * in the order it came; posts that arrive while a batch of posts is being persisted wait and go
 * together as the next batch. So a busy room writes one journal event per database round trip
 * instead of one per message, and a quiet room's post goes on at once.
 */
final class RoomFront extends AbstractBehavior<RoomFront.Message> {

  /** What the front hears: the room's commands, and news of the batches it passed on. */
  interface Message {}

  /** From the room: the batch it had last is persisted (or refused), the next may go. */
  enum BatchPersisted implements Message {
    INSTANCE
  }

  /** From the room: no room by this id was ever created, so nothing is worth keeping in memory. */
  enum NoSuchRoom implements Message {
    INSTANCE
  }

  /** The front's own reminder that a batch got no answer (the room restarted meanwhile). */
  private enum BatchOverdue implements Message {
    INSTANCE
  }

  /** A batch is one journal event: 200 texts of at most 4,000 characters stay within a few MB. */
  static final int MAX_BATCH = 200;
  /**
   * Posts that may wait behind a write. More would only wait longer than a sender waits for its
   * ack; refusing them at once keeps the room's latency bounded under overload.
   */
  static final int MAX_WAITING_POSTS = 2000;
  /** A batch unanswered this long was lost with a restart of the room: its senders' asks time out. */
  static final Duration OVERDUE = Duration.ofSeconds(10);

  /**
   * {@code room}: the room's entity, given this front; {@code shard}: asked to passivate the front
   * when the room does not exist.
   */
  static Behavior<Command> create(
      ActorRef<ClusterSharding.ShardCommand> shard, Function<ActorRef<Message>, Behavior<Command>> room) {
    return Behaviors.<Message>setup(context -> Behaviors.withTimers(timers -> new RoomFront(context, timers, shard, room)))
        .narrow();
  }

  private final TimerScheduler<Message> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<Command> room;
  /** Commands behind the batch in flight, in arrival order. */
  private final ArrayDeque<Command> waiting = new ArrayDeque<>();
  private int waitingPosts;
  private boolean batchInFlight;

  private RoomFront(ActorContext<Message> context, TimerScheduler<Message> timers,
      ActorRef<ClusterSharding.ShardCommand> shard, Function<ActorRef<Message>, Behavior<Command>> room) {
    super(context);
    this.timers = timers;
    this.shard = shard;
    this.room = context.spawn(room.apply(context.getSelf()), "room");
    context.watch(this.room);
  }

  @Override
  public Receive<Message> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(BatchPersisted.INSTANCE, this::onBatchDone)
        .onMessageEquals(BatchOverdue.INSTANCE, this::onBatchDone)
        .onMessageEquals(NoSuchRoom.INSTANCE, () -> {
          // The shard holds back what comes meanwhile, and starts the room again for it.
          shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          return this;
        })
        .onMessage(Post.class, post -> {
          if (waitingPosts >= MAX_WAITING_POSTS) {
            post.replyTo().tell(new Rejected(RoomError.ROOM_BUSY));
          } else {
            waitingPosts++;
            waiting.add(post);
            passOn();
          }
          return this;
        })
        .onMessage(Command.class, command -> {
          waiting.add(command);
          passOn();
          return this;
        })
        .onSignal(Terminated.class, terminated -> Behaviors.stopped())
        .build();
  }

  private Behavior<Message> onBatchDone() {
    timers.cancel(BatchOverdue.INSTANCE);
    batchInFlight = false;
    passOn();
    return this;
  }

  /** Passes on what waits, up to and including the next batch of posts. */
  private void passOn() {
    while (!batchInFlight && !waiting.isEmpty()) {
      if (waiting.peek() instanceof Post) {
        List<Post> batch = new ArrayList<>();
        while (batch.size() < MAX_BATCH && waiting.peek() instanceof Post post) {
          batch.add(post);
          waiting.poll();
          waitingPosts--;
        }
        room.tell(new PostBatch(batch, getContext().getSelf()));
        batchInFlight = true;
        timers.startSingleTimer(BatchOverdue.INSTANCE, OVERDUE);
      } else {
        room.tell(waiting.poll());
      }
    }
  }
}
