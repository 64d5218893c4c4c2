package chat.edge.ops;

import chat.projections.status.ProjectionStatusRegistry.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The body of {@code GET /api/ops/cluster}, and of each {@code event: snapshot}, field for field. */
public record ClusterSnapshot(String at, List<Member> members, List<Shards> shards, List<ProjectionInstance> projections)
    implements OpsEvent {

  /** {@code stats} is null while the node does not answer. */
  public record Member(String node, String status, List<String> roles, String upSince, boolean leader,
      boolean reachable, String httpUrl, Figures stats) {}

  public record Shards(String type, String node, int shards, int entities) {}

  /** As {@code GET /api/ops/projections} lists an instance, with the node that runs it. */
  public record ProjectionInstance(String node, String name, String slice, Object offset, long lagMillis,
      String lastEventAt, long errors, long failures, String lastError, boolean running) {}

  /**
   * The view from the members this node knows and the figures gathered from them ({@code stats}:
   * null for a node that did not answer). {@code lastKnown} fills in where a silent node serves
   * HTTP and since when it is up.
   */
  public static ClusterSnapshot of(Instant at, List<ClusterMembers.MemberState> members,
      Map<String, NodeStats> stats, Map<String, NodeStats> lastKnown) {
    List<Member> memberViews = new ArrayList<>();
    List<Shards> shards = new ArrayList<>();
    List<ProjectionInstance> running = new ArrayList<>();
    List<ProjectionInstance> stopped = new ArrayList<>();
    for (ClusterMembers.MemberState member : members) {
      NodeStats answer = stats.get(member.node());
      NodeStats known = answer != null ? answer : lastKnown.get(member.node());
      memberViews.add(new Member(member.node(), member.status(), member.roles(),
          known == null ? null : known.upSince(), member.leader(), member.reachable(),
          known == null ? null : known.httpUrl(), answer == null ? null : answer.figures()));
      if (answer == null) {
        continue;
      }
      answer.shards().forEach(s -> shards.add(new Shards(s.type(), member.node(), s.shards(), s.entities())));
      for (Status status : answer.projections()) {
        (status.running() ? running : stopped).add(instance(member.node(), status));
      }
    }
    // An instance stopped here because it moved is not shown; one that failed and runs nowhere is.
    Set<String> runningKeys = new HashSet<>();
    running.forEach(p -> runningKeys.add(p.name() + "/" + p.slice()));
    List<ProjectionInstance> projections = new ArrayList<>(running);
    stopped.stream()
        .filter(p -> p.failures() > 0 && runningKeys.add(p.name() + "/" + p.slice()))
        .forEach(projections::add);
    projections.sort(Comparator.comparing(ProjectionInstance::name).thenComparing(ProjectionInstance::slice));
    shards.sort(Comparator.comparing(Shards::type).thenComparing(Shards::node));
    return new ClusterSnapshot(Timestamps.of(at), memberViews, shards, projections);
  }

  private static ProjectionInstance instance(String node, Status status) {
    Object offset = status.offsetSequence() != null ? status.offsetSequence() : status.offset();
    String lastEventAt = status.lastEventTimestamp() > 0
        ? Timestamps.ofMillis(status.lastEventTimestamp()) : null;
    return new ProjectionInstance(node, status.projection(), status.slice(), offset, status.lagMillis(),
        lastEventAt, status.errors(), status.failures(), status.lastError(), status.running());
  }
}
