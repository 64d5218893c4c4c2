package chat.edge.metrics;

import chat.projections.status.ProjectionStatusRegistry;
import chat.projections.status.ProjectionStatusRegistry.Status;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/** Everything {@code GET /metrics} shows: the chat counters, the projection instances, the JVM. */
public final class NodeMetrics {

  private final EdgeMetrics edge;
  private final ProjectionStatusRegistry projections;
  private final List<Consumer<PrometheusText>> more;

  public NodeMetrics(EdgeMetrics edge, ProjectionStatusRegistry projections) {
    this(edge, projections, List.of());
  }

  /** {@code more} writes further families (the cluster's, …) after the projections'. */
  public NodeMetrics(EdgeMetrics edge, ProjectionStatusRegistry projections, List<Consumer<PrometheusText>> more) {
    this.edge = edge;
    this.projections = projections;
    this.more = List.copyOf(more);
  }

  public ProjectionStatusRegistry projections() {
    return projections;
  }

  /** The Prometheus text of this node, now. */
  public String render() {
    PrometheusText out = new PrometheusText();
    edge.render(out);
    renderProjections(out, projections.snapshot());
    more.forEach(family -> family.accept(out));
    renderJvm(out);
    return out.toString();
  }

  private static void renderProjections(PrometheusText out, List<Status> instances) {
    projectionFamily(out, instances, "chat_projection_lag_seconds", "gauge",
        "Now minus the journal time of the event a projection instance is handling; 0 when it has handled every event it was given.",
        s -> s.lagMillis() / 1000.0);
    projectionFamily(out, instances.stream().filter(s -> s.offsetSequence() != null).toList(),
        "chat_projection_offset", "gauge", "The journal ordering of the last event a projection instance handled.",
        s -> s.offsetSequence());
    projectionFamily(out, instances, "chat_projection_last_event_timestamp_seconds", "gauge",
        "Journal time (Unix seconds) of the last event a projection instance handled; 0 before the first.",
        s -> s.lastEventTimestamp() / 1000.0);
    projectionFamily(out, instances, "chat_projection_errors_total", "counter",
        "Handler calls of a projection instance that threw.", Status::errors);
    projectionFamily(out, instances, "chat_projection_failures_total", "counter",
        "Times a projection instance's stream failed (each is followed by a restart with backoff).", Status::failures);
    projectionFamily(out, instances, "chat_projection_running", "gauge",
        "1 when the projection instance runs on this node, 0 when it stopped, moved away or failed.",
        s -> s.running() ? 1 : 0);
  }

  private static void projectionFamily(PrometheusText out, List<Status> instances, String name, String type,
      String help, ToDoubleFunction<Status> value) {
    out.family(name, type, help);
    for (Status status : instances) {
      out.sample(name, PrometheusText.labels("projection", status.projection(), "slice", status.slice()),
          value.applyAsDouble(status));
    }
  }

  private static void renderJvm(PrometheusText out) {
    var memory = ManagementFactory.getMemoryMXBean();
    Map<String, MemoryUsage> areas = Map.of("heap", memory.getHeapMemoryUsage(), "nonheap", memory.getNonHeapMemoryUsage());
    out.family("jvm_memory_used_bytes", "gauge", "Used JVM memory by area.");
    areas.forEach((area, usage) -> out.sample("jvm_memory_used_bytes", PrometheusText.labels("area", area), usage.getUsed()));
    out.family("jvm_memory_committed_bytes", "gauge", "Committed JVM memory by area.");
    areas.forEach((area, usage) ->
        out.sample("jvm_memory_committed_bytes", PrometheusText.labels("area", area), usage.getCommitted()));
    out.family("jvm_memory_max_bytes", "gauge", "Maximum JVM memory by area; -1 when undefined.");
    areas.forEach((area, usage) -> out.sample("jvm_memory_max_bytes", PrometheusText.labels("area", area), usage.getMax()));

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    out.family("jvm_threads_current", "gauge", "Live JVM threads.").sample("jvm_threads_current", threads.getThreadCount());
    out.family("jvm_threads_daemon", "gauge", "Live JVM daemon threads.")
        .sample("jvm_threads_daemon", threads.getDaemonThreadCount());
    out.family("jvm_threads_peak", "gauge", "Peak live JVM threads since start.")
        .sample("jvm_threads_peak", threads.getPeakThreadCount());

    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    out.family("jvm_gc_collection_seconds", "summary", "Time spent in the JVM's garbage collectors.");
    for (GarbageCollectorMXBean gc : collectors) {
      out.sample("jvm_gc_collection_seconds_count", PrometheusText.labels("gc", gc.getName()),
          Math.max(0, gc.getCollectionCount()));
      out.sample("jvm_gc_collection_seconds_sum", PrometheusText.labels("gc", gc.getName()),
          Math.max(0, gc.getCollectionTime()) / 1000.0);
    }
    out.family("process_uptime_seconds", "gauge", "Time since the JVM started.")
        .sample("process_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }
}
