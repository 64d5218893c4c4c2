package chat.edge.ws;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomEntity;
import chat.cluster.room.RoomError;
import chat.cluster.room.RoomValidation;
import chat.edge.limits.RateLimited;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.rooms.Rooms;
import chat.projections.MessageHistory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One WebSocket connection of one user. Within a subscription it delivers each message of the
 * room exactly once and in seq order: live messages that arrive ahead of a gap wait while the gap
 * is refilled from the room's history, and duplicates are dropped by seq.
 */
final class ClientSession extends AbstractBehavior<ClientSession.Command> {

  static final int REPAIR_PAGE = 200;
  /** How soon a replay that waited (for the client to read, or for a node-wide turn) looks again. */
  static final Duration REPLAY_RETRY = Duration.ofMillis(50);
  /** Live messages kept per subscription while a gap is refilled; later ones are read from history too. */
  static final int MAX_WAITING = 1000;

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

  private record Checked(String roomId, int generation, Long afterSeq, RoomEntity.Reply reply, Throwable failure)
      implements Command {}

  private record Repaired(String roomId, int generation, MessagePage page, Throwable failure) implements Command {}

  private record Replied(String roomId, String ref, RoomEntity.Reply reply, Throwable failure, ReplyKind kind)
      implements Command {}

  private enum ReplyKind { ACK, SILENT }

  private enum KeepAlive implements Command { INSTANCE }

  private enum ResumeReplays implements Command { INSTANCE }

  /** Where a subscription stands. */
  private static final class Subscription {
    final int generation;
    boolean ready;
    boolean repairing;
    long delivered;
    long head;
    final TreeMap<Long, Outbound.Text> waiting = new TreeMap<>();

