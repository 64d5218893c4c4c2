package chat.bench.faults;

import chat.bench.Frames;
import chat.bench.LeanWebSocket;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import java.io.IOException;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One user in one room on one WebSocket, behaving as the contract asks a client to: on a close,
 * an error or a silent connection it reconnects to the next node with backoff, resubscribes with
 * {@code afterSeq} = the last seq it shows without a gap, and resends every unacknowledged message
 * with its original clientMsgId; a send refused as unavailable is retried the same way. It shows
 * messages by seq, and counts what a user would notice: a seq missing, shown twice, or out of order.
 */
final class ReconnectingClient {

  /** Errors after which the same send may succeed later; any other refusal is final. */
  private static final Set<String> RETRYABLE = Set.of("SERVICE_UNAVAILABLE", "INTERNAL_ERROR", "RATE_LIMITED");
  private static final long PING_AFTER_NANOS = 2_000_000_000L;
  /** Nothing heard for this long, pings included: the node is gone or frozen. */
  private static final long SILENT_NANOS = 6_000_000_000L;
  /** A send with no answer for this long is sent again (its frame may have died with a connection). */
  private static final long UNANSWERED_NANOS = 10_000_000_000L;
  private static final long MAX_BACKOFF_MILLIS = 3_000;
  /** A refused send waits 0.5 s, then twice as long after each refusal, up to this (with jitter). */
  private static final long MAX_RETRY_NANOS = 8_000_000_000L;
  /**
   * Messages a user may have pending (unacknowledged) at once; past that the client takes no new
   * ones, as a chat app shows them pending and a person stops typing. Without a bound, every
   * client of a stalled room would queue and retry hundreds of messages.
   */
  static final int MAX_PENDING = 20;

  final Room room;
  final User user;
  private final List<String> wsBaseUrls;
  private final Ledger ledger;
  private final ExecutorService connector;
  private final String text;

  private LeanWebSocket connection;
  private int generation;
  private int node;
  private int failedConnects;
  private boolean stopped;
  private long lastHeard = System.nanoTime();
  private final long startedAt = System.nanoTime();

  /** clientMsgId → when it was last written, for every message without its final answer. */
  private final Map<String, Long> outbox = new LinkedHashMap<>();
  private final Map<String, Long> retryAt = new LinkedHashMap<>();
  private final Map<String, Integer> refusedTimes = new LinkedHashMap<>();
  /** When a refused subscribe is tried again; 0 while subscribed or waiting for the answer. */
  private long resubscribeAt;

  /** The seqs this client shows (at most once each), and the last seq of the current subscription. */
  private final BitSet shown = new BitSet();
  private long subscriptionLast = -1;

  final Counts counts = new Counts();

  /** What this client saw; read after the run. */
  static final class Counts {
    long deliveries;
    long redelivered;
    long outOfOrder;
    long reconnects;
    long subscriptions;
    long lastDeliveryNanos;
    /** The longest time between two deliveries that ended after the fault began. */
    long longestPauseNanos;
    /** When that pause ended, by the wall clock (to line it up with the nodes' logs). */
    LocalTime longestPauseEnded;
  }

  private volatile long faultAt = Long.MAX_VALUE;

  ReconnectingClient(Room room, User user, List<String> wsBaseUrls, int firstNode, Ledger ledger,
      ExecutorService connector, int textSize) {
    this.room = room;
    this.user = user;
    this.wsBaseUrls = wsBaseUrls;
    this.node = firstNode;
    this.ledger = ledger;
    this.connector = connector;
    this.text = "x".repeat(textSize);
  }

  void faultBegins(long at) {
    faultAt = at;
  }

  /** Connects on the caller's thread; false if that first attempt failed (reconnects then follow). */
  boolean start() {
    return connect();
  }

  /** Queues a new message and writes it if connected; false if too many are pending already. */
  synchronized boolean send(String clientMsgId) {
    if (outbox.size() >= MAX_PENDING) {
      return false;
    }
    ledger.sending(clientMsgId, room.roomId());
    outbox.put(clientMsgId, System.nanoTime());
    write(clientMsgId);
    return true;
  }

  private void write(String clientMsgId) {
    if (connection != null) {
      connection.send("{\"type\":\"send\",\"roomId\":\"" + room.roomId() + "\",\"clientMsgId\":\"" + clientMsgId
          + "\",\"text\":\"" + text + "\"}");
    }
  }

  /** Called about every 200 ms: pings, gives up on silent connections, retries sends that are due. */
  synchronized void tick(long now) {
    if (stopped || connection == null) {
      return;
    }
    if (now - lastHeard > SILENT_NANOS) {
      connection.close(); // its reader ends and reports the close
      return;
    }
    if (now - lastHeard > PING_AFTER_NANOS) {
      connection.send("{\"type\":\"ping\"}");
    }
    if (resubscribeAt > 0 && now >= resubscribeAt) {
      resubscribeAt = 0;
      subscribe();
    }
    for (Map.Entry<String, Long> e : outbox.entrySet()) {
      Long due = retryAt.get(e.getKey());
      if ((due != null && now >= due) || (due == null && now - e.getValue() > UNANSWERED_NANOS)) {
        retryAt.remove(e.getKey());
        e.setValue(now);
        ledger.retried.incrementAndGet();
        write(e.getKey());
      }
    }
  }

