package chat.edge;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for state that is reached asynchronously (entities syncing, a server starting) by asking
 * again until a deadline, then fails with the last answer.
 */
public final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  private Poll() {}

  /** Waits up to ten seconds for {@code condition}. */
  public static void eventually(String what, BooleanSupplier condition) {
    until(what, DEFAULT_DEADLINE, condition::getAsBoolean, Boolean::booleanValue);
  }

  /**
   * Calls {@code probe} until its value satisfies {@code done}; returns that value. A runtime
   * exception from the probe (e.g. connection refused while a server starts or stops) counts as
   * "not yet"; an assertion error ends the wait at once.
   */
  public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
    long end = System.nanoTime() + deadline.toNanos();
    T last = null;
    RuntimeException lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() > end) {
        AssertionError failure = new AssertionError(
            "not " + what + " within " + deadline.toSeconds() + " s; last answer: "
                + (lastError != null ? lastError : last));
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting until " + what, e);
      }
    }
  }
}
