package chat.edge.limits;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final AtomicLong now = new AtomicLong();
  // As the defaults: 12 failures a minute per address after 10, 20 a minute per account after 20.
  private final LoginThrottle throttle = new LoginThrottle(
      new KeyedBuckets(12.0 / 60, 10, now::get),
      new KeyedBuckets(20.0 / 60, 20, now::get),
      new KeyedBuckets(6.0 / 60, 10, now::get));

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  /** One guess, as the routes make it: checked first, counted when wrong. */
  private boolean guess(String address, String account) {
    try {
      throttle.beforeLogin(address, account);
    } catch (RateLimited limited) {
      return false;
    }
    throttle.loginFailed(address, account);
    return true;
  }

  @Test
  void aGuesserOnOneAddressIsSlowedAndNeverLocksTheOwnerOut() {
    int tried = 0;
    for (int second = 0; second < 600; second++) {
      for (int i = 0; i < 20; i++) {
        if (guess("10.0.0.66", "alice")) {
          tried++;
        }
      }
      assertDoesNotThrow(() -> throttle.beforeLogin("10.0.0.1", "alice"), "the owner, at second " + second);
      advance(Duration.ofSeconds(1));
    }
    // Ten at once, then 12 a minute: about 130 in ten minutes instead of 12,000.
    assertTrue(tried >= 120 && tried <= 131, "guesses let through: " + tried);
  }

  @Test
  void guessesFromManyAddressesDelayTheAccountOnlyWhileTheyLast() {
    for (int i = 0; i < 20; i++) {
      assertTrue(guess("10.0.1." + i, "alice"));
    }
    RateLimited limited = assertThrows(RateLimited.class, () -> throttle.beforeLogin("10.0.0.1", "alice"));
    assertTrue(limited.retryAfter().compareTo(Duration.ofSeconds(3)) <= 0, "a few seconds: " + limited.retryAfter());
    advance(limited.retryAfter());
    assertDoesNotThrow(() -> throttle.beforeLogin("10.0.0.1", "alice"));
    assertDoesNotThrow(() -> throttle.beforeLogin("10.0.0.1", "bob"), "other accounts are not concerned");
  }

  @Test
  void registrationsAreCountedPerAddress() {
    for (int i = 0; i < 10; i++) {
      throttle.beforeRegistration("10.0.0.7");
    }
    assertThrows(RateLimited.class, () -> throttle.beforeRegistration("10.0.0.7"));
    assertDoesNotThrow(() -> throttle.beforeRegistration("10.0.0.8"));
    advance(Duration.ofSeconds(10));
    assertDoesNotThrow(() -> throttle.beforeRegistration("10.0.0.7"));
  }
}
