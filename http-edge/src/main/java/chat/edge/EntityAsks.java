package chat.edge;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * How long the edge waits for an entity's answer, and when it asks a second time.
 *
 * <p>Pekko drops the messages that reach a shard's region while the shard is handed off to another
 * node (a rollout, a rebalance), rather than deliver them out of order. A question that may reach
 * the entity twice without harm (a read, or a post, which the room keeps once per clientMsgId) is
 * therefore asked once more if no answer came within {@code askAgainAfter}: the client gets its
 * answer from the shard's new home instead of waiting out the whole timeout and resending.
 */
public record EntityAsks(Duration timeout, Duration askAgainAfter) {

  public EntityAsks {
    if (askAgainAfter.isNegative() || askAgainAfter.compareTo(timeout) >= 0) {
      throw new IllegalArgumentException("ask-again-after must lie between 0 and ask-timeout");
    }
  }

  /** From the {@code chat} section: {@code ask-timeout} and {@code ask-again-after}. */
  public static EntityAsks fromConfig(Config chat) {
    return new EntityAsks(chat.getDuration("ask-timeout"), chat.getDuration("ask-again-after"));
  }

  /** A question that must reach the entity at most once; {@code ask} is given the time to wait. */
  public <R> CompletionStage<R> once(Function<Duration, CompletionStage<R>> ask) {
    return ask.apply(timeout);
  }

  /** A question that may reach the entity twice; answered, or timed out, within {@link #timeout}. */
  public <R> CompletionStage<R> againIfLate(Function<Duration, CompletionStage<R>> ask) {
    return ask.apply(askAgainAfter).exceptionallyCompose(failure ->
        timedOut(failure)
            ? ask.apply(timeout.minus(askAgainAfter))
            : CompletableFuture.failedStage(failure));
  }

  private static boolean timedOut(Throwable failure) {
    return failure instanceof TimeoutException
        || failure instanceof CompletionException && failure.getCause() instanceof TimeoutException;
  }
}
