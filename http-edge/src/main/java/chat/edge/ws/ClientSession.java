package chat.edge.ws;

import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomValidation;
import chat.cluster.room.RoomView;
import chat.edge.api.ApiError;
import chat.edge.api.ApiErrors;
import chat.edge.limits.KeyedBuckets;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.rooms.Rooms;
import chat.edge.users.Users;
import chat.projections.MessageHistory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One WebSocket connection of one user: frames from the client become calls to {@link Rooms},
 * answers and refusals become frames, and each room's messages reach the client through its
 * {@link Subscription}, with history read for it at the pace the client reads.
 */
final class ClientSession extends AbstractBehavior<ClientSession.Command> {

  static final int REPAIR_PAGE = 200;
  /** How soon a replay that waited (for the client to read, or for a node-wide turn) looks again. */
  static final Duration REPLAY_RETRY = Duration.ofMillis(50);
  /** How long a subscribe waits for the user's account to say whether it lists the room. */
  static final Duration LISTING_WAIT = Duration.ofSeconds(1);

  sealed interface Command {}

  /** A frame from the client, reassembled; {@code ack} lets the next one through. */
  record FromClient(Inbound inbound, ActorRef<StreamAck> ack) implements Command {}

  enum StreamAck { INSTANCE }

  record StreamStarted(ActorRef<StreamAck> ack) implements Command {}

  enum StreamEnded implements Command { INSTANCE }

  /** A live message from the hub, already rendered. */
  record Deliver(String roomId, long seq, Outbound.Text frame) implements Command {}

  /** The room's newest seq, repeated by the hub's watch: catches gaps nothing else would show. */
  record RoomHead(String roomId, long lastSeq) implements Command {}

  /** A frame to pass on as it is (typing, presence, room notices). */
  record Push(Outbound.Text frame) implements Command {}

  /** The user left the room: the subscription ends. */
  record Revoke(String roomId) implements Command {}

  enum Shutdown implements Command { INSTANCE }

  /** Whether the user's account lists the room (or did not answer within {@link #LISTING_WAIT}). */
  private record Listed(String roomId, int generation, Long afterSeq, boolean listed) implements Command {}

  private record Checked(String roomId, int generation, Long afterSeq, RoomView room, Throwable failure)
      implements Command {}

  private record Repaired(String roomId, int generation, MessagePage page, Throwable failure) implements Command {}

  /** A room's answer to a frame: the frame to send back, if any, or the failure to report. */
  private record Replied(String ref, String frame, Throwable failure) implements Command {}

  private enum KeepAlive implements Command { INSTANCE }

  private enum ResumeReplays implements Command { INSTANCE }

  /** The connection's stream runs: frames for the client go to {@code out}, counted in {@code backlog}. */
  record Attach(ActorRef<Outbound> out, OutboundBacklog backlog) implements Command {}

  private enum AttachOverdue implements Command { INSTANCE }

