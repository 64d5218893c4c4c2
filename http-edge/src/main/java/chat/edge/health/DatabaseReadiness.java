package chat.edge.health;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** Readiness: the database answers. A node that cannot persist should get no traffic. */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {

  private final DatabaseWatch database;

  public DatabaseReadiness(ActorSystem system) {
    this.database = DatabaseWatch.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return database.isReachable();
  }
}
