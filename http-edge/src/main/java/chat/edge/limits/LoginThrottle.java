package chat.edge.limits;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows password guessing without letting a guesser lock the real user out. Only failed logins
 * count. One address gets a few failures, then one every few seconds; one account gets more,
 * spread over every address, and refills faster than one address may fail. So a guesser on one
 * address can never empty the account's budget, and a user who mistypes is never refused; a
 * guesser on many addresses delays the user's login by seconds, only while guessing.
 * Registrations count per address.
 */
public final class LoginThrottle {

  private final KeyedBuckets failuresPerAddress;
  private final KeyedBuckets failuresPerAccount;
  private final KeyedBuckets registrationsPerAddress;

  public LoginThrottle(KeyedBuckets failuresPerAddress, KeyedBuckets failuresPerAccount,
      KeyedBuckets registrationsPerAddress) {
    this.failuresPerAddress = failuresPerAddress;
    this.failuresPerAccount = failuresPerAccount;
    this.registrationsPerAddress = registrationsPerAddress;
  }

  /** From {@code chat.limits}. */
  public static LoginThrottle fromConfig(Config limits) {
    return new LoginThrottle(
        buckets(limits.getConfig("login-failures-per-address")),
        buckets(limits.getConfig("login-failures-per-account")),
        buckets(limits.getConfig("registrations-per-address")));
  }

  static KeyedBuckets buckets(Config limit) {
    return new KeyedBuckets(limit.getDouble("per-minute") / 60, limit.getInt("burst"));
  }

  /** Before a login is checked at all: throws {@link RateLimited} when it may not be tried now. */
  public void beforeLogin(String address, String userId) {
    Optional<Duration> wait = longest(failuresPerAddress.check(address), failuresPerAccount.check(userId));
    if (wait.isPresent()) {
      throw new RateLimited("too many failed logins; try again later", wait.get());
    }
  }

  public void loginFailed(String address, String userId) {
    failuresPerAddress.take(address);
    failuresPerAccount.take(userId);
  }

  public void beforeRegistration(String address) {
    registrationsPerAddress.take(address).ifPresent(wait -> {
      throw new RateLimited("too many registrations from this address; try again later", wait);
    });
  }

  private static Optional<Duration> longest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.filter(other -> other.compareTo(a.get()) > 0).or(() -> a);
  }
}
