package chat.bench;

import chat.bench.LatencyRecorder.Latencies;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Users on one WebSocket each send {@code send} frames at a fixed total rate into rooms whose
 * every member is subscribed, and check what comes back: the ack, and the message at every member
 * exactly once and in seq order. Runs against the node and, unchanged, against
 * {@link BroadcastServer}. Each user's socket is a {@link LeanWebSocket}, so the client takes as
 * little as it can of the cores it shares with the server it measures.
 */
public final class WsFanout {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

  public record Settings(double ratePerSecond, Duration warmup, Duration duration, Duration drainTimeout, int textSize) {}

  /**
   * {@code deliveredUnacked}: messages that reached members although their sender got no ack
   * (an error frame instead, e.g. a timeout while the write still went through).
   */
  public record Result(long sent, long acked, long rejected, long unsent, long deliveredUnacked,
      long expectedDeliveries, long deliveries, long lost, long duplicated, long outOfOrder, double ackedPerSecond, double deliveriesPerSecond,
      Latencies ack, Latencies allMembers, Map<String, Long> errors) {}

  private final Settings settings;
  private final List<Room> rooms;
  private final Function<User, String> urlOf;
  private final String idPrefix;

  private final Map<String, Sent> sentById = new ConcurrentHashMap<>();
  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  private final LatencyRecorder ackLatency = new LatencyRecorder();
  private final LatencyRecorder allMembersLatency = new LatencyRecorder();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private final AtomicLong ackedInWindow = new AtomicLong();
  private final AtomicLong deliveredInWindow = new AtomicLong();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  public WsFanout(Settings settings, List<Room> rooms, Function<User, String> urlOf) {
    this(settings, rooms, urlOf, "m");
  }

  /** {@code idPrefix} starts every clientMsgId: runs on the same users must differ, or sends repeat earlier ones. */
  public WsFanout(Settings settings, List<Room> rooms, Function<User, String> urlOf, String idPrefix) {
    this.settings = settings;
    this.rooms = rooms;
    this.urlOf = urlOf;
    this.idPrefix = idPrefix;
  }

  /** A message this client sent, and what has come back for it so far. */
  private static final class Sent {
    final long sentAt;
    final boolean measured;
    final int roomSize;
    volatile long seq = -1;
    final AtomicInteger delivered = new AtomicInteger();

    Sent(long sentAt, boolean measured, int roomSize) {
      this.sentAt = sentAt;
      this.measured = measured;
      this.roomSize = roomSize;
    }
  }

  /** One member's connection and what it has seen of its room since it subscribed. */
  private final class Member {
    final Room room;
    final User user;
    final CountDownLatch subscribed;
    final BitSet seen = new BitSet();
    long lastSeqAtSubscribe = -1;
    long maxSeq;
    LeanWebSocket connection;

    Member(Room room, User user, CountDownLatch subscribed) {
      this.room = room;
      this.user = user;
      this.subscribed = subscribed;
    }

    synchronized void onFrame(String frame) {
      long now = System.nanoTime();
      String type = Frames.text(frame, "type");
      if (type == null) {
        return;
      }
      switch (type) {
        case "subscribed" -> {
          lastSeqAtSubscribe = Frames.number(frame, "lastSeq");
          maxSeq = lastSeqAtSubscribe;
          subscribed.countDown();
        }
        case "ack" -> onAck(Frames.text(frame, "clientMsgId"), Frames.number(frame, "seq"), now);
        case "message" -> onMessage(Frames.text(frame, "clientMsgId"), Frames.number(frame, "seq"), now);
        case "error" -> {
          errors.merge(String.valueOf(Frames.text(frame, "code")), 1L, Long::sum);
          String ref = Frames.text(frame, "ref");
          if (ref != null && sentById.containsKey(ref)) {
            rejected.incrementAndGet();
          }
        }
        default -> { } // presence, room notices, pongs: not part of this measurement
      }
    }

    private void onMessage(String clientMsgId, long seq, long now) {
      int offset = (int) (seq - lastSeqAtSubscribe);
      if (lastSeqAtSubscribe < 0 || offset <= 0) {
        outOfOrder.incrementAndGet(); // older than the subscription: never expected live
        return;
      }
      if (seen.get(offset)) {
        duplicated.incrementAndGet();
        return;
      }
      if (seq < maxSeq) {
        outOfOrder.incrementAndGet();
      }
      seen.set(offset);
      maxSeq = Math.max(maxSeq, seq);
      deliveries.incrementAndGet();
      if (inWindow(now)) {
        deliveredInWindow.incrementAndGet();
      }
      Sent sent = clientMsgId == null ? null : sentById.get(clientMsgId);
      if (sent != null && sent.delivered.incrementAndGet() == sent.roomSize && sent.measured) {
        allMembersLatency.record(now - sent.sentAt);
      }
    }
  }

