package chat.edge.ops;

import chat.edge.metrics.PrometheusText;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The cluster's families of {@code GET /metrics}: members by status as this node sees them, this
 * node's shards and entities per type (kept current by the node's stats actor), and the open
 * dashboard streams. Thread-safe.
 */
public final class ClusterMetrics {

  /** Every status a member can be seen in, so each has a sample even at 0. */
  private static final List<String> STATUSES = List.of(
      "joining", "weakly-up", "up", "leaving", "exiting", "down", "preparing-for-shutdown", "ready-for-shutdown");

  private final Supplier<List<ClusterMembers.MemberState>> members;
  private volatile List<ShardCount> shards = List.of();
  private final AtomicInteger streams = new AtomicInteger();
  private final LongAdder gatherings = new LongAdder();

  public ClusterMetrics(Supplier<List<ClusterMembers.MemberState>> members) {
    this.members = members;
  }

  public void shards(List<ShardCount> hosted) {
    shards = List.copyOf(hosted);
  }

  public List<ShardCount> shards() {
    return shards;
  }

  public void streams(int open) {
    streams.set(open);
  }

  /** A gathering of every member's figures finished. */
  public void gathered() {
    gatherings.increment();
  }

  public void render(PrometheusText out) {
    Map<String, Integer> byStatus = new TreeMap<>();
    STATUSES.forEach(status -> byStatus.put(status, 0));
    int unreachable = 0;
    for (ClusterMembers.MemberState member : members.get()) {
      byStatus.merge(member.status(), 1, Integer::sum);
      unreachable += member.reachable() ? 0 : 1;
    }
    out.family("chat_cluster_members", "gauge", "Cluster members by status, as this node sees them.");
    byStatus.forEach((status, count) ->
        out.sample("chat_cluster_members", PrometheusText.labels("status", status), count));
    out.family("chat_cluster_unreachable_members", "gauge", "Cluster members this node's failure detector finds unreachable.")
        .sample("chat_cluster_unreachable_members", unreachable);
    List<ShardCount> hosted = shards;
    out.family("chat_sharding_shards", "gauge", "Shards of each entity type hosted by this node.");
    hosted.forEach(s -> out.sample("chat_sharding_shards", PrometheusText.labels("type", s.type()), s.shards()));
    out.family("chat_sharding_entities", "gauge", "Entities of each type alive in this node's shards.");
    hosted.forEach(s -> out.sample("chat_sharding_entities", PrometheusText.labels("type", s.type()), s.entities()));
    out.family("chat_ops_streams", "gauge", "Open dashboard event streams (GET /api/ops/stream) on this node.")
        .sample("chat_ops_streams", streams.get());
    out.family("chat_ops_gatherings_total", "counter",
            "Gatherings of every member's figures by this node (one per interval while streams are open, however many).")
        .sample("chat_ops_gatherings_total", gatherings.sum());
  }
}
