package chat.edge.ws;

/** A token bucket: {@code burst} actions at once, refilled at {@code perSecond}. One connection's, not thread-safe. */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  boolean tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
