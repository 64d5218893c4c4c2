package chat.edge.it;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by asking again until a generous deadline, then fails with the last answer. */
final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(200);

  private Poll() {}

  /** Calls {@code probe} until its value satisfies {@code done}; returns that value. */
  static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
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
      } catch (RuntimeException e) { // e.g. connection refused while a server starts or stops
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
