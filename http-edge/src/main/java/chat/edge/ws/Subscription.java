package chat.edge.ws;

import chat.cluster.room.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One connection's subscription to one room, as plain decisions: it delivers each message of the
 * room exactly once and in seq order. Live messages that arrive ahead of a gap wait while the gap
 * is read from the room's history; duplicates are dropped by seq. Every event returns the frames
 * to send now, in order; {@link #readWanted()} says when history must be read, and from where.
 *
 * @param <F> a rendered message frame
 */
final class Subscription<F> {

  /** Live messages kept while a gap is refilled; later ones are read from history too. */
  static final int MAX_WAITING = 1000;

  private final int generation;
  private final Function<Message, F> render;
  private final TreeMap<Long, F> waiting = new TreeMap<>();
  /** The room answered: until then live messages wait, since the starting point is not known. */
  private boolean started;
  private boolean reading;
  /** The last read found nothing new: read again only once something newer is heard of. */
  private boolean stalled;
  private long delivered;
  /** The newest seq heard of, from live messages, the room's answer or its repeated head. */
  private long head;

  /** {@code render} turns a message read from history into its frame. */
  Subscription(int generation, Function<Message, F> render) {
    this.generation = generation;
    this.render = render;
  }

  /** Tells one subscription of a room from a later one (after unsubscribe and subscribe again). */
  int generation() {
    return generation;
  }

  long delivered() {
    return delivered;
  }

  /**
   * The room answered the subscribe with its newest seq: delivery starts after {@code afterSeq},
   * or with the next new message when it is null.
   */
  List<F> started(long lastSeq, Long afterSeq) {
    started = true;
    delivered = afterSeq == null ? lastSeq : Math.min(afterSeq, lastSeq);
    heard(lastSeq);
    return drain();
  }

  /** A live message of the room. */
  List<F> live(long seq, F frame) {
    if (seq <= delivered) {
      return List.of();
    }
    heard(seq);
    if (started && !reading && seq == delivered + 1 && waiting.isEmpty()) {
      // The common case, kept cheap: the next message, nothing waiting.
      delivered = seq;
      return List.of(frame);
    }
    if (waiting.size() < MAX_WAITING || seq == delivered + 1) {
      waiting.put(seq, frame);
    }
    return drain();
  }

  /** The room's newest seq, repeated: shows a gap that no later live message would. */
  void head(long lastSeq) {
    heard(lastSeq);
  }

  /** Where a history read must start (after this seq), when one is needed and none is under way. */
  OptionalLong readWanted() {
    return started && !reading && !stalled && head > delivered ? OptionalLong.of(delivered) : OptionalLong.empty();
  }

  /** A history read from {@link #readWanted()} is under way. */
  void reading() {
    reading = true;
  }

  /** The history read returned these messages, in seq order. */
  List<F> read(List<Message> page) {
    reading = false;
    List<F> frames = new ArrayList<>();
    for (Message message : page) {
      if (message.seq() == delivered + 1) {
        F live = waiting.remove(message.seq());
        frames.add(live != null ? live : render.apply(message));
        delivered = message.seq();
      }
    }
    // Without progress the history has nothing newer yet: the next head or message retries.
    stalled = frames.isEmpty();
    frames.addAll(drain());
    return frames;
  }

  /** The history read failed: the next head or message retries. */
  void readFailed() {
    reading = false;
    stalled = true;
  }

  private void heard(long seq) {
    if (seq > head) {
      head = seq;
    }
    stalled = false;
  }

  /** What waits in order after the last delivered message, unless a read is under way. */
  private List<F> drain() {
    waiting.headMap(delivered, true).clear();
    List<F> frames = new ArrayList<>();
    if (started && !reading) {
      while (!waiting.isEmpty() && waiting.firstKey() == delivered + 1) {
        frames.add(waiting.pollFirstEntry().getValue());
        delivered++;
      }
    }
    return frames;
  }
}
