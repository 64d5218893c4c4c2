package chat.edge.health;

import chat.cluster.db.DatabaseProbe;
import chat.cluster.db.DatabaseSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/** Readiness: the database answers. A node that cannot persist should get no traffic. */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {

  private final DatabaseProbe probe;
  private final Executor blocking;

  public DatabaseReadiness(ActorSystem system) {
    this.probe = DatabaseProbe.create(DatabaseSettings.fromConfig(system.settings().config()));
    this.blocking = system.dispatchers().lookup("chat.blocking-dispatcher");
    system.registerOnTermination(probe::close);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.supplyAsync(probe::isReachable, blocking);
  }
}
