package chat.edge.users;

import chat.cluster.user.UserEntity;
import chat.cluster.user.UserEntity.Accepted;
import chat.cluster.user.UserEntity.Command;
import chat.cluster.user.UserEntity.Rejected;
import chat.cluster.user.UserEntity.Reply;
import chat.cluster.user.UserError;
import chat.cluster.user.UserView;
import chat.edge.EntityAsks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The edge's only way to the user entities: one ask per call, refusals as {@link UserRejected}.
 * Input is validated before it gets here; passwords and refresh tokens arrive as hashes.
 */
public final class Users {

  private final ClusterSharding sharding;
  private final EntityAsks asks;

  public Users(ClusterSharding sharding, EntityAsks asks) {
    this.sharding = sharding;
    this.asks = asks;
  }

  public CompletionStage<UserView> register(String userId, String passwordHash, String name, String email) {
    return ask(userId, r -> new UserEntity.Register(name, email, passwordHash, r));
  }

  public CompletionStage<UserView> get(String userId) {
    return asks.againIfLate(timeout -> entity(userId).ask(UserEntity.GetUser::new, timeout))
        .thenApply(Users::accepted);
  }

  /** Whether the user's account lists the room among its rooms; asks for at most {@code wait}. */
  public CompletionStage<Boolean> listsRoom(String userId, String roomId, Duration wait) {
    return entity(userId).<Reply>ask(UserEntity.GetUser::new, wait)
        .thenApply(reply -> reply instanceof Accepted accepted && accepted.user().rooms().contains(roomId));
  }

  /** The user's password hash; empty for an id no one registered. */
  public CompletionStage<Optional<String>> passwordHash(String userId) {
    return asks.againIfLate(timeout -> entity(userId).ask(UserEntity.GetCredentials::new, timeout))
        .thenApply(credentials -> Optional.ofNullable(credentials.passwordHash()));
  }

  public CompletionStage<UserView> startSession(String userId, String familyId, String refreshHash, Instant expiry) {
    return ask(userId, r -> new UserEntity.StartSession(familyId, refreshHash, expiry, r));
  }

  /** Spends the presented refresh token's hash for the next one's. */
  public CompletionStage<UserView> rotateSession(String userId, String presentedHash, String nextHash, Instant expiry) {
    return ask(userId, r -> new UserEntity.RotateSession(presentedHash, nextHash, expiry, r));
  }

  public CompletionStage<UserView> endSession(String userId, String presentedHash) {
    return ask(userId, r -> new UserEntity.EndSession(presentedHash, r));
  }

  public CompletionStage<UserView> changeProfile(String userId, String name, String statusMessage) {
    return ask(userId, r -> new UserEntity.ChangeProfile(name, statusMessage, r));
  }

  /** Both users must exist; the entity of {@code userId} then tells the friend's entity. */
  public CompletionStage<UserView> addFriend(String userId, String friendId) {
    if (userId.equals(friendId)) {
      return CompletableFuture.failedFuture(new UserRejected(UserError.CANNOT_ADD_SELF));
    }
    return get(friendId).thenCompose(friend ->
        ask(userId, r -> new UserEntity.AddFriend(friendId, r)).thenApply(self -> friend));
  }

  public CompletionStage<UserView> removeFriend(String userId, String friendId) {
    return ask(userId, r -> new UserEntity.RemoveFriend(friendId, r));
  }

  /** The user's friends, in userId order. */
  public CompletionStage<List<UserView>> friendsOf(String userId) {
    return get(userId).thenCompose(self -> {
      List<CompletableFuture<UserView>> friends =
          self.friends().stream().map(id -> get(id).toCompletableFuture()).toList();
      return CompletableFuture.allOf(friends.toArray(CompletableFuture[]::new))
          .thenApply(done -> friends.stream().map(CompletableFuture::join).toList());
    });
  }

  private EntityRef<Command> entity(String userId) {
    return sharding.entityRefFor(UserEntity.TYPE_KEY, userId);
  }

  private CompletionStage<UserView> ask(String userId, Function<ActorRef<Reply>, Command> command) {
    return asks.once(timeout -> entity(userId).ask(command::apply, timeout)).thenApply(Users::accepted);
  }

  private static UserView accepted(Reply reply) {
    if (reply instanceof Accepted accepted) {
      return accepted.user();
    }
    throw new UserRejected(((Rejected) reply).error());
  }
}
