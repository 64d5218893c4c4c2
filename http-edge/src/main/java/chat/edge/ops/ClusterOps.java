package chat.edge.ops;

import chat.edge.metrics.EdgeMetrics;
import chat.projections.status.ProjectionStatusRegistry;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The operators' view of the cluster on one node: the monitor that gathers it, this node's own
 * stats actor, the members' actions and the cluster's metric families. Settings: {@code chat.ops}.
 */
public final class ClusterOps {

  private final ActorSystem<?> system;
  private final Config settings;
  private final EdgeMetrics edge;
  private final List<EntityTypeKey<?>> types;
  private final ClusterMembers members;
  private final ClusterMetrics metrics;
  private final ActorRef<ClusterMonitor.Command> monitor;

  private ClusterOps(ActorSystem<?> system, Config settings, EdgeMetrics edge, List<EntityTypeKey<?>> types) {
    this.system = system;
    this.settings = settings;
    this.edge = edge;
    this.types = List.copyOf(types);
    this.members = new ClusterMembers(Cluster.get(system));
    this.metrics = new ClusterMetrics(members::current);
    ClusterMonitor.Timing timing = new ClusterMonitor.Timing(
        settings.getDuration("snapshot-interval"), settings.getDuration("stats-timeout"));
    this.monitor = system.systemActorOf(
        ClusterMonitor.create(members, metrics, timing, Clock.systemUTC()), "cluster-monitor", Props.empty());
  }

  /**
   * Starts the monitor; the node's stats follow with {@link #serveStats}, once its HTTP address is
   * known. {@code types}: the sharded entity types whose shards the view counts.
   */
  public static ClusterOps start(ActorSystem<?> system, Config config, EdgeMetrics edge, List<EntityTypeKey<?>> types) {
    return new ClusterOps(system, config.getConfig("chat.ops"), edge, types);
  }

  /** Starts this node's stats actor, which answers the gatherings of every node. */
  public void serveStats(String httpUrl) {
    NodeStatsActor.Sources sources = new NodeStatsActor.Sources(edge, ProjectionStatusRegistry.get(system),
        ClusterSharding.get(system), types, metrics, httpUrl);
    system.systemActorOf(NodeStatsActor.create(sources, settings.getDuration("sample-interval"),
        settings.getDuration("rate-window"), Clock.systemUTC()), "node-stats", Props.empty());
  }

  public ActorRef<ClusterMonitor.Command> monitor() {
    return monitor;
  }

  public ClusterMembers members() {
    return members;
  }

  public ClusterMetrics metrics() {
    return metrics;
  }

  /** How long a stream may stay silent before a keep-alive comment goes out. */
  public Duration streamKeepAlive() {
    return settings.getDuration("stream-keep-alive");
  }

  /** How long a request for one snapshot waits (a gathering waits at most its stats timeout). */
  public Duration snapshotTimeout() {
    return settings.getDuration("stats-timeout").multipliedBy(3);
  }
}
