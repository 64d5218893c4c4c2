package chat.edge.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One per node: the cluster view this node answers with. While dashboards stream, it gathers
 * every member's figures once per interval, however many streams are open, and sends each
 * snapshot to all of them; membership changes go out the moment the cluster reports them.
 * Requests for one snapshot share a gathering in flight.
 */
public final class ClusterMonitor extends AbstractBehavior<ClusterMonitor.Command> {

  public sealed interface Command {}

  /** A stream's receiving end; it gets the latest snapshot at once, then every event. */
  public record Subscribe(ActorRef<OpsEvent> subscriber) implements Command {}

  public record GetSnapshot(ActorRef<ClusterSnapshot> replyTo) implements Command {}

  private record StatsActors(Receptionist.Listing listing) implements Command {}

  private record Membership(ClusterEvent.ClusterDomainEvent event) implements Command {}

  private record Gathered(List<ClusterMembers.MemberState> members, Map<String, NodeStats> stats) implements Command {}

  private record SubscriberGone(ActorRef<OpsEvent> subscriber) implements Command {}

  private enum Tick implements Command { INSTANCE }

  /** How often streams get a snapshot, and how long a member's figures are waited for. */
  public record Timing(Duration interval, Duration statsTimeout) {}

  public static Behavior<Command> create(ClusterMembers members, ClusterMetrics metrics, Timing timing, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.getSystem().receptionist().tell(Receptionist.subscribe(NodeStatsActor.KEY,
          context.messageAdapter(Receptionist.Listing.class, StatsActors::new)));
      Cluster cluster = Cluster.get(context.getSystem());
      cluster.subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
          context.messageAdapter(ClusterEvent.MemberEvent.class, Membership::new), ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
          context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Membership::new),
          ClusterEvent.ReachabilityEvent.class));
      timers.startTimerAtFixedRate(Tick.INSTANCE, timing.interval());
      return new ClusterMonitor(context, members, metrics, timing, clock,
          ClusterMembers.node(cluster.selfMember().address()));
    }));
  }

  private final ClusterMembers members;
  private final ClusterMetrics metrics;
  private final Timing timing;
  private final Clock clock;
  private final String selfNode;
  private final Map<String, ActorRef<NodeStatsActor.Command>> statsActors = new HashMap<>();
  private final Map<String, NodeStats> lastKnown = new HashMap<>();
  private final Set<ActorRef<OpsEvent>> subscribers = new HashSet<>();
  private final List<ActorRef<ClusterSnapshot>> waiting = new ArrayList<>();
  private ClusterSnapshot latest;
  private long latestAtMillis;
  private boolean gathering;
  private boolean tickMissed;

  private ClusterMonitor(ActorContext<Command> context, ClusterMembers members, ClusterMetrics metrics,
      Timing timing, Clock clock, String selfNode) {
    super(context);
    this.members = members;
    this.metrics = metrics;
    this.timing = timing;
    this.clock = clock;
    this.selfNode = selfNode;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(SubscriberGone.class, gone -> {
          subscribers.remove(gone.subscriber());
          metrics.streams(subscribers.size());
          return this;
        })
        .onMessage(GetSnapshot.class, get -> {
          waiting.add(get.replyTo());
          startGathering();
          return this;
        })
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Gathered.class, this::onGathered)
        .onMessage(StatsActors.class, this::onStatsActors)
        .onMessage(Membership.class, this::onMembership)
        .build();
  }

  private Behavior<Command> onSubscribe(Subscribe subscribe) {
    subscribers.add(subscribe.subscriber());
    getContext().watchWith(subscribe.subscriber(), new SubscriberGone(subscribe.subscriber()));
    metrics.streams(subscribers.size());
    if (latest != null) {
      subscribe.subscriber().tell(latest);
    }
    // A fresh snapshot is on its way anyway; new streams must not add gatherings of their own.
    if (latest == null || clock.millis() - latestAtMillis > timing.interval().toMillis()) {
      startGathering();
    }
    return this;
  }

  private Behavior<Command> onTick() {
    if (subscribers.isEmpty()) {
      return this;
    }
    if (gathering) {
      // A slow member held the last gathering up to its timeout: gather again as soon as it ends.
      tickMissed = true;
    } else {
      startGathering();
    }
    return this;
  }

  private void startGathering() {
    if (gathering) {
      return;
    }
    gathering = true;
    List<ClusterMembers.MemberState> now = members.current();
    List<String> nodes = now.stream().map(ClusterMembers.MemberState::node).toList();
    getContext().pipeToSelf(StatsGathering.gather(nodes, this::ask, timing.statsTimeout()),
        (stats, failure) -> new Gathered(now, stats != null ? stats : Map.of()));
  }

  private CompletionStage<NodeStats> ask(String node) {
    ActorRef<NodeStatsActor.Command> actor = statsActors.get(node);
    if (actor == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no stats actor on " + node + " yet"));
    }
    return AskPattern.ask(actor, NodeStatsActor.GetStats::new, timing.statsTimeout(), getContext().getSystem().scheduler());
  }

  private Behavior<Command> onGathered(Gathered gathered) {
    gathering = false;
    metrics.gathered();
    gathered.stats().forEach((node, stats) -> {
      if (stats != null) {
        lastKnown.put(node, stats);
      }
    });
    latestAtMillis = clock.millis();
    latest = ClusterSnapshot.of(clock.instant(), gathered.members(), gathered.stats(), lastKnown);
    subscribers.forEach(subscriber -> subscriber.tell(latest));
    waiting.forEach(replyTo -> replyTo.tell(latest));
    waiting.clear();
    if (tickMissed) {
      tickMissed = false;
      startGathering();
    }
    return this;
  }

  private Behavior<Command> onStatsActors(StatsActors message) {
    statsActors.clear();
    for (ActorRef<NodeStatsActor.Command> actor : message.listing().getServiceInstances(NodeStatsActor.KEY)) {
      Address address = actor.path().address();
      statsActors.put(address.hasLocalScope() ? selfNode : ClusterMembers.node(address), actor);
    }
    return this;
  }

  private Behavior<Command> onMembership(Membership membership) {
    ClusterEvent.ClusterDomainEvent event = membership.event();
    MemberChange change;
    if (event instanceof ClusterEvent.ReachabilityEvent reachability) {
      change = new MemberChange(ClusterMembers.node(reachability.member().address()),
          event instanceof ClusterEvent.UnreachableMember ? "unreachable" : "reachable", now());
    } else if (event instanceof ClusterEvent.MemberEvent memberEvent) {
      String node = ClusterMembers.node(memberEvent.member().address());
      change = new MemberChange(node, changeName(memberEvent), now());
      if (event instanceof ClusterEvent.MemberRemoved) {
        lastKnown.remove(node);
      }
    } else {
      return this;
    }
    subscribers.forEach(subscriber -> subscriber.tell(change));
    return this;
  }

  /** The stream's word for a member event: joined, up, leaving, … (the member's new status, mostly). */
  private static String changeName(ClusterEvent.MemberEvent event) {
    if (event instanceof ClusterEvent.MemberJoined) {
      return "joined";
    }
    if (event instanceof ClusterEvent.MemberLeft) {
      return "leaving";
    }
    if (event instanceof ClusterEvent.MemberRemoved) {
      return "removed";
    }
    if (event instanceof ClusterEvent.MemberDowned) {
      return "down";
    }
    return ClusterMembers.statusName(event.member().status());
  }

  private String now() {
    return Timestamps.of(clock.instant());
  }
}