  private void onAck(String clientMsgId, long seq, long now) {
    Sent sent = clientMsgId == null ? null : sentById.get(clientMsgId);
    if (sent == null || sent.seq >= 0) {
      return;
    }
    sent.seq = seq;
    acked.incrementAndGet();
    if (inWindow(now)) {
      ackedInWindow.incrementAndGet();
    }
    if (sent.measured) {
      ackLatency.record(now - sent.sentAt);
    }
  }

  private boolean inWindow(long now) {
    return now >= windowStart && now < windowEnd;
  }

  public Result run() throws Exception {
    return run(() -> { });
  }

  /** Runs the load; {@code measuring} is called once, as the measured window begins (it must not block). */
  public Result run(Runnable measuring) throws Exception {
    CountDownLatch subscribed = new CountDownLatch(rooms.stream().mapToInt(r -> r.members().size()).sum());
    List<Member> members = new ArrayList<>();
    for (Room room : rooms) {
      for (User user : room.members()) {
        members.add(new Member(room, user, subscribed));
      }
    }
    try {
      connectAndSubscribe(members, subscribed);
      long sent = 0;
      long unsent = 0;
      long start = System.nanoTime();
      long measureFrom = start + settings.warmup().toNanos();
      long end = measureFrom + settings.duration().toNanos();
      windowStart = measureFrom;
      windowEnd = end;
      String text = "x".repeat(settings.textSize());
      boolean measuringToldOf = false;
      for (long now = start; now < end; now = System.nanoTime()) {
        if (!measuringToldOf && now >= measureFrom) {
          measuring.run();
          measuringToldOf = true;
        }
        long due = (long) ((now - start) * settings.ratePerSecond() / 1e9);
        for (; sent < due; sent++) {
          // Round robin keeps every user at the same share of the rate.
          Member member = members.get((int) (sent % members.size()));
          String id = idPrefix + sent;
          long sentAt = System.nanoTime();
          sentById.put(id, new Sent(sentAt, sentAt >= measureFrom, member.room.members().size()));
          if (!member.connection.send("{\"type\":\"send\",\"roomId\":\"" + member.room.roomId()
              + "\",\"clientMsgId\":\"" + id + "\",\"text\":\"" + text + "\"}")) {
            sentById.remove(id);
            unsent++;
          }
        }
        LockSupport.parkNanos(500_000);
      }
      drain(sent - unsent);
      return result(sent - unsent, unsent);
    } finally {
      members.forEach(m -> {
        if (m.connection != null) {
          m.connection.close();
        }
      });
    }
  }

  /** Opens every member's connection and subscribes it; {@link #run} closes what was opened. */
  private void connectAndSubscribe(List<Member> members, CountDownLatch subscribed)
      throws IOException, InterruptedException {
    for (Member member : members) {
      member.connection = LeanWebSocket.open(urlOf.apply(member.user), member::onFrame);
      member.connection.send("{\"type\":\"subscribe\",\"roomId\":\"" + member.room.roomId() + "\"}");
    }
    if (!subscribed.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException(subscribed.getCount() + " of " + members.size() + " members got no 'subscribed'");
    }
  }

  /** Waits until every sent message is acked or refused and every ack reached every member. */
  private void drain(long sent) throws InterruptedException {
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      long answered = acked.get() + rejected.get();
      long expected = sentById.values().stream().filter(s -> s.seq >= 0).mapToLong(s -> s.roomSize).sum();
      if (answered >= sent && deliveriesOfAcked() >= expected) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private long deliveriesOfAcked() {
    return sentById.values().stream().filter(s -> s.seq >= 0).mapToLong(s -> s.delivered.get()).sum();
  }

  private Result result(long sent, long unsent) {
    long expected = 0;
    long lost = 0;
    long deliveredUnacked = 0;
    for (Sent s : sentById.values()) {
      if (s.seq >= 0) { // acked, so every member must have it
        expected += s.roomSize;
        lost += s.roomSize - s.delivered.get();
      } else if (s.delivered.get() > 0) {
        deliveredUnacked++;
      }
    }
    double seconds = settings.duration().toNanos() / 1e9;
    return new Result(sent, acked.get(), rejected.get(), unsent, deliveredUnacked, expected, deliveries.get(), lost,
        duplicated.get(), outOfOrder.get(), ackedInWindow.get() / seconds, deliveredInWindow.get() / seconds,
        ackLatency.summary(), allMembersLatency.summary(), new TreeMap<>(errors));
  }
}