  synchronized int unanswered() {
    return outbox.size();
  }

  /** Whether this client shows every seq from 1 to {@code lastSeq}. */
  synchronized boolean shows(long seq) {
    return shown.get((int) seq);
  }

  synchronized void stop() {
    stopped = true;
    if (connection != null) {
      connection.close();
    }
  }

  private boolean connect() {
    int gen;
    String url;
    synchronized (this) {
      if (stopped) {
        return false;
      }
      gen = ++generation;
      url = wsBaseUrls.get(node) + user.accessToken();
    }
    try {
      LeanWebSocket ws = LeanWebSocket.open(url, frame -> onFrame(gen, frame), () -> onClosed(gen));
      synchronized (this) {
        if (stopped || gen != generation) {
          ws.close();
          return false;
        }
        connection = ws;
        failedConnects = 0;
        lastHeard = System.nanoTime();
        resubscribeAt = 0;
        subscribe();
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : outbox.entrySet()) { // empty on the first connection
          e.setValue(now);
          retryAt.remove(e.getKey());
          ledger.retried.incrementAndGet();
          write(e.getKey());
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        failedConnects++;
      }
      reconnectLater();
      return false;
    }
  }

  /** Subscribes from the last seq shown without a gap, so the server replays everything after it. */
  private void subscribe() {
    long afterSeq = shown.nextClearBit(1) - 1;
    subscriptionLast = afterSeq;
    counts.subscriptions++;
    connection.send("{\"type\":\"subscribe\",\"roomId\":\"" + room.roomId() + "\",\"afterSeq\":" + afterSeq + "}");
  }

  private void onClosed(int gen) {
    synchronized (this) {
      if (gen != generation || stopped) {
        return;
      }
      connection = null;
      counts.reconnects++;
    }
    reconnectLater();
  }

  /** The next node, after a backoff that doubles with each failed attempt (with jitter). */
  private void reconnectLater() {
    long delay;
    synchronized (this) {
      if (stopped) {
        return;
      }
      node = (node + 1) % wsBaseUrls.size();
      long backoff = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(failedConnects, 5));
      delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }
    connector.execute(() -> {
      try {
        Thread.sleep(delay);
        connect();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private synchronized void onFrame(int gen, String frame) {
    if (gen != generation) {
      return;
    }
    long now = System.nanoTime();
    lastHeard = now;
    String type = Frames.text(frame, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "message" -> onMessage(Frames.number(frame, "seq"), Frames.text(frame, "clientMsgId"), now);
      case "ack" -> {
        String id = Frames.text(frame, "clientMsgId");
        if (id != null && outbox.remove(id) != null) {
          retryAt.remove(id);
          refusedTimes.remove(id);
        }
        ledger.ack(id, Frames.number(frame, "seq"));
      }
      case "error" -> onError(Frames.text(frame, "code"), Frames.text(frame, "message"), Frames.text(frame, "ref"), now);
      default -> { } // subscribed, pong, presence, room notices
    }
  }

  private void onMessage(long seq, String clientMsgId, long now) {
    if (seq <= 0) {
      return;
    }
    ledger.shown(room.roomId(), seq, clientMsgId);
    if (seq != subscriptionLast + 1 && !(seq <= subscriptionLast && shown.get((int) seq))) {
      counts.outOfOrder++; // a gap or a step back within one subscription
    }
    subscriptionLast = Math.max(subscriptionLast, seq);
    if (shown.get((int) seq)) {
      counts.redelivered++; // e.g. replayed after a reconnect: shown once, by seq
      return;
    }
    shown.set((int) seq);
    counts.deliveries++;
    long pause = now - Math.max(lastNews(), faultAt);
    if (now >= faultAt && pause > counts.longestPauseNanos) {
      counts.longestPauseNanos = pause;
      counts.longestPauseEnded = LocalTime.now();
    }
    counts.lastDeliveryNanos = now;
  }

  /** When this client last showed a new message, or was created if it never did. */
  synchronized long lastNews() {
    return counts.deliveries == 0 ? startedAt : counts.lastDeliveryNanos;
  }

  private void onError(String code, String message, String ref, long now) {
    if (room.roomId().equals(ref)) {
      // The subscribe was refused (the room did not answer in time): without a retry, no more messages.
      ledger.refused(code + " on subscribe: " + message);
      resubscribeAt = now + ThreadLocalRandom.current().nextLong(250_000_000L, 1_000_000_000L);
      return;
    }
    if (ref == null || !outbox.containsKey(ref)) {
      ledger.refused(code + " on another frame: " + message);
      return;
    }
    ledger.refused(code + ": " + message);
    if (RETRYABLE.contains(code)) {
      int times = refusedTimes.merge(ref, 1, Integer::sum);
      long backoff = Math.min(MAX_RETRY_NANOS, 500_000_000L << Math.min(times - 1, 5));
      retryAt.put(ref, now + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
    } else {
      outbox.remove(ref);
      refusedTimes.remove(ref);
    }
  }
}
