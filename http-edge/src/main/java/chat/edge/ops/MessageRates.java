package chat.edge.ops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.ToLongFunction;

/**
 * Messages in and out per second, and the persist p99, over a sliding window of samples of the
 * node's counters (taken about once a second). Not thread-safe: one actor owns it.
 */
public final class MessageRates {

  /** The node's counters at one moment; {@code latencyCounts} as {@code EdgeMetrics.persistLatencyCounts}. */
  public record Sample(long nanos, long in, long out, long[] latencyCounts) {}

  private final long windowNanos;
  private final double[] boundsSeconds;
  private final Deque<Sample> samples = new ArrayDeque<>();

  public MessageRates(Duration window, double[] boundsSeconds) {
    this.windowNanos = window.toNanos();
    this.boundsSeconds = boundsSeconds.clone();
  }

  /** Adds a sample and forgets those older than the window (keeping one at or before its start). */
  public void add(Sample sample) {
    samples.addLast(sample);
    while (samples.size() > 2 && sample.nanos() - secondOldest().nanos() >= windowNanos) {
      samples.removeFirst();
    }
  }

  private Sample secondOldest() {
    Iterator<Sample> oldestFirst = samples.iterator();
    oldestFirst.next();
    return oldestFirst.next();
  }

  public double inPerSecond() {
    return rate(Sample::in);
  }

  public double outPerSecond() {
    return rate(Sample::out);
  }

  /** The upper bound, in milliseconds, of the bucket holding the 99th percentile; null without sends. */
  public Double persistP99Millis() {
    if (samples.size() < 2) {
      return null;
    }
    long[] first = samples.getFirst().latencyCounts();
    long[] last = samples.getLast().latencyCounts();
    long total = 0;
    long[] delta = new long[last.length];
    for (int i = 0; i < last.length; i++) {
      delta[i] = last[i] - first[i];
      total += delta[i];
    }
    if (total <= 0) {
      return null;
    }
    long wanted = (long) Math.ceil(total * 0.99);
    long seen = 0;
    for (int i = 0; i < boundsSeconds.length; i++) {
      seen += delta[i];
      if (seen >= wanted) {
        return boundsSeconds[i] * 1000;
      }
    }
    // Slower than every bound: the largest bound is all that can be said.
    return boundsSeconds[boundsSeconds.length - 1] * 1000;
  }

  private double rate(ToLongFunction<Sample> counter) {
    if (samples.size() < 2) {
      return 0;
    }
    Sample first = samples.getFirst();
    Sample last = samples.getLast();
    double seconds = (last.nanos() - first.nanos()) / 1e9;
    return seconds <= 0 ? 0 : (counter.applyAsLong(last) - counter.applyAsLong(first)) / seconds;
  }
}
