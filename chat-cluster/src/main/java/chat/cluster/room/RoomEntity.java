package chat.cluster.room;

import chat.cluster.CborSerializable;
import chat.cluster.EventTags;
import chat.cluster.JournalFailureBackoff;
import chat.cluster.live.LiveFeed;
import chat.cluster.user.UserEntity;
import chat.cluster.user.UserEntity.RoomMembershipSynced;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One room, sharded and event-sourced. {@link RoomState} decides; this class persists, replies,
 * and tells members' user entities that they joined or left until each confirms.
 */
public final class RoomEntity extends EventSourcedBehavior<RoomEntity.Command, RoomEvent, RoomState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Room");

  static final Duration MEMBERSHIP_SYNC_RETRY = Duration.ofSeconds(2);

  // ---- protocol ----

  /** Also what the room's {@link RoomFront} hears: the shard hands it every command first. */
  public sealed interface Command extends CborSerializable, RoomFront.Message {}

  /** A command whose sender waits for a {@link Reply}. */
  sealed interface Asked {
    ActorRef<Reply> replyTo();
  }

  public record Create(String name, String createdBy, List<String> members, ActorRef<Reply> replyTo)
      implements Command, Asked {}

  /** The room as {@code userId} sees it; only members may look. */
  public record Get(String userId, ActorRef<Reply> replyTo) implements Command, Asked {}

  public record Invite(String inviter, String invitee, boolean inviteeIsFriend, ActorRef<Reply> replyTo)
      implements Command, Asked {}

  public record Leave(String userId, ActorRef<Reply> replyTo) implements Command, Asked {}

  public record Post(String senderId, String clientMsgId, String text, ActorRef<Reply> replyTo)
      implements Command, Asked {}

  public record MarkRead(String userId, long seq, ActorRef<Reply> replyTo) implements Command, Asked {}

  /** A node's connection hub wants the room's live feed; answered with {@link LiveFeed.RoomWatched}. */
  public record Watch(ActorRef<LiveFeed> hub) implements Command {}

  public record Unwatch(ActorRef<LiveFeed> hub) implements Command {}

  /** Shown to the room's subscribers, never stored; answered with {@link Done} or a refusal. */
  public record Typing(String userId, ActorRef<Reply> replyTo) implements Command, Asked {}

  record HubGone(ActorRef<LiveFeed> hub) implements Command {}

  /**
   * Every {@link Post} reaches the room this way: {@link RoomFront} gathers them, the room
   * persists them together and tells {@code front} when they are.
   */
  record PostBatch(List<Post> posts, ActorRef<RoomFront.Message> front) implements Command {}

  /** A user entity's confirmation, through a message adapter. */
  record MembershipConfirmed(String userId, boolean member) implements Command {}

  enum RetryMembershipSync implements Command {
    INSTANCE
  }

  public sealed interface Reply extends CborSerializable {}

  public record Accepted(RoomView room) implements Reply {}

  /**
   * A message's place in the room. {@code duplicate}: the same (sender, clientMsgId) was sent
   * before and {@code seq}/{@code sentAt} are the original's.
   */
  public record Posted(long seq, Instant sentAt, boolean duplicate) implements Reply {}

  public record Rejected(RoomError error) implements Reply {}

  public record Done() implements Reply {}

  // ---- behaviour ----

  /**
   * Each room is a {@link RoomFront} with its event-sourced entity behind it. {@code entityStarts}:
   * this node's instance of {@link LiveFeed#entityStarts()}.
   */
  public static void init(
      ClusterSharding sharding, Clock clock, int slices, ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    sharding.init(
        Entity.of(
            TYPE_KEY,
            entityContext ->
                RoomFront.create(entityContext.getShard(), front -> create(
                    entityContext.getEntityId(),
                    userId -> sharding.entityRefFor(UserEntity.TYPE_KEY, userId),
                    clock,
                    slices,
                    front,
                    entityStarts))));
  }

  /**
   * {@code front}: the room's {@link RoomFront}, told when no room by this id exists;
   * {@code entityStarts}: where the room announces that it started.
   */
  public static Behavior<Command> create(String roomId, Function<String, RecipientRef<UserEntity.Command>> users,
      Clock clock, int slices, ActorRef<RoomFront.Message> front, ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new RoomEntity(roomId, context, timers, users, clock, slices, front, entityStarts)));
  }

  private final String roomId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  /** Hubs of nodes with live subscribers: not state, rebuilt by their watch after the room starts. */
  private final Set<ActorRef<LiveFeed>> hubs = new HashSet<>();
  private final Function<String, RecipientRef<UserEntity.Command>> users;
  private final Clock clock;
  private final Set<String> tags;
  private final ActorRef<RoomMembershipSynced> membershipAnswers;
  private final ActorRef<RoomFront.Message> front;
  private final ActorRef<Topic.Command<LiveFeed>> entityStarts;

  private RoomEntity(
      String roomId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Function<String, RecipientRef<UserEntity.Command>> users,
      Clock clock,
      int slices,
      ActorRef<RoomFront.Message> front,
      ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    super(
        PersistenceId.of(TYPE_KEY.name(), roomId),
        JournalFailureBackoff.strategy());
    this.roomId = roomId;
    this.context = context;
    this.timers = timers;
    this.users = users;
    this.clock = clock;
    this.tags = EventTags.forEntity(EventTags.ROOM, roomId, slices);
    this.membershipAnswers = context.messageAdapter(
        RoomMembershipSynced.class, answer -> new MembershipConfirmed(answer.userId(), answer.member()));
    this.front = front;
    this.entityStarts = entityStarts;
  }

  @Override
  public RoomState emptyState() {
    return new RoomState(roomId);
  }

  @Override
  public Set<String> tagsFor(RoomEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // A room's snapshot carries its recent sends, so it is taken less often than a user's.
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  @Override
  public SnapshotAdapter<RoomState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RoomState state) {
        return state.snapshot();
      }

      @Override
      public RoomState fromJournal(Object stored) {
        return RoomState.from((RoomState.Snapshot) stored);
      }
    };
  }

  @Override
  public CommandHandler<Command, RoomEvent, RoomState> commandHandler() {
    var builder = newCommandHandlerBuilder();
    builder.forState(state -> !state.created())
        .onCommand(Create.class, this::onCreate)
        .onAnyCommand(this::noSuchRoom);
    builder.forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, (state, c) -> {
          return Effect().reply(c.replyTo(), state.refusal(c.userId()).<Reply>map(Rejected::new)
              .orElseGet(() -> new Accepted(state.viewFor(c.userId()))));
        })
        .onCommand(Invite.class, (state, c) ->
            decide(state, state.invite(c.inviter(), c.invitee(), c.inviteeIsFriend(), now()), c.replyTo(), c.inviter()))
        .onCommand(Leave.class, (state, c) ->
            decide(state, state.leave(c.userId(), now()), c.replyTo(), c.userId()))
        .onCommand(MarkRead.class, (state, c) ->
            decide(state, state.markRead(c.userId(), c.seq(), now()), c.replyTo(), c.userId()))
        .onCommand(PostBatch.class, this::onPosts)
        .onCommand(Watch.class, (state, c) -> {
          if (hubs.add(c.hub())) {
            context.watchWith(c.hub(), new HubGone(c.hub()));
          }
          c.hub().tell(new LiveFeed.RoomWatched(roomId, state.lastSeq()));
          return Effect().none();
        })
        .onCommand(Unwatch.class, (state, c) -> forgetHub(c.hub()))
        .onCommand(HubGone.class, (state, c) -> forgetHub(c.hub()))
        .onCommand(Typing.class, (state, c) -> {
          var refusal = state.refusal(c.userId());
          if (refusal.isPresent()) {
            return Effect().reply(c.replyTo(), new Rejected(refusal.get()));
          }
          feed(new LiveFeed.Typing(roomId, c.userId()));
          return Effect().reply(c.replyTo(), new Done());
        })
        .onCommand(MembershipConfirmed.class, (state, c) ->
            Effect().persist(state.membershipSynced(c.userId(), c.member(), now()).events()))
        .onCommand(RetryMembershipSync.class, (state, c) -> {
          tellMembers(state);
          return Effect().none();
        });
    return builder.build();
  }

  private Effect<RoomEvent, RoomState> onCreate(RoomState state, Create c) {
    return decide(state, state.create(c.name(), c.createdBy(), c.members(), now()), c.replyTo(), c.createdBy());
  }

  /**
   * Every command but Create to an id no room has: answered at once, and the front is told, so
   * ids that name nothing (guessed, or random) leave no entity behind and write nothing.
   */
  private Effect<RoomEvent, RoomState> noSuchRoom(RoomState state, Command command) {
    if (command instanceof Asked asked) {
      asked.replyTo().tell(new Rejected(RoomError.ROOM_NOT_FOUND));
    } else if (command instanceof PostBatch batch) {
      batch.posts().forEach(post -> post.replyTo().tell(new Rejected(RoomError.ROOM_NOT_FOUND)));
      batch.front().tell(RoomFront.BatchPersisted.INSTANCE);
    } else if (command instanceof Watch watch) {
      watch.hub().tell(new LiveFeed.RoomWatched(roomId, 0));
    }
    front.tell(RoomFront.NoSuchRoom.INSTANCE);
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> forgetHub(ActorRef<LiveFeed> hub) {
    if (hubs.remove(hub)) {
      context.unwatch(hub);
    }
    return Effect().none();
  }

  private void feed(LiveFeed item) {
    hubs.forEach(hub -> hub.tell(item));
  }

  /** After events are stored: live subscribers and members' connections hear of them. */
  private void publish(List<RoomEvent> events, RoomState after) {
    for (RoomEvent event : events) {
      for (RoomEvent.MessagePosted e : event.messages()) {
        feed(new LiveFeed.MessagePosted(e.in(roomId)));
      }
      if (event instanceof RoomEvent.RoomCreated e) {
        notifyUsers(e.members(), "created", e.createdBy());
      } else if (event instanceof RoomEvent.MemberJoined e) {
        notifyUsers(after.members(), "joined", e.userId());
      } else if (event instanceof RoomEvent.MemberLeft e) {
        feed(new LiveFeed.MemberLeft(roomId, e.userId()));
        List<String> told = new ArrayList<>(after.members());
        told.add(e.userId());
        notifyUsers(told, "left", e.userId());
      }
    }
    tellMembers(after);
  }

  private void notifyUsers(List<String> userIds, String event, String userId) {
    LiveFeed.RoomChanged notice = new LiveFeed.RoomChanged(roomId, event, userId);
    userIds.forEach(id -> users.apply(id).tell(new UserEntity.Notify(notice)));
  }

  /**
   * Persists the new messages of the batch's posts as one event, then answers each post: with its
   * message's seq, the original's for a repeat, or at once with a refusal.
   */
  private Effect<RoomEvent, RoomState> onPosts(RoomState state, PostBatch batch) {
    List<Post> posts = batch.posts();
    RoomState.Posting posting = state.post(
        posts.stream().map(p -> new RoomState.PostRequest(p.senderId(), p.clientMsgId(), p.text())).toList(), now());
    for (int i = 0; i < posts.size(); i++) {
      Optional<RoomError> refusal = posting.answers().get(i).refusal();
      if (refusal.isPresent()) {
        posts.get(i).replyTo().tell(new Rejected(refusal.get()));
      }
    }
    return Effect().persist(posting.events())
        .thenRun(after -> publish(posting.events(), after))
        .thenRun(after -> {
          for (int i = 0; i < posts.size(); i++) {
            Post post = posts.get(i);
            RoomState.PostAnswer answer = posting.answers().get(i);
            if (answer.accepted()) {
              var sent = after.previousSend(post.senderId(), post.clientMsgId()).orElseThrow();
              post.replyTo().tell(new Posted(sent.seq(), sent.sentAt(), answer.repeat()));
            }
          }
          batch.front().tell(RoomFront.BatchPersisted.INSTANCE);
        });
  }

  /** Persists the decision's events, then answers with the refusal or the room as {@code viewer} sees it. */
  private Effect<RoomEvent, RoomState> decide(
      RoomState state, RoomDecision decision, ActorRef<Reply> replyTo, String viewer) {
    Function<RoomState, Reply> reply = after -> decision.rejection().<Reply>map(Rejected::new)
        .orElseGet(() -> new Accepted(after.viewFor(viewer)));
    if (decision.events().isEmpty()) {
      return Effect().reply(replyTo, reply.apply(state));
    }
    return Effect().persist(decision.events())
        .thenRun(after -> publish(decision.events(), after))
        .thenReply(replyTo, reply::apply);
  }

  @Override
  public EventHandler<RoomState, RoomEvent> eventHandler() {
    return RoomState::apply;
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          tellMembers(state);
          if (state.created()) {
            // Without it the hubs would learn of the new incarnation only at their next watch
            // round, and its first messages would reach no subscriber until then.
            entityStarts.tell(Topic.publish(new LiveFeed.RoomStarted(roomId)));
          }
        })
        .build();
  }

  /** Tells each user entity not yet in step with the room, and retries until all confirm. */
  private void tellMembers(RoomState state) {
    var pending = state.membershipSync();
    if (pending.isEmpty()) {
      timers.cancel(RetryMembershipSync.INSTANCE);
      return;
    }
    pending.forEach((userId, member) ->
        users.apply(userId).tell(new UserEntity.SyncRoomMembership(roomId, member, membershipAnswers)));
    if (!timers.isTimerActive(RetryMembershipSync.INSTANCE)) {
      timers.startTimerWithFixedDelay(RetryMembershipSync.INSTANCE, MEMBERSHIP_SYNC_RETRY);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
