package chat.bench;

import chat.bench.LatencyRecorder.Latencies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run measured, collected as the scenarios finish, and turned into rows at the end. */
public final class Report {

  RestBurst.Result restBurst;
  WsFanout.Result wsFanout;
  Connections.Result connections;
  JdbcBaseline.Result jdbcBaseline;
  WsFanout.Result wsBaseline;
  HostileRun.Result hostile;
  /** Cores used during each scenario by the server (node or broadcast server) and by the bench. */
  final Map<String, CpuUse> cpu = new LinkedHashMap<>();

  record CpuUse(double server, double bench) {}

  /** Every figure, product scenarios with their baselines' figures beside them. */
  public List<Metric> metrics() {
    List<Metric> rows = new ArrayList<>();
    Double jdbcRate = jdbcBaseline == null ? null : jdbcBaseline.rowsPerSecond();
    if (restBurst != null) {
      String s = "rest-burst";
      rows.add(Metric.of(s, "messages sent", "count", restBurst.sent()));
      rows.add(Metric.of(s, "201 Created", "count", restBurst.created()));
      rows.add(Metric.of(s, "other answers", "count", restBurst.failed()));
      rows.add(Metric.of(s, "total time", "s", restBurst.seconds()));
      rows.add(new Metric(s, "persisted messages/s", "1/s", restBurst.messagesPerSecond(), "jdbc-baseline rows/s", jdbcRate));
      latencyRows(rows, s, "latency", restBurst.latency(), null);
    }
    if (wsFanout != null) {
      fanoutRows(rows, "ws-fanout", wsFanout, wsBaseline, jdbcRate);
    }
    if (connections != null) {
      String s = "connections";
      rows.add(Metric.of(s, "connections requested", "count", connections.requested()));
      rows.add(Metric.of(s, "connections held", "count", connections.connected()));
      rows.add(Metric.of(s, "connections failed", "count", connections.failed()));
      rows.add(Metric.of(s, "source addresses", "count", connections.sourceAddresses()));
      rows.add(Metric.of(s, "connect rate", "1/s", connections.connectsPerSecond()));
      rows.add(Metric.of(s, "node heap per connection", "KiB", connections.heapBytesPerConnection() / 1024.0));
      rows.add(Metric.of(s, "node RSS per connection", "KiB", connections.rssBytesPerConnection() / 1024.0));
      latencyRows(rows, s, "ping→pong", connections.pingPong(), null);
    }
    if (jdbcBaseline != null) {
      String s = "jdbc-baseline";
      rows.add(Metric.of(s, "rows", "count", jdbcBaseline.rows()));
      rows.add(Metric.of(s, "payload per row", "bytes", jdbcBaseline.payloadBytes()));
      rows.add(Metric.of(s, "tag rows per row", "count", jdbcBaseline.tagsPerRow()));
      rows.add(Metric.of(s, "total time", "s", jdbcBaseline.seconds()));
      rows.add(Metric.of(s, "rows/s", "1/s", jdbcBaseline.rowsPerSecond()));
    }
    if (wsBaseline != null) {
      fanoutRows(rows, "ws-baseline", wsBaseline, null, null);
    }
    if (hostile != null) {
      hostileRows(rows, hostile);
    }
    cpu.forEach((scenario, use) -> {
      rows.add(Metric.of(scenario, "server CPU", "cores", use.server()));
      rows.add(Metric.of(scenario, "bench client CPU", "cores", use.bench()));
    });
    rows.sort(Comparator.comparing(m -> BenchOptions.SCENARIOS.indexOf(m.scenario())));
    return rows;
  }

  /** Starts metering a scenario's CPU; the returned action stores what it used. */
  Runnable meterCpu(String scenario, long serverPid) {
    CpuMeter server = CpuMeter.of(serverPid);
    CpuMeter bench = CpuMeter.ofBench();
    return () -> cpu.put(scenario, new CpuUse(server.cores(), bench.cores()));
  }

  /** The latency series for the chart, by label. */
  public Map<String, Latencies> latencies() {
    Map<String, Latencies> series = new LinkedHashMap<>();
    if (restBurst != null) {
      series.put("rest-burst", restBurst.latency());
    }
    if (wsFanout != null) {
      series.put("ws-fanout ack", wsFanout.ack());
      series.put("ws-fanout send→all", wsFanout.allMembers());
    }
    if (wsBaseline != null) {
      series.put("ws-baseline ack", wsBaseline.ack());
      series.put("ws-baseline send→all", wsBaseline.allMembers());
    }
    if (connections != null) {
      series.put("ping→pong", connections.pingPong());
    }
    return series;
  }

