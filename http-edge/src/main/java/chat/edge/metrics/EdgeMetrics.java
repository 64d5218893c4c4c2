package chat.edge.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The chat counters of one node, updated by the WebSocket sessions, the connection hub and the
 * room sends, read by {@code GET /metrics}. Thread-safe and lock-free.
 */
public final class EdgeMetrics {

  /** Upper bounds, in seconds, of the send-acknowledgement histogram's buckets. */
  static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final AtomicInteger connections = new AtomicInteger();
  private final LongAdder sent = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder listedFromTables = new LongAdder();
  private final LongAdder listedFromEntities = new LongAdder();
  private final AtomicLongArray latencyBuckets = new AtomicLongArray(LATENCY_BUCKETS.length);
  private final LongAdder latencyCount = new LongAdder();
  private final DoubleAdder latencySum = new DoubleAdder();

  /** The node's open WebSocket connections, as the connection hub counts them. */
  public void connections(int open) {
    connections.set(open);
  }

  /**
   * A message this node's edge had persisted for its sender (REST or WebSocket; retries that
   * found the original are not counted), {@code nanos} from sending the command to the Posted reply.
   */
  public void sent(long nanos) {
    sent.increment();
    double seconds = nanos / 1e9;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        latencyBuckets.incrementAndGet(i);
        break;
      }
    }
    latencyCount.increment();
    latencySum.add(seconds);
  }

  /** A message frame written to one WebSocket connection. */
  public void delivered() {
    delivered.increment();
  }

  /** Rooms of a room list answered by the read tables and by the room entities. */
  public void roomsListed(int fromTables, int fromEntities) {
    listedFromTables.add(fromTables);
    listedFromEntities.add(fromEntities);
  }

  public int openConnections() {
    return connections.get();
  }

  public long sentTotal() {
    return sent.sum();
  }

  public long deliveredTotal() {
    return delivered.sum();
  }

  /** Upper bounds, in seconds, of {@link #persistLatencyCounts}' buckets (a last, unbounded one follows). */
  public static double[] persistLatencyBounds() {
    return LATENCY_BUCKETS.clone();
  }

  /**
   * Sends so far per latency bucket (not cumulative), one more than there are bounds: the last
   * holds the sends slower than every bound.
   */
  public long[] persistLatencyCounts() {
    long count = latencyCount.sum();
    long[] counts = new long[LATENCY_BUCKETS.length + 1];
    long bounded = 0;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      counts[i] = latencyBuckets.get(i);
      bounded += counts[i];
    }
    counts[LATENCY_BUCKETS.length] = Math.max(0, count - bounded);
    return counts;
  }

  void render(PrometheusText out) {
    out.family("chat_websocket_connections", "gauge", "Open WebSocket connections on this node.")
        .sample("chat_websocket_connections", connections.get());
    out.family("chat_messages_sent_total", "counter",
            "Messages persisted for senders on this node (REST and WebSocket; idempotent retries not counted).")
        .sample("chat_messages_sent_total", sent.sum());
    out.family("chat_messages_delivered_total", "counter", "Message frames written to WebSocket connections on this node.")
        .sample("chat_messages_delivered_total", delivered.sum());
    out.family("chat_room_list_rooms_total", "counter",
            "Rooms in room lists, by what answered them: the read tables, or the room entity while the tables trail it.")
        .sample("chat_room_list_rooms_total", PrometheusText.labels("source", "tables"), listedFromTables.sum())
        .sample("chat_room_list_rooms_total", PrometheusText.labels("source", "entities"), listedFromEntities.sum());
    out.family("chat_persist_latency_seconds", "histogram",
        "Time from a send command to the room's Posted reply, measured at this node's edge.");
    // Read the count first: a send landing meanwhile can only make buckets larger than it, never +Inf smaller.
    long count = latencyCount.sum();
    double sum = latencySum.sum();
    long cumulative = 0;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      cumulative += latencyBuckets.get(i);
      out.sample("chat_persist_latency_seconds_bucket",
          PrometheusText.labels("le", PrometheusText.number(LATENCY_BUCKETS[i])), Math.min(cumulative, count));
    }
    out.sample("chat_persist_latency_seconds_bucket", PrometheusText.labels("le", "+Inf"), count);
    out.sample("chat_persist_latency_seconds_sum", sum);
    out.sample("chat_persist_latency_seconds_count", count);
  }
}
