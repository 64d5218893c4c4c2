package chat.edge.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user, an address): {@code burst} actions at once, refilled at
 * {@code perSecond}. Thread-safe. A bucket that has refilled to the brim is the same as none, so
 * such buckets are dropped whenever too many keys are held: memory stays bounded by the keys
 * active within the last {@code burst / perSecond} seconds.
 */
public final class KeyedBuckets {

  /** Keys held before refilled buckets are swept out. */
  static final int SWEEP_ABOVE = 50_000;

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public KeyedBuckets(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  KeyedBuckets(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a rate above 0 and a burst of at least 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Takes one action for {@code key}: empty when allowed, else how long until one would be. */
  public Optional<Duration> take(String key) {
    return bucket(key).take(nanoTime.getAsLong(), true);
  }

  /** Whether {@code key} could act now, without acting: empty when it could, else how long until it can. */
  public Optional<Duration> check(String key) {
    Bucket bucket = buckets.get(key);
    return bucket == null ? Optional.empty() : bucket.take(nanoTime.getAsLong(), false);
  }

  /** Keys held now. */
  int size() {
    return buckets.size();
  }

  private Bucket bucket(String key) {
    if (buckets.size() > SWEEP_ABOVE) {
      long now = nanoTime.getAsLong();
      buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoTime.getAsLong()));
  }

  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized Optional<Duration> take(long now, boolean take) {
      refill(now);
      if (tokens >= 1) {
        if (take) {
          tokens -= 1;
        }
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano)));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
    }
  }
}