  private static void fanoutRows(List<Metric> rows, String s, WsFanout.Result r, WsFanout.Result base, Double jdbcRate) {
    rows.add(Metric.of(s, "messages sent", "count", r.sent()));
    rows.add(Metric.of(s, "messages not sent (connection failed)", "count", r.unsent()));
    rows.add(Metric.of(s, "acked", "count", r.acked()));
    rows.add(Metric.of(s, "refused (error frame)", "count", r.rejected()));
    rows.add(Metric.of(s, "delivered without an ack", "count", r.deliveredUnacked()));
    rows.add(Metric.of(s, "deliveries expected", "count", r.expectedDeliveries()));
    rows.add(Metric.of(s, "deliveries", "count", r.deliveries()));
    rows.add(baselined(s, "lost", "count", r.lost(), base, base == null ? 0 : base.lost()));
    rows.add(baselined(s, "duplicated", "count", r.duplicated(), base, base == null ? 0 : base.duplicated()));
    rows.add(baselined(s, "out of order", "count", r.outOfOrder(), base, base == null ? 0 : base.outOfOrder()));
    rows.add(new Metric(s, "acked messages/s", "1/s", r.ackedPerSecond(),
        jdbcRate == null ? null : "jdbc-baseline rows/s", jdbcRate));
    rows.add(baselined(s, "deliveries/s", "1/s", r.deliveriesPerSecond(), base,
        base == null ? 0 : base.deliveriesPerSecond()));
    latencyRows(rows, s, "ack", r.ack(), base == null ? null : base.ack());
    latencyRows(rows, s, "send→every member", r.allMembers(), base == null ? null : base.allMembers());
    r.errors().forEach((code, n) -> rows.add(Metric.of(s, "error frames " + code, "count", n)));
  }

  /** The normal users under attack against the same users in the quiet phase; how each attack was answered. */
  private static void hostileRows(List<Metric> rows, HostileRun.Result h) {
    String s = "hostile";
    WsFanout.Result quiet = h.quiet();
    WsFanout.Result attacked = h.attacked();
    rows.add(new Metric(s, "normal sends", "count", attacked.sent(), "quiet", (double) quiet.sent()));
    rows.add(new Metric(s, "normal sends acked", "count", attacked.acked(), "quiet", (double) quiet.acked()));
    rows.add(new Metric(s, "normal sends refused", "count", attacked.rejected(), "quiet", (double) quiet.rejected()));
    rows.add(new Metric(s, "normal deliveries lost", "count", attacked.lost(), "quiet", (double) quiet.lost()));
    rows.add(new Metric(s, "normal deliveries duplicated or out of order", "count",
        attacked.duplicated() + attacked.outOfOrder(), "quiet", (double) (quiet.duplicated() + quiet.outOfOrder())));
    for (String what : List.of("ack", "send→every member")) {
      Latencies a = what.equals("ack") ? attacked.ack() : attacked.allMembers();
      Latencies q = what.equals("ack") ? quiet.ack() : quiet.allMembers();
      rows.add(new Metric(s, "normal " + what + " p50", "ms", a.p50(), "quiet", q.p50()));
      rows.add(new Metric(s, "normal " + what + " p99", "ms", a.p99(), "quiet", q.p99()));
    }
    h.answers().forEach((attack, answers) -> answers.forEach((answer, n) ->
        rows.add(Metric.of(s, attack + ": " + answer, "count", n))));
    rows.add(Metric.of(s, "node heap before (after GC)", "MiB", h.heapBeforeBytes() / 1048576.0));
    rows.add(new Metric(s, "node heap used, highest (every 0.5 s)", "MiB", h.heapPeakAttackedBytes() / 1048576.0,
        "quiet", h.heapPeakQuietBytes() / 1048576.0));
    rows.add(Metric.of(s, "node heap after (after GC)", "MiB", h.heapAfterBytes() / 1048576.0));
  }

  private static Metric baselined(String s, String name, String unit, double value, WsFanout.Result base, double b) {
    return base == null ? Metric.of(s, name, unit, value) : new Metric(s, name, unit, value, "ws-baseline", b);
  }

  private static void latencyRows(List<Metric> rows, String s, String what, Latencies l, Latencies base) {
    String baseName = base == null ? null : "ws-baseline";
    rows.add(new Metric(s, what + " p50", "ms", l.p50(), baseName, base == null ? null : base.p50()));
    rows.add(new Metric(s, what + " p95", "ms", l.p95(), baseName, base == null ? null : base.p95()));
    rows.add(new Metric(s, what + " p99", "ms", l.p99(), baseName, base == null ? null : base.p99()));
    rows.add(new Metric(s, what + " max", "ms", l.max(), baseName, base == null ? null : base.max()));
  }
}
