package chat.edge.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Liveness: the node is still a member it can recover from. A node that was downed or removed
 * never rejoins by itself and should be restarted; a database outage is not a reason to restart,
 * so it only affects readiness.
 */
public final class NodeLiveness implements Supplier<CompletionStage<Boolean>> {

  private final Cluster cluster;

  public NodeLiveness(ActorSystem system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    MemberStatus status = cluster.selfMember().status();
    boolean gone = cluster.isTerminated() || status == MemberStatus.down() || status == MemberStatus.removed();
    return CompletableFuture.completedFuture(!gone);
  }
}
