package chat.bench;

import java.util.Arrays;

/**
 * Every recorded latency, kept exactly: a run records at most a few million values, so sorting
 * them gives true percentiles without the bucket error of a histogram.
 */
public final class LatencyRecorder {

  private long[] nanos = new long[1024];
  private int count;

  public synchronized void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  /** The percentiles; NaN when nothing was recorded, so that an empty series never reads as 0 ms. */
  public synchronized Latencies summary() {
    if (count == 0) {
      return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    return new Latencies(count, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.95)),
        millis(rank(sorted, 0.99)), millis(sorted[count - 1]));
  }

  /** Nearest-rank percentile: the smallest value with at least {@code p} of all values at or below it. */
  static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  /** Percentiles in milliseconds. */
  public record Latencies(long count, double p50, double p95, double p99, double max) {}
}
