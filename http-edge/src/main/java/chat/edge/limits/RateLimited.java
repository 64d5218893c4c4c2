package chat.edge.limits;

import java.time.Duration;

/** A request refused by a rate limit; the client may try again after {@code retryAfter}. */
public final class RateLimited extends RuntimeException {

  private final Duration retryAfter;

  public RateLimited(String message, Duration retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whole seconds, at least one: what a {@code Retry-After} header says. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
