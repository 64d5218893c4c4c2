package chat.edge.auth;

import chat.cluster.user.UserError;
import chat.cluster.user.UserValidation;
import chat.cluster.user.UserView;
import chat.edge.users.UserRejected;
import chat.edge.users.Users;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Registration, login, refresh and logout. Passwords are checked off the actor threads; refresh tokens reach
 * the user entity only as hashes, so the journal never holds a usable token.
 */
public final class Sessions {

  private final Users users;
  private final AccessTokens accessTokens;
  private final RefreshTokens refreshTokens;
  private final PasswordHasher hasher;
  private final Executor blocking;
  private final Duration refreshTtl;
  private final Clock clock;

  public Sessions(
      Users users,
      AccessTokens accessTokens,
      RefreshTokens refreshTokens,
      PasswordHasher hasher,
      Executor blocking,
      Duration refreshTtl,
      Clock clock) {
    this.users = users;
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.hasher = hasher;
    this.blocking = blocking;
    this.refreshTtl = refreshTtl;
    this.clock = clock;
  }

  /** Hashes the password off the actor threads, then registers the user. */
  public CompletionStage<UserView> register(String userId, String password, String name, String email) {
    return CompletableFuture.supplyAsync(() -> hasher.hash(password), blocking)
        .thenCompose(hash -> users.register(userId, hash, name, email));
  }

  /** An unknown user and a wrong password fail alike, and take the same time. */
  public CompletionStage<TokenPair> login(String userId, String password) {
    if (UserValidation.userId(userId).isPresent()) {
      // No such user can exist; spend the same work as for a wrong password all the same.
      return CompletableFuture.supplyAsync(() -> hasher.matchesNothing(password), blocking)
          .thenApply(matches -> {
            throw new InvalidCredentials();
          });
    }
    return users.passwordHash(userId)
        .thenApplyAsync(hash -> hash.map(h -> hasher.matches(password, h)).orElseGet(() -> hasher.matchesNothing(password)),
            blocking)
        .thenCompose(matches -> {
          if (!matches) {
            throw new InvalidCredentials();
          }
          RefreshTokens.Issued refresh = refreshTokens.newToken(userId);
          return users.startSession(userId, UUID.randomUUID().toString(), refresh.hash(), expiry())
              .thenApply(user -> pair(userId, refresh));
        });
  }

  /** Spends the refresh token for a new pair; a spent token revokes every session of its user. */
  public CompletionStage<TokenPair> refresh(String refreshToken) {
    String userId = ownerOf(refreshToken);
    RefreshTokens.Issued next = refreshTokens.newToken(userId);
    return users.rotateSession(userId, RefreshTokens.hash(refreshToken), next.hash(), expiry())
        .thenApply(user -> pair(userId, next));
  }

  /** Revokes the refresh token's family; the token must belong to the caller. */
  public CompletionStage<Void> logout(String callerId, String refreshToken) {
    String userId = ownerOf(refreshToken);
    if (!userId.equals(callerId)) {
      return CompletableFuture.failedFuture(new UserRejected(UserError.INVALID_TOKEN));
    }
    return users.endSession(userId, RefreshTokens.hash(refreshToken)).thenAccept(user -> {});
  }

  private static String ownerOf(String refreshToken) {
    Optional<String> userId =
        RefreshTokens.userIdOf(refreshToken).filter(id -> UserValidation.userId(id).isEmpty());
    return userId.orElseThrow(() -> new UserRejected(UserError.INVALID_TOKEN));
  }

  private TokenPair pair(String userId, RefreshTokens.Issued refresh) {
    return new TokenPair(accessTokens.issue(userId), refresh.token(), accessTokens.ttlSeconds());
  }

  private Instant expiry() {
    return clock.instant().plus(refreshTtl);
  }

  /** Wrong user id or password. */
  public static final class InvalidCredentials extends RuntimeException {
    InvalidCredentials() {
      super("invalid credentials", null, false, false);
    }
  }
}
