package chat.edge.ws;

import chat.cluster.live.LiveFeed;
import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import chat.edge.metrics.EdgeMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One per node: knows the node's live connections by user and by subscribed room, registers
 * them with the user and room entities, and fans each item those entities push out to the local
 * connections. A message is rendered to JSON once here, whatever the number of subscribers.
 * An entity that starts (after a move or a restart) knows no hub, and what it sends next must
 * reach every connection without waiting: the hub watches a room again, or counts a user's
 * connections to it again, when it announces its start, and watches its rooms again when a node
 * leaves the cluster (their rooms start elsewhere). Registrations are also repeated periodically,
 * for what those miss (an announcement published before this node's hub was known).
 */
public final class ConnectionHub extends AbstractBehavior<ConnectionHub.Command> {

  static final Duration ROOM_WATCH_INTERVAL = Duration.ofSeconds(3);
  static final Duration USER_REFRESH_INTERVAL = Duration.ofSeconds(15);

  public sealed interface Command {}

  record Connected(String userId, ActorRef<ClientSession.Command> session) implements Command {}

  record Subscribe(String roomId, ActorRef<ClientSession.Command> session) implements Command {}

  record Unsubscribe(String roomId, ActorRef<ClientSession.Command> session) implements Command {}

  /** Closes every connection with 1012 before the node stops; answered once all were told. */
  public record CloseAll(ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  private record SessionGone(ActorRef<ClientSession.Command> session) implements Command {}

  private record FromCluster(LiveFeed item) implements Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private enum Tick implements Command {
    ROOMS,
    USERS
  }

  /** {@code entityStarts}: this node's instance of {@link LiveFeed#entityStarts()}. */
  public static Behavior<Command> create(
      ClusterSharding sharding, EdgeMetrics metrics, ActorRef<Topic.Command<LiveFeed>> entityStarts) {
    return create(sharding, metrics, entityStarts, ROOM_WATCH_INTERVAL, USER_REFRESH_INTERVAL);
  }

  static Behavior<Command> create(ClusterSharding sharding, EdgeMetrics metrics,
      ActorRef<Topic.Command<LiveFeed>> entityStarts, Duration roomWatchInterval, Duration userRefreshInterval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.ROOMS, roomWatchInterval);
      timers.startTimerWithFixedDelay(Tick.USERS, userRefreshInterval);
      Cluster.get(context.getSystem()).subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
          context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
      ConnectionHub hub = new ConnectionHub(context, sharding, metrics);
      entityStarts.tell(Topic.subscribe(hub.feed));
      return hub;
    }));
  }

  private final ClusterSharding sharding;
  private final EdgeMetrics metrics;
  private final ActorRef<LiveFeed> feed;
  private final Map<ActorRef<ClientSession.Command>, String> userOf = new HashMap<>();
  private final Map<String, Set<ActorRef<ClientSession.Command>>> byUser = new HashMap<>();
  private final Map<String, Set<ActorRef<ClientSession.Command>>> byRoom = new HashMap<>();
  private final Map<ActorRef<ClientSession.Command>, Set<String>> roomsOf = new HashMap<>();

  private ConnectionHub(ActorContext<Command> context, ClusterSharding sharding, EdgeMetrics metrics) {
    super(context);
    this.sharding = sharding;
    this.metrics = metrics;
    this.feed = context.messageAdapter(LiveFeed.class, FromCluster::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(SessionGone.class, this::onSessionGone)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, c -> {
          removeFromRoom(c.roomId(), c.session());
          return this;
        })
        .onMessage(FromCluster.class, c -> {
          onFeed(c.item());
          return this;
        })
        .onMessageEquals(Tick.ROOMS, () -> {
          watchRooms();
          return this;
        })
        .onMessage(MemberChanged.class, c -> {
          // Left or exited: its shards were handed off (they are before leaving in a node's shutdown);
          // removed: after a crash, downed and gone.
          ClusterEvent.MemberEvent event = c.event();
          if (event instanceof ClusterEvent.MemberLeft
              || event instanceof ClusterEvent.MemberExited
              || event instanceof ClusterEvent.MemberRemoved) {
            watchRooms();
          }
          return this;
        })
        .onMessageEquals(Tick.USERS, () -> {
          byUser.forEach((userId, sessions) -> tellUser(userId, sessions.size()));
          return this;
        })
        .onMessage(CloseAll.class, c -> {
          userOf.keySet().forEach(session -> session.tell(ClientSession.Shutdown.INSTANCE));
          c.replyTo().tell(org.apache.pekko.Done.getInstance());
          return this;
        })
        .build();
  }

  private void watchRooms() {
    byRoom.keySet().forEach(roomId -> room(roomId).tell(new RoomEntity.Watch(feed)));
  }

  private Behavior<Command> onConnected(Connected c) {
    userOf.put(c.session(), c.userId());
    metrics.connections(userOf.size());
    getContext().watchWith(c.session(), new SessionGone(c.session()));
    Set<ActorRef<ClientSession.Command>> sessions = byUser.computeIfAbsent(c.userId(), id -> new HashSet<>());
    sessions.add(c.session());
    tellUser(c.userId(), sessions.size());
    return this;
  }

  private Behavior<Command> onSessionGone(SessionGone c) {
    String userId = userOf.remove(c.session());
    if (userId == null) {
      return this;
    }
    metrics.connections(userOf.size());
    Set<ActorRef<ClientSession.Command>> sessions = byUser.get(userId);
    sessions.remove(c.session());
    tellUser(userId, sessions.size());
    if (sessions.isEmpty()) {
      byUser.remove(userId);
    }
    for (String roomId : roomsOf.getOrDefault(c.session(), Set.of()).toArray(String[]::new)) {
      removeFromRoom(roomId, c.session());
    }
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe c) {
    Set<ActorRef<ClientSession.Command>> sessions = byRoom.computeIfAbsent(c.roomId(), id -> new HashSet<>());
    if (sessions.isEmpty()) {
      room(c.roomId()).tell(new RoomEntity.Watch(feed));
    }
    sessions.add(c.session());
    roomsOf.computeIfAbsent(c.session(), session -> new HashSet<>()).add(c.roomId());
    return this;
  }

  private void removeFromRoom(String roomId, ActorRef<ClientSession.Command> session) {
    Set<String> rooms = roomsOf.get(session);
    if (rooms != null && rooms.remove(roomId) && rooms.isEmpty()) {
      roomsOf.remove(session);
    }
    Set<ActorRef<ClientSession.Command>> sessions = byRoom.get(roomId);
    if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
      byRoom.remove(roomId);
      room(roomId).tell(new RoomEntity.Unwatch(feed));
    }
  }

  private void onFeed(LiveFeed item) {
    if (item instanceof LiveFeed.MessagePosted posted) {
      Set<ActorRef<ClientSession.Command>> sessions = byRoom.get(posted.message().roomId());
      if (sessions != null) {
        Outbound.Text frame = Outbound.Text.of(ServerFrames.message(posted.message()));
        ClientSession.Deliver deliver =
            new ClientSession.Deliver(posted.message().roomId(), posted.message().seq(), frame);
        sessions.forEach(session -> session.tell(deliver));
      }
    } else if (item instanceof LiveFeed.RoomStarted started) {
      if (byRoom.containsKey(started.roomId())) {
        room(started.roomId()).tell(new RoomEntity.Watch(feed));
      }
    } else if (item instanceof LiveFeed.UserStarted started) {
      Set<ActorRef<ClientSession.Command>> sessions = byUser.get(started.userId());
      if (sessions != null) {
        tellUser(started.userId(), sessions.size());
      }
    } else if (item instanceof LiveFeed.RoomWatched watched) {
      ClientSession.RoomHead head = new ClientSession.RoomHead(watched.roomId(), watched.lastSeq());
      byRoom.getOrDefault(watched.roomId(), Set.of()).forEach(session -> session.tell(head));
    } else if (item instanceof LiveFeed.Typing typing) {
      Outbound.Text frame = Outbound.Text.of(ServerFrames.typing(typing.roomId(), typing.userId()));
      byRoom.getOrDefault(typing.roomId(), Set.of()).stream()
          .filter(session -> !typing.userId().equals(userOf.get(session)))
          .forEach(session -> session.tell(new ClientSession.Push(frame)));
    } else if (item instanceof LiveFeed.MemberLeft left) {
      List<ActorRef<ClientSession.Command>> leaving = byRoom.getOrDefault(left.roomId(), Set.of()).stream()
          .filter(session -> left.userId().equals(userOf.get(session)))
          .toList();
      leaving.forEach(session -> {
        session.tell(new ClientSession.Revoke(left.roomId()));
        removeFromRoom(left.roomId(), session);
      });
    } else if (item instanceof LiveFeed.ToUser toUser) {
      Outbound.Text frame = Outbound.Text.of(render(toUser.notice()));
      byUser.getOrDefault(toUser.userId(), Set.of()).forEach(session -> session.tell(new ClientSession.Push(frame)));
    }
  }

  private static String render(LiveFeed.Notice notice) {
    if (notice instanceof LiveFeed.Presence presence) {
      return ServerFrames.presence(presence.userId(), presence.online());
    }
    LiveFeed.RoomChanged changed = (LiveFeed.RoomChanged) notice;
    return ServerFrames.room(changed.roomId(), changed.event(), changed.userId());
  }

  private void tellUser(String userId, int connections) {
    sharding.entityRefFor(UserEntity.TYPE_KEY, userId).tell(new UserEntity.Connections(feed, connections));
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<RoomEntity.Command> room(String roomId) {
    return sharding.entityRefFor(RoomEntity.TYPE_KEY, roomId);
  }
}
