package chat.cluster.user;

import chat.cluster.CborSerializable;
import chat.cluster.EventTags;
import chat.cluster.JournalFailureBackoff;
import chat.cluster.live.LiveFeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One user, sharded and event-sourced. Decisions are made by {@link UserState}; this class only
 * persists their events, replies, and tells friends' entities about friendship changes until
 * they confirm (the second step of the two-step friendship, retried until done, also after a
 * restart because the unconfirmed changes are part of the state). Each friendship state carries
 * its version, so a retried or reordered message never replaces a newer state.
 */
public final class UserEntity extends EventSourcedBehavior<UserEntity.Command, UserEvent, UserState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "User");

  static final Duration PEER_SYNC_RETRY = Duration.ofSeconds(2);

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  public record Register(String name, String email, String passwordHash, ActorRef<Reply> replyTo)
      implements Command {}

  public record GetUser(ActorRef<Reply> replyTo) implements Command {}

  /** For login only: the password hash, or null when there is no such user. */
  public record GetCredentials(ActorRef<Credentials> replyTo) implements Command {}

  public record ChangeProfile(String name, String statusMessage, ActorRef<Reply> replyTo)
      implements Command {}

  public record StartSession(
      String familyId, String tokenHash, Instant expiresAt, ActorRef<Reply> replyTo)
      implements Command {}

  public record RotateSession(
      String presentedHash, String newTokenHash, Instant expiresAt, ActorRef<Reply> replyTo)
      implements Command {}

  public record EndSession(String presentedHash, ActorRef<Reply> replyTo) implements Command {}

  public record AddFriend(String friendId, ActorRef<Reply> replyTo) implements Command {}

  public record RemoveFriend(String friendId, ActorRef<Reply> replyTo) implements Command {}

  /**
   * From a peer's entity: the friendship state it holds with this user and that state's version.
   * Taken if newer than the state held here; answered to {@code replyTo} either way.
   */
  public record SyncFriendship(
      String peerId, boolean linked, long version, ActorRef<Command> replyTo) implements Command {}

  /**
   * A peer's answer to {@link SyncFriendship}: the state and version the peer holds after it (not
   * linked, version 0 when the peer does not exist).
   */
  public record FriendshipSynced(String peerId, boolean linked, long version, boolean peerExists)
      implements Command {}

  /** From a room: this user is (or is no longer) a member; confirm to {@code replyTo}. */
  public record SyncRoomMembership(String roomId, boolean member, ActorRef<RoomMembershipSynced> replyTo)
      implements Command {}

  /** The answer to {@link SyncRoomMembership}. */
  public record RoomMembershipSynced(String userId, String roomId, boolean member)
      implements CborSerializable {}

  /** A node's hub now holds {@code count} connections of this user (0: none). */
  public record Connections(ActorRef<LiveFeed> hub, int count) implements Command {}

  /** For this user's live connections, wherever they are. */
  public record Notify(LiveFeed.Notice notice) implements Command {}

  /** A friend came online or went offline. */
  public record FriendPresence(String friendId, boolean online) implements Command {}

  record HubGone(ActorRef<LiveFeed> hub) implements Command {}

  enum RetryPeerSync implements Command {
    INSTANCE
  }

  public sealed interface Reply extends CborSerializable {}

  public record Accepted(UserView user) implements Reply {}

  public record Rejected(UserError error) implements Reply {}

  public record Credentials(String passwordHash) implements CborSerializable {}

  // ---- behaviour ----

  /** {@code entityStarts}: this node's instance of {@link LiveFeed#entityStarts()}. */
  public static void init(
      ClusterSharding sharding, Clock clock, int slices, ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    sharding.init(
        Entity.of(
            TYPE_KEY,
            entityContext ->
                create(
                    entityContext.getEntityId(),
                    peerId -> sharding.entityRefFor(TYPE_KEY, peerId),
                    clock,
                    slices,
                    entityContext.getShard(),
                    entityStarts)));
  }

  /**
   * {@code shard}: told to passivate the entity of a user id nobody registered, once it answered;
   * {@code entityStarts}: where the user's entity announces that it started.
   */
  public static Behavior<Command> create(String userId, Function<String, RecipientRef<Command>> peers, Clock clock,
      int slices, ActorRef<ClusterSharding.ShardCommand> shard, ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new UserEntity(userId, context, timers, peers, clock, slices, shard, entityStarts)));
  }

  private final String userId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Function<String, RecipientRef<Command>> peers;
  private final Clock clock;
  private final Set<String> tags;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<Topic.Command<LiveFeed>> entityStarts;
  /** Connections per node hub: not state, the hubs tell it after the entity starts, and periodically. */
  private final Map<ActorRef<LiveFeed>, Integer> hubs = new HashMap<>();

  private UserEntity(
      String userId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Function<String, RecipientRef<Command>> peers,
      Clock clock,
      int slices,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    super(
        PersistenceId.of(TYPE_KEY.name(), userId),
        JournalFailureBackoff.strategy());
    this.userId = userId;
    this.context = context;
    this.timers = timers;
    this.peers = peers;
    this.clock = clock;
    this.tags = EventTags.forEntity(EventTags.USER, userId, slices);
    this.shard = shard;
    this.entityStarts = entityStarts;
  }

  @Override
  public UserState emptyState() {
    return UserState.empty();
  }

  @Override
  public Set<String> tagsFor(UserEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandler<Command, UserEvent, UserState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Register.class, (state, c) ->
            decide(state, state.register(userId, c.name(), c.email(), c.passwordHash(), now()), c.replyTo()))
        .onCommand(GetUser.class, (state, c) -> lookedUp(state, c.replyTo(), state.registered()
            ? new Accepted(state.view().withOnline(online()))
            : new Rejected(UserError.USER_NOT_FOUND)))
        .onCommand(GetCredentials.class, (state, c) ->
            lookedUp(state, c.replyTo(), new Credentials(state.passwordHash())))
        .onCommand(ChangeProfile.class, (state, c) ->
            decide(state, state.changeProfile(c.name(), c.statusMessage(), now()), c.replyTo()))
        .onCommand(StartSession.class, (state, c) ->
            decide(state, state.startSession(c.familyId(), c.tokenHash(), c.expiresAt(), now()), c.replyTo()))
        .onCommand(RotateSession.class, (state, c) ->
            decide(state, state.rotateSession(c.presentedHash(), c.newTokenHash(), c.expiresAt(), now()), c.replyTo()))
        .onCommand(EndSession.class, (state, c) ->
            decide(state, state.endSession(c.presentedHash(), now()), c.replyTo()))
        .onCommand(AddFriend.class, (state, c) ->
            decide(state, state.addFriend(c.friendId(), now()), c.replyTo()))
        .onCommand(RemoveFriend.class, (state, c) ->
            decide(state, state.removeFriend(c.friendId(), now()), c.replyTo()))
        .onCommand(SyncFriendship.class, this::onSyncFriendship)
        .onCommand(FriendshipSynced.class, (state, c) ->
            Effect().persist(
                state.peerSynced(c.peerId(), c.linked(), c.version(), c.peerExists(), now()).events()))
        .onCommand(SyncRoomMembership.class, (state, c) -> {
          RoomMembershipSynced answer = new RoomMembershipSynced(userId, c.roomId(), c.member());
          return Effect().persist(state.syncRoom(c.roomId(), c.member(), now()).events())
              .thenRun(() -> c.replyTo().tell(answer));
        })
        .onCommand(Connections.class, (state, c) -> {
          boolean wasOnline = online();
          if (c.count() > 0) {
            if (hubs.put(c.hub(), c.count()) == null) {
              context.watchWith(c.hub(), new HubGone(c.hub()));
            }
          } else if (hubs.remove(c.hub()) != null) {
            context.unwatch(c.hub());
          }
          announcePresence(state, wasOnline);
          return Effect().none();
        })
        .onCommand(HubGone.class, (state, c) -> {
          boolean wasOnline = online();
          hubs.remove(c.hub());
          announcePresence(state, wasOnline);
          return Effect().none();
        })
        .onCommand(Notify.class, (state, c) -> {
          tellConnections(c.notice());
          return Effect().none();
        })
        .onCommand(FriendPresence.class, (state, c) -> {
          if (state.friends().contains(c.friendId())) {
            tellConnections(new LiveFeed.Presence(c.friendId(), c.online()));
          }
          return Effect().none();
        })
        .onCommand(RetryPeerSync.class, (state, c) -> {
          tellPeers(state);
          return Effect().none();
        })
        .build();
  }

  /**
   * Answers a lookup. Lookups of user ids nobody registered (a mistyped friend, a guessed login)
   * must not leave an entity behind for each: the shard stops this one, and starts it again if
   * a message comes.
   */
  private <R> Effect<UserEvent, UserState> lookedUp(UserState state, ActorRef<R> replyTo, R answer) {
    replyTo.tell(answer);
    if (!state.registered()) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    return Effect().none();
  }

  private Effect<UserEvent, UserState> onSyncFriendship(UserState state, SyncFriendship c) {
    Decision decision = state.syncFromPeer(c.peerId(), c.linked(), c.version(), now());
    if (!decision.accepted()) {
      c.replyTo().tell(new FriendshipSynced(userId, false, 0, false));
      return Effect().none();
    }
    return Effect()
        .persist(decision.events())
        .thenRun(after -> {
          UserState.Friendship held = after.friendship(c.peerId());
          c.replyTo().tell(new FriendshipSynced(userId, held.linked(), held.version(), true));
        });
  }

  /** Persists the decision's events, then answers with the refusal or the user as it now is. */
  private Effect<UserEvent, UserState> decide(
      UserState state, Decision decision, ActorRef<Reply> replyTo) {
    Function<UserState, Reply> reply =
        after -> decision.rejection().<Reply>map(Rejected::new)
            .orElseGet(() -> new Accepted(after.view().withOnline(online())));
    if (decision.events().isEmpty()) {
      return Effect().reply(replyTo, reply.apply(state));
    }
    return Effect().persist(decision.events()).thenRun(this::tellPeers).thenReply(replyTo, reply::apply);
  }

  @Override
  public EventHandler<UserState, UserEvent> eventHandler() {
    return UserState::apply;
  }

  @Override
  public SignalHandler<UserState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          tellPeers(state);
          if (state.registered()) {
            entityStarts.tell(Topic.publish(new LiveFeed.UserStarted(userId)));
          }
        })
        .build();
  }

  private boolean online() {
    return !hubs.isEmpty();
  }

  /** Friends hear when the first connection opens and when the last one closes. */
  private void announcePresence(UserState state, boolean wasOnline) {
    if (online() != wasOnline && state.registered()) {
      FriendPresence presence = new FriendPresence(userId, online());
      state.friends().forEach(friendId -> peers.apply(friendId).tell(presence));
    }
  }

  private void tellConnections(LiveFeed.Notice notice) {
    LiveFeed.ToUser item = new LiveFeed.ToUser(userId, notice);
    hubs.keySet().forEach(hub -> hub.tell(item));
  }

  /** Tells each peer with an unconfirmed friendship change, and keeps retrying until all confirm. */
  private void tellPeers(UserState state) {
    if (state.peerSync().isEmpty()) {
      timers.cancel(RetryPeerSync.INSTANCE);
      return;
    }
    state.peerSync().forEach((peerId, pending) ->
        peers.apply(peerId).tell(
            new SyncFriendship(userId, pending.linked(), pending.version(), context.getSelf())));
    if (!timers.isTimerActive(RetryPeerSync.INSTANCE)) {
      timers.startTimerWithFixedDelay(RetryPeerSync.INSTANCE, PEER_SYNC_RETRY);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