  /** Waiting for its stream, a session only hears of the stream itself: a few messages at most. */
  private static final int ATTACH_STASH = 16;
  /** A connection whose stream never ran (the client left during the upgrade) ends its session. */
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A session created before its connection's stream runs. It joins the hub once the stream's
   * outgoing end is {@link Attach}ed, and keeps what arrives before that until then.
   */
  static Behavior<Command> create(Settings settings, String userId, ActorRef<ConnectionHub.Command> hub,
      Users users, Rooms rooms, MessageHistory history, EdgeMetrics metrics) {
    return Behaviors.setup(context -> Behaviors.withStash(ATTACH_STASH, stash -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(AttachOverdue.INSTANCE, ATTACH_TIMEOUT);
      return Behaviors.receive(Command.class)
          .onMessage(Attach.class, attach -> {
            timers.cancel(AttachOverdue.INSTANCE);
            timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, settings.keepAlive());
            hub.tell(new ConnectionHub.Connected(userId, context.getSelf()));
            return stash.unstashAll(
                new ClientSession(context, timers, settings, userId, attach, hub, users, rooms, history, metrics));
          })
          .onMessageEquals(AttachOverdue.INSTANCE, Behaviors::stopped)
          .onAnyMessage(early -> {
            if (stash.isFull()) {
              return Behaviors.stopped();
            }
            stash.stash(early);
            return Behaviors.same();
          })
          .build();
    })));
  }

  /**
   * Per-connection limits: frames that ask a room for something (sends have a per-user budget of
   * their own); how many frames a replay keeps waiting for the client at most; the node's turns
   * at reading history for replays, shared by all its sessions; and per user, subscribes to rooms
   * the user's account does not list, shared by the user's sessions on this node.
   */
  record Settings(double framesPerSecond, int frameBurst, Duration keepAlive, Duration idleTimeout,
      int replayBacklog, Semaphore replayTurns, KeyedBuckets unlistedSubscribes) {}

  private final Settings settings;
  private final String userId;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Outbound> out;
  private final OutboundBacklog backlog;
  private final ActorRef<ConnectionHub.Command> hub;
  private final Users users;
  private final Rooms rooms;
  private final MessageHistory history;
  private final EdgeMetrics metrics;
  private final RateLimiter limiter;
  private final Map<String, Subscription<Outbound.Text>> subscriptions = new HashMap<>();
  private int generations;
  /** Turns at reading history taken and not yet given back: one per page read under way. */
  private int turnsHeld;
  private long lastHeard = System.nanoTime();
  private boolean closed;

  private ClientSession(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings,
      String userId, Attach attach, ActorRef<ConnectionHub.Command> hub, Users users, Rooms rooms,
      MessageHistory history, EdgeMetrics metrics) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.userId = userId;
    this.out = attach.out();
    this.backlog = attach.backlog();
    this.hub = hub;
    this.users = users;
    this.rooms = rooms;
    this.history = history;
    this.metrics = metrics;
    this.limiter = new RateLimiter(settings.framesPerSecond(), settings.frameBurst());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamStarted.class, c -> {
          c.ack().tell(StreamAck.INSTANCE);
          return this;
        })
        .onMessage(FromClient.class, c -> {
          lastHeard = System.nanoTime();
          onInbound(c.inbound());
          c.ack().tell(StreamAck.INSTANCE);
          return this;
        })
        .onMessageEquals(StreamEnded.INSTANCE, Behaviors::stopped)
        .onSignal(PostStop.class, stopped -> {
          // A page read still under way when the connection ended gives its turn back here.
          settings.replayTurns().release(turnsHeld);
          return this;
        })
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(RoomHead.class, this::onRoomHead)
        .onMessage(Push.class, c -> {
          send(c.frame());
          return this;
        })
        .onMessage(Revoke.class, c -> {
          if (subscriptions.remove(c.roomId()) != null) {
            send(ServerFrames.unsubscribed(c.roomId()));
          }
          return this;
        })
        .onMessage(Listed.class, this::onListed)
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Repaired.class, this::onRepaired)
        .onMessageEquals(ResumeReplays.INSTANCE, () -> {
          subscriptions.forEach(this::readIfWanted);
          return this;
        })
        .onMessage(Replied.class, this::onReplied)
        .onMessageEquals(KeepAlive.INSTANCE, () -> {
          if (System.nanoTime() - lastHeard > settings.idleTimeout().toNanos()) {
            close(CloseCodes.POLICY_VIOLATION, "no frames from the client");
          } else {
            emit(new Outbound.Ping(org.apache.pekko.util.ByteString.emptyByteString()));
          }
          return this;
        })
        .onMessageEquals(Shutdown.INSTANCE, () -> {
          close(CloseCodes.SERVICE_RESTART, "the node is restarting");
          return this;
        })
        .build();
  }

  // ---- frames from the client ----

  private void onInbound(Inbound inbound) {
    if (closed) {
      return;
    }
    if (inbound instanceof Inbound.Text text) {
      onFrame(text.text());
    } else if (inbound instanceof Inbound.Ping ping) {
      emit(new Outbound.Pong(ping.payload()));
    } else if (inbound instanceof Inbound.Close close) {
      close(close.code() == 1005 ? CloseCodes.NORMAL : close.code(), "");
    } else if (inbound instanceof Inbound.Violation violation) {
      close(violation.code(), violation.reason());
    }
  }

  private void onFrame(String text) {
    ClientFrame frame;
    try {
      frame = ClientFrame.parse(text);
    } catch (ClientFrame.BadFrame bad) {
      sendError("BAD_FRAME", bad.getMessage(), bad.ref);
      return;
    }
    if (frame instanceof ClientFrame.Ping) {
      send(ServerFrames.pong());
    } else if (frame instanceof ClientFrame.Subscribe s) {
      subscribe(s);
    } else if (frame instanceof ClientFrame.Unsubscribe u) {
      if (!rateAllowed(u.roomId())) {
        return;
      }
      if (subscriptions.remove(u.roomId()) != null) {
        hub.tell(new ConnectionHub.Unsubscribe(u.roomId(), getContext().getSelf()));
      }
      send(ServerFrames.unsubscribed(u.roomId()));
    } else if (frame instanceof ClientFrame.Send s) {
      sendMessage(s);
    } else if (frame instanceof ClientFrame.Read r) {
      if (knownRoom(r.roomId(), r.roomId()) && rateAllowed(r.roomId())) {
        reply(r.roomId(), rooms.markRead(userId, r.roomId(), r.seq()), room -> null);
      }
    } else if (frame instanceof ClientFrame.Typing t) {
      if (knownRoom(t.roomId(), t.roomId()) && rateAllowed(t.roomId())) {
        reply(t.roomId(), rooms.typing(userId, t.roomId()), done -> null);
      }
    }
  }

  private void sendMessage(ClientFrame.Send s) {
    String ref = s.clientMsgId() != null ? s.clientMsgId() : s.roomId();
    var invalid = RoomValidation.message(s.clientMsgId(), s.text());
    if (invalid.isPresent()) {
      sendError("VALIDATION_FAILED", invalid.get().message(), ref);
      return;
    }
    if (knownRoom(s.roomId(), ref)) {
      reply(ref, rooms.post(userId, s.roomId(), s.clientMsgId(), s.text()),
          posted -> ServerFrames.ack(s.roomId(), ref, posted.seq(), posted.sentAt()));
    }
  }

  private boolean knownRoom(String roomId, String ref) {
    if (!RoomValidation.isRoomId(roomId)) {
      sendError("ROOM_NOT_FOUND", "no such room", ref);
      return false;
    }
    return true;
  }

  private boolean rateAllowed(String ref) {
    if (limiter.tryAcquire()) {
      return true;
    }
    sendError("RATE_LIMITED", "too many frames on this connection; slow down", ref);
    return false;
  }

  /** When {@code answer} completes, sends its frame ({@code toFrame} may give null: none), or its error. */
  private <T> void reply(String ref, CompletionStage<T> answer, Function<T, String> toFrame) {
    getContext().pipeToSelf(answer,
        (result, failure) -> new Replied(ref, failure == null ? toFrame.apply(result) : null, failure));
  }

  private Behavior<Command> onReplied(Replied r) {
    if (r.failure() != null) {
      sendFailure(r.failure(), r.ref());
    } else if (r.frame() != null) {
      send(r.frame());
    }
    return this;
  }

  // ---- subscriptions ----

  private void subscribe(ClientFrame.Subscribe s) {
    if (!knownRoom(s.roomId(), s.roomId()) || !rateAllowed(s.roomId())) {
      return;
    }
    var subscription = new Subscription<Outbound.Text>(++generations, m -> Outbound.Text.of(ServerFrames.message(m)));
    subscriptions.put(s.roomId(), subscription);
    // An account that does not answer soon (its shard moving) counts as listing the room: the
    // allowance guards against abuse, and must not hold back reconnects during a rollout.
    getContext().pipeToSelf(users.listsRoom(userId, s.roomId(), LISTING_WAIT), (listed, failure) -> new Listed(
        s.roomId(), subscription.generation(), s.afterSeq(), failure != null || listed));
  }

  /**
   * The room is asked only if the user's account lists it, or within the user's allowance for
   * rooms it does not list (one just joined may not be listed yet): asking the room of an id no
   * room has costs a journal read, and random ids must not cost the node that at the client's pace.
   */
  private Behavior<Command> onListed(Listed l) {
    var subscription = current(l.roomId(), l.generation());
    if (subscription == null) {
      return this;
    }
    if (!l.listed() && settings.unlistedSubscribes().take(userId).isPresent()) {
      subscriptions.remove(l.roomId());
      hub.tell(new ConnectionHub.Unsubscribe(l.roomId(), getContext().getSelf())); // of an earlier subscription
      sendError("RATE_LIMITED", "too many subscribes to rooms you are not in; slow down", l.roomId());
      return this;
    }
    // Registered before the room is asked, so no message persisted after the answer is missed.
    hub.tell(new ConnectionHub.Subscribe(l.roomId(), getContext().getSelf()));
    getContext().pipeToSelf(rooms.get(userId, l.roomId()),
        (room, failure) -> new Checked(l.roomId(), l.generation(), l.afterSeq(), room, failure));
    return this;
  }

  private Behavior<Command> onChecked(Checked c) {
    var subscription = current(c.roomId(), c.generation());
    if (subscription == null) {
      return this;
    }
    if (c.failure() != null) {
      subscriptions.remove(c.roomId());
      hub.tell(new ConnectionHub.Unsubscribe(c.roomId(), getContext().getSelf()));
      sendFailure(c.failure(), c.roomId());
      return this;
    }
    long lastSeq = c.room().lastSeq();
    send(ServerFrames.subscribed(c.roomId(), lastSeq));
    deliver(subscription.started(lastSeq, c.afterSeq()));
    readIfWanted(c.roomId(), subscription);
    return this;
  }

  private Behavior<Command> onDeliver(Deliver d) {
    var subscription = subscriptions.get(d.roomId());
    if (subscription != null) {
      deliver(subscription.live(d.seq(), d.frame()));
      readIfWanted(d.roomId(), subscription);
    }
    return this;
  }

  private Behavior<Command> onRoomHead(RoomHead h) {
    var subscription = subscriptions.get(h.roomId());
    if (subscription != null) {
      subscription.head(h.lastSeq());
      readIfWanted(h.roomId(), subscription);
    }
    return this;
  }

  /**
   * Reads the history a subscription misses, a page at a time: only while the client keeps up
   * (few frames wait for it) and with one of the node's turns per page; else it looks again soon.
   */
  private void readIfWanted(String roomId, Subscription<Outbound.Text> subscription) {
    var after = subscription.readWanted();
    if (after.isEmpty()) {
      return;
    }
    if (backlog.pending() > settings.replayBacklog() || !settings.replayTurns().tryAcquire()) {
      if (!timers.isTimerActive(ResumeReplays.INSTANCE)) {
        timers.startSingleTimer(ResumeReplays.INSTANCE, REPLAY_RETRY);
      }
      return;
    }
    turnsHeld++;
    subscription.reading();
    int generation = subscription.generation();
    getContext().pipeToSelf(history.after(roomId, after.getAsLong(), replayPage()),
        (page, failure) -> new Repaired(roomId, generation, page, failure));
  }

  /** A page fills at most the backlog a replay may keep, so one never overruns the out-buffer. */
  private int replayPage() {
    return Math.max(1, Math.min(REPAIR_PAGE, settings.replayBacklog()));
  }

  private Behavior<Command> onRepaired(Repaired r) {
    settings.replayTurns().release();
    turnsHeld--;
    var subscription = current(r.roomId(), r.generation());
    if (subscription == null) {
      return this;
    }
    if (r.failure() != null) {
      getContext().getLog().warn("Could not read the history of room {}", r.roomId(), r.failure());
      subscription.readFailed();
      return this;
    }
    deliver(subscription.read(r.page().messages()));
    readIfWanted(r.roomId(), subscription);
    return this;
  }

  private Subscription<Outbound.Text> current(String roomId, int generation) {
    var subscription = subscriptions.get(roomId);
    return subscription != null && subscription.generation() == generation ? subscription : null;
  }

  // ---- frames to the client ----

  private void send(String json) {
    send(Outbound.Text.of(json));
  }

  private void send(Outbound.Text frame) {
    if (!closed) {
      emit(frame);
    }
  }

  /** Message frames of a subscribed room. */
  private void deliver(List<Outbound.Text> frames) {
    for (Outbound.Text frame : frames) {
      if (!closed) {
        emit(frame);
        metrics.delivered();
      }
    }
  }

  private void emit(Outbound frame) {
    out.tell(frame);
    backlog.handed();
  }

  private void sendError(String code, String message, String ref) {
    send(ServerFrames.error(code, message, ref));
  }

  /** The contract's error for a failed or refused frame; REST answers the same error for the same cause. */
  private void sendFailure(Throwable failure, String ref) {
    ApiError error = ApiErrors.of(failure);
    sendError(error.code(), error.getMessage(), ref);
  }

  private void close(int code, String reason) {
    if (!closed) {
      closed = true;
      emit(new Outbound.Close(code, reason));
      out.tell(new Outbound.Complete());
    }
  }
}
