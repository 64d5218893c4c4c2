package chat.edge.users;

import chat.cluster.user.UserEntity;
import chat.cluster.user.UserEntity.Accepted;
import chat.cluster.user.UserEntity.Command;
import chat.cluster.user.UserEntity.Rejected;
import chat.cluster.user.UserEntity.Reply;
import chat.cluster.user.UserError;
import chat.cluster.user.UserView;
import chat.edge.auth.PasswordHasher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The edge's way to the user entities: one ask per call, refusals as {@link UserRejected}. Input
 * is validated before it gets here.
 */
public final class Users {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final PasswordHasher hasher;
  private final Executor blocking;

  public Users(ClusterSharding sharding, Duration askTimeout, PasswordHasher hasher, Executor blocking) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.hasher = hasher;
    this.blocking = blocking;
  }

  /** Hashes the password off the actor threads, then registers. */
  public CompletionStage<UserView> register(String userId, String password, String name, String email) {
    return CompletableFuture.supplyAsync(() -> hasher.hash(password), blocking)
        .thenCompose(hash -> ask(userId, r -> new UserEntity.Register(name, email, hash, r)));
  }

  public CompletionStage<UserView> get(String userId) {
    return ask(userId, UserEntity.GetUser::new);
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

  private CompletionStage<Reply> askReply(String userId, Function<ActorRef<Reply>, Command> command) {
    return entity(userId).ask(command::apply, askTimeout);
  }

  public EntityRef<Command> entity(String userId) {
    return sharding.entityRefFor(UserEntity.TYPE_KEY, userId);
  }

  public Duration askTimeout() {
    return askTimeout;
  }

  private CompletionStage<UserView> ask(String userId, Function<ActorRef<Reply>, Command> command) {
    return askReply(userId, command).thenApply(Users::accepted);
  }

  public static UserView accepted(Reply reply) {
    if (reply instanceof Accepted accepted) {
      return accepted.user();
    }
    throw new UserRejected(((Rejected) reply).error());
  }
}
