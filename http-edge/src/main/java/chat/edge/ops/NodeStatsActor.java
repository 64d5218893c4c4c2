package chat.edge.ops;

import chat.cluster.CborSerializable;
import chat.edge.metrics.EdgeMetrics;
import chat.projections.status.ProjectionStatusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One per node, registered with the Receptionist under {@link #KEY}: keeps the node's figures
 * current (a sample of its counters and of Cluster Sharding's region state every second) and
 * answers {@link GetStats} at once with the latest, so a gathering never waits on this node's
 * own queries.
 */
public final class NodeStatsActor {

  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "chat-node-stats");

  private static final Duration REGION_TIMEOUT = Duration.ofSeconds(3);

  public sealed interface Command {}

  /** Sent across the cluster by the node that gathers the view. */
  public record GetStats(ActorRef<NodeStats> replyTo) implements Command, CborSerializable {}

  private enum Tick implements Command { INSTANCE }

  /** {@code state} is null when the region did not answer. */
  private record RegionState(String type, CurrentShardRegionState state) implements Command {}

  private record WentUp(long atMillis) implements Command {}

  /** What the actor reads: the node's counters, projections and sharding, and where it serves HTTP. */
  public record Sources(EdgeMetrics edge, ProjectionStatusRegistry projections, ClusterSharding sharding,
      List<EntityTypeKey<?>> types, ClusterMetrics clusterMetrics, String httpUrl) {}

  public static Behavior<Command> create(Sources sources, Duration sampleInterval, Duration window, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
          context.messageAdapter(SelfUp.class, up -> new WentUp(clock.millis())), SelfUp.class));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, sampleInterval);
      return new NodeStatsActor(context, sources,
          new MessageRates(window, EdgeMetrics.persistLatencyBounds())).behavior();
    }));
  }

  private final ActorContext<Command> context;
  private final Sources sources;
  private final MessageRates rates;
  private final Map<String, ShardCount> shards = new LinkedHashMap<>();
  private String upSince;

  private NodeStatsActor(ActorContext<Command> context, Sources sources, MessageRates rates) {
    this.context = context;
    this.sources = sources;
    this.rates = rates;
    sources.types().forEach(key -> shards.put(typeName(key), new ShardCount(typeName(key), 0, 0)));
    sample();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(GetStats.class, get -> {
          get.replyTo().tell(stats());
          return Behaviors.same();
        })
        .onMessageEquals(Tick.INSTANCE, () -> {
          sample();
          return Behaviors.same();
        })
        .onMessage(RegionState.class, region -> {
          if (region.state() == null) {
            return Behaviors.same();
          }
          int entities = region.state().getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
          shards.put(region.type(), new ShardCount(region.type(), region.state().getShards().size(), entities));
          sources.clusterMetrics().shards(List.copyOf(shards.values()));
          return Behaviors.same();
        })
        .onMessage(WentUp.class, up -> {
          upSince = Timestamps.ofMillis(up.atMillis());
          return Behaviors.same();
        })
        .build();
  }

  private void sample() {
    EdgeMetrics edge = sources.edge();
    rates.add(new MessageRates.Sample(System.nanoTime(), edge.sentTotal(), edge.deliveredTotal(),
        edge.persistLatencyCounts()));
    // One ask per type: replies of both types are the same class, so one adapter could not tell them apart.
    for (EntityTypeKey<?> key : sources.types()) {
      context.ask(CurrentShardRegionState.class, sources.sharding().shardState(), REGION_TIMEOUT,
          replyTo -> new GetShardRegionState(key, replyTo),
          (state, failure) -> new RegionState(typeName(key), state));
    }
  }

  private NodeStats stats() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Figures figures = new Figures(sources.edge().openConnections(), rates.inPerSecond(), rates.outPerSecond(),
        rates.persistP99Millis(), heap.getUsed(), heap.getMax(), cpuLoad());
    return new NodeStats(sources.httpUrl(), upSince, figures, List.copyOf(shards.values()),
        sources.projections().snapshot());
  }

  private static Double cpuLoad() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      return load < 0 ? null : load;
    }
    return null;
  }

  /** The contract's type name: {@code User} → user. */
  static String typeName(EntityTypeKey<?> key) {
    return key.name().toLowerCase(Locale.ROOT);
  }
}