    Subscription(int generation) {
      this.generation = generation;
    }
  }

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
  static Behavior<Command> create(Settings settings, String userId,
      ActorRef<ConnectionHub.Command> hub, Rooms rooms, MessageHistory history, EdgeMetrics metrics) {
    return Behaviors.setup(context -> Behaviors.withStash(ATTACH_STASH, stash -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(AttachOverdue.INSTANCE, ATTACH_TIMEOUT);
      return Behaviors.receive(Command.class)
          .onMessage(Attach.class, attach -> {
            timers.cancel(AttachOverdue.INSTANCE);
            timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, settings.keepAlive());
            hub.tell(new ConnectionHub.Connected(userId, context.getSelf()));
            return stash.unstashAll(
                new ClientSession(context, timers, settings, userId, attach, hub, rooms, history, metrics));
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
   * their own); how many frames a replay keeps waiting for the client at most; and the node's
   * turns at reading history for replays, shared by all its sessions.
   */
  record Settings(double framesPerSecond, int frameBurst, Duration keepAlive, Duration idleTimeout, Duration askTimeout,
      int replayBacklog, Semaphore replayTurns) {}

  private final Settings settings;
  private final String userId;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Outbound> out;
  private final OutboundBacklog backlog;
  private final ActorRef<ConnectionHub.Command> hub;
  private final Rooms rooms;
  private final MessageHistory history;
  private final EdgeMetrics metrics;
  private final RateLimiter limiter;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private int generations;
  /** Turns at reading history taken and not yet given back: one per page read under way. */
  private int turnsHeld;
  private long lastHeard = System.nanoTime();
  private boolean closed;

  private ClientSession(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings,
      String userId, Attach attach, ActorRef<ConnectionHub.Command> hub, Rooms rooms, MessageHistory history,
      EdgeMetrics metrics) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.userId = userId;
    this.out = attach.out();
    this.backlog = attach.backlog();
    this.hub = hub;
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
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Repaired.class, this::onRepaired)
        .onMessageEquals(ResumeReplays.INSTANCE, () -> {
          subscriptions.forEach(this::catchUp);
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
        askRoom(r.roomId(), r.roomId(), ReplyKind.SILENT, replyTo -> new RoomEntity.MarkRead(userId, r.seq(), replyTo));
      }
    } else if (frame instanceof ClientFrame.Typing t) {
      if (knownRoom(t.roomId(), t.roomId()) && rateAllowed(t.roomId())) {
        askRoom(t.roomId(), t.roomId(), ReplyKind.SILENT, replyTo -> new RoomEntity.Typing(userId, replyTo));
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
      getContext().pipeToSelf(rooms.post(userId, s.roomId(), s.clientMsgId(), s.text()),
          (reply, failure) -> new Replied(s.roomId(), ref, reply, failure, ReplyKind.ACK));
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

  private void askRoom(String roomId, String ref, ReplyKind kind,
      org.apache.pekko.japi.function.Function<ActorRef<RoomEntity.Reply>, RoomEntity.Command> command) {
    getContext().pipeToSelf(
        rooms.entity(roomId).<RoomEntity.Reply>ask(command::apply, settings.askTimeout()),
        (reply, failure) -> new Replied(roomId, ref, reply, failure, kind));
  }

  private Behavior<Command> onReplied(Replied r) {
    if (r.failure() != null) {
      sendFailure(r.failure(), r.ref());
    } else if (r.reply() instanceof RoomEntity.Rejected rejected) {
      sendRoomError(rejected.error(), r.ref());
    } else if (r.kind() == ReplyKind.ACK && r.reply() instanceof RoomEntity.Posted posted) {
      send(ServerFrames.ack(r.roomId(), r.ref(), posted.seq(), posted.sentAt()));
    }
    return this;
  }

  // ---- subscriptions ----

  private void subscribe(ClientFrame.Subscribe s) {
    if (!knownRoom(s.roomId(), s.roomId()) || !rateAllowed(s.roomId())) {
      return;
    }
    Subscription subscription = new Subscription(++generations);
    subscriptions.put(s.roomId(), subscription);
    // Registered before the room is asked, so no message persisted after the answer is missed.
    hub.tell(new ConnectionHub.Subscribe(s.roomId(), getContext().getSelf()));
    getContext().pipeToSelf(
        rooms.entity(s.roomId()).<RoomEntity.Reply>ask(replyTo -> new RoomEntity.Get(userId, replyTo), settings.askTimeout()),
        (reply, failure) -> new Checked(s.roomId(), subscription.generation, s.afterSeq(), reply, failure));
  }

  private Behavior<Command> onChecked(Checked c) {
    Subscription subscription = current(c.roomId(), c.generation());
    if (subscription == null) {
      return this;
    }
    if (c.failure() != null || !(c.reply() instanceof RoomEntity.Accepted accepted)) {
      subscriptions.remove(c.roomId());
      hub.tell(new ConnectionHub.Unsubscribe(c.roomId(), getContext().getSelf()));
      if (c.failure() != null) {
        sendFailure(c.failure(), c.roomId());
      } else {
        sendRoomError(((RoomEntity.Rejected) c.reply()).error(), c.roomId());
      }
      return this;
    }
    long lastSeq = accepted.room().lastSeq();
    send(ServerFrames.subscribed(c.roomId(), lastSeq));
    subscription.ready = true;
    subscription.head = Math.max(subscription.head, lastSeq);
    subscription.delivered = c.afterSeq() == null ? lastSeq : Math.min(c.afterSeq(), lastSeq);
    subscription.waiting.headMap(subscription.delivered, true).clear();
    catchUp(c.roomId(), subscription);
    return this;
  }

  private Behavior<Command> onDeliver(Deliver d) {
    Subscription subscription = subscriptions.get(d.roomId());
    if (subscription == null || d.seq() <= subscription.delivered) {
      return this;
    }
    subscription.head = Math.max(subscription.head, d.seq());
    if (subscription.ready && !subscription.repairing && d.seq() == subscription.delivered + 1) {
      deliver(d.frame());
      subscription.delivered = d.seq();
    } else if (subscription.waiting.size() < MAX_WAITING) {
      subscription.waiting.put(d.seq(), d.frame());
    }
    catchUp(d.roomId(), subscription);
    return this;
  }

  private Behavior<Command> onRoomHead(RoomHead h) {
    Subscription subscription = subscriptions.get(h.roomId());
    if (subscription != null) {
      subscription.head = Math.max(subscription.head, h.lastSeq());
      catchUp(h.roomId(), subscription);
    }
    return this;
  }

  /** Sends what waits in order; if something is still missing, reads it from history. */
  private void catchUp(String roomId, Subscription subscription) {
    if (!subscription.ready || subscription.repairing) {
      return;
    }
    while (!subscription.waiting.isEmpty() && subscription.waiting.firstKey() == subscription.delivered + 1) {
      deliver(subscription.waiting.pollFirstEntry().getValue());
      subscription.delivered++;
    }
    subscription.waiting.headMap(subscription.delivered, true).clear();
    if (subscription.head > subscription.delivered) {
      // A replay goes as fast as the client reads, and takes one of the node's turns per page.
      if (backlog.pending() > settings.replayBacklog() || !settings.replayTurns().tryAcquire()) {
        if (!timers.isTimerActive(ResumeReplays.INSTANCE)) {
          timers.startSingleTimer(ResumeReplays.INSTANCE, REPLAY_RETRY);
        }
        return;
      }
      turnsHeld++;
      subscription.repairing = true;
      int generation = subscription.generation;
      getContext().pipeToSelf(history.after(roomId, subscription.delivered, replayPage()),
          (page, failure) -> new Repaired(roomId, generation, page, failure));
    }
  }

  /** A page fills at most the backlog a replay may keep, so one never overruns the out-buffer. */
  private int replayPage() {
    return Math.max(1, Math.min(REPAIR_PAGE, settings.replayBacklog()));
  }

  private Behavior<Command> onRepaired(Repaired r) {
    settings.replayTurns().release();
    turnsHeld--;
    Subscription subscription = current(r.roomId(), r.generation());
    if (subscription == null) {
      return this;
    }
    subscription.repairing = false;
    if (r.failure() != null) {
      getContext().getLog().warn("Could not read the history of room {}", r.roomId(), r.failure());
      return this;
    }
    boolean progressed = false;
    for (Message message : r.page().messages()) {
      if (message.seq() == subscription.delivered + 1) {
        Outbound.Text waiting = subscription.waiting.remove(message.seq());
        deliver(waiting != null ? waiting : Outbound.Text.of(ServerFrames.message(message)));
        subscription.delivered = message.seq();
        progressed = true;
      }
    }
    // Without progress the journal has nothing newer yet: the next head or message retries.
    if (progressed) {
      catchUp(r.roomId(), subscription);
    }
    return this;
  }

  private Subscription current(String roomId, int generation) {
    Subscription subscription = subscriptions.get(roomId);
    return subscription != null && subscription.generation == generation ? subscription : null;
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

  /** A message frame of a subscribed room. */
  private void deliver(Outbound.Text frame) {
    if (!closed) {
      emit(frame);
      metrics.delivered();
    }
  }

  private void emit(Outbound frame) {
    out.tell(frame);
    backlog.handed();
  }

  private void sendError(String code, String message, String ref) {
    send(ServerFrames.error(code, message, ref));
  }

  private void sendRoomError(RoomError error, String ref) {
    switch (error) {
      case ROOM_NOT_FOUND -> sendError("ROOM_NOT_FOUND", "no such room", ref);
      case NOT_A_MEMBER -> sendError("NOT_A_MEMBER", "you are not a member of this room", ref);
      case ROOM_BUSY -> sendError("SERVICE_UNAVAILABLE", "the room is busy; try again", ref);
      case MALFORMED_TEXT -> sendError("VALIDATION_FAILED", "text and clientMsgId must be valid Unicode text", ref);
      default -> sendError(error.name(), error.name().toLowerCase().replace('_', ' '), ref);
    }
  }

  private void sendFailure(Throwable failure, String ref) {
    // Sends come back through CompletionStages, which wrap the ask's timeout.
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      sendError("SERVICE_UNAVAILABLE", "the room did not answer in time; try again", ref);
    } else if (cause instanceof RateLimited limited) {
      sendError("RATE_LIMITED", limited.getMessage(), ref);
    } else {
      getContext().getLog().error("Frame failed", failure);
      sendError("INTERNAL_ERROR", "something went wrong on the server", ref);
    }
  }

  private void close(int code, String reason) {
    if (!closed) {
      closed = true;
      emit(new Outbound.Close(code, reason));
      out.tell(new Outbound.Complete());
    }
  }
}
