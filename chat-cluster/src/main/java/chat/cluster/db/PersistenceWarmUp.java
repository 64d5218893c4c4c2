package chat.cluster.db;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Recovers one entity that has no events before the node joins the cluster, so that the journal
 * and snapshot store have started, opened their connections and prepared their queries before
 * any shard is placed here. Without it the first recoveries on a freshly started node took over
 * the snapshot store's call timeout on a busy machine: its first users and rooms failed to
 * recover, and requests for them got 503 for seconds.
 */
public final class PersistenceWarmUp
    extends EventSourcedBehavior<PersistenceWarmUp.Stop, PersistenceWarmUp.Stop, PersistenceWarmUp.Stop> {

  /** The only command (and, never persisted, the event and state types). */
  public enum Stop {
    INSTANCE
  }

  private final CompletableFuture<Done> recovered;

  private PersistenceWarmUp(PersistenceId id, CompletableFuture<Done> recovered) {
    super(id);
    this.recovered = recovered;
  }

  /** Blocks until a recovery succeeded, retrying failed ones, or {@code deadline} passed (then it gives up quietly). */
  public static boolean run(ActorSystem<?> system, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    for (int attempt = 1; System.nanoTime() < end; attempt++) {
      CompletableFuture<Done> recovered = new CompletableFuture<>();
      PersistenceId id = PersistenceId.ofUniqueId("warm-up|" + UUID.randomUUID());
      ActorRef<Stop> entity = system.systemActorOf(
          Behaviors.setup(context -> new PersistenceWarmUp(id, recovered)), "persistence-warm-up-" + attempt,
          Props.empty());
      try {
        recovered.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        return true;
      } catch (ExecutionException | TimeoutException failed) {
        // try again while there is time; the entity has stopped (failed) or is stopped below
      } finally {
        entity.tell(Stop.INSTANCE);
      }
    }
    return false;
  }

  @Override
  public Stop emptyState() {
    return Stop.INSTANCE;
  }

  @Override
  public CommandHandler<Stop, Stop, Stop> commandHandler() {
    return newCommandHandlerBuilder().forAnyState().onAnyCommand(command -> Effect().stop());
  }

  @Override
  public EventHandler<Stop, Stop> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(event -> Stop.INSTANCE);
  }

  @Override
  public SignalHandler<Stop> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> recovered.complete(Done.getInstance()))
        .onSignal(RecoveryFailed.class, (state, failed) -> recovered.completeExceptionally(failed.getFailure()))
        .build();
  }
}
