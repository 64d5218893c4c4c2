package chat.bench.faults;

import chat.bench.BenchOptions;
import chat.bench.JvmFlags;
import chat.bench.NodeProcess.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault runner (docs/reliability.md): for each chosen scenario a fresh cluster under chat
 * load, one fault, and what the clients lived through. Prints a summary per scenario and writes
 * every figure to {@code <out>/faults.json}.
 */
public final class FaultsMain {

  private static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("scenario", "kill-node,db-restart,stop-node,pause-node,rolling-restart,kafka-outage");
    d.put("nodes", "3");
    d.put("users", "120");
    d.put("room-size", "10");
    d.put("rate", "500");
    d.put("before", "10");
    d.put("after", "40");
    d.put("drain", "60");
    d.put("pause", "30");
    d.put("rollout-pause", "20"); // the Helm chart's minReadySeconds
    d.put("kafka-outage", "60");
    d.put("text-size", "100");
    d.put("db-restart-command", "pg_ctlcluster 15 main restart");
    d.put("db-url", "jdbc:postgresql://127.0.0.1:5432/chat_faults");
    d.put("db-user", "chat");
    d.put("db-password", "chat");
    d.put("node-jar", "http-edge/target/chat-node.jar");
    // Three nodes share one Postgres (100 connections by default) with whatever else runs on it:
    // each node holds 2 × pool-size + 9 connections.
    d.put("node-jvm-flags", String.join(" ", JvmFlags.RECOMMENDED) + " -Dchat.db.pool-size=4");
    d.put("out", "bench/results/faults");
    return d;
  }

  private FaultsMain() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<FaultRun.Result> results = run(o);
    boolean clean = results.stream().allMatch(FaultsMain::clean);
    System.exit(clean ? 0 : 1);
  }

  /** {@code --name value} pairs over the defaults. */
  public static Map<String, String> parse(String... args) {
    Map<String, String> values = BenchOptions.overDefaults(DEFAULTS, args);
    Arrays.stream(values.get("scenario").split(",")).forEach(Fault::named);
    return values;
  }

  /** Runs every chosen scenario in turn; writes and prints the results. */
  static List<FaultRun.Result> run(Map<String, String> o) throws Exception {
    Path out = Path.of(o.get("out"));
    Files.createDirectories(out);
    Database db = new Database(o.get("db-url"), o.get("db-user"), o.get("db-password"));
    String flags = o.get("node-jvm-flags").trim();
    FaultRun.Settings settings = new FaultRun.Settings(integer(o, "nodes"), integer(o, "users"),
        integer(o, "room-size"), Double.parseDouble(o.get("rate")), seconds(o, "before"), seconds(o, "after"),
        seconds(o, "drain"), integer(o, "text-size"), Path.of(o.get("node-jar")),
        flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")),
        new Fault.Settings(seconds(o, "pause"), seconds(o, "rollout-pause"),
            List.of(o.get("db-restart-command").trim().split("\\s+")), seconds(o, "kafka-outage")));
    List<FaultRun.Result> results = new ArrayList<>();
    for (String scenario : o.get("scenario").split(",")) {
      FaultRun.Result result = FaultRun.run(List.of(Fault.named(scenario)), settings, db, out.resolve(scenario));
      results.add(result);
      System.out.print(summary(result));
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("date", Instant.now().toString());
      file.put("cores", Runtime.getRuntime().availableProcessors());
      Map<String, String> parameters = new LinkedHashMap<>(o);
      parameters.put("db-password", "***");
      file.put("parameters", parameters);
      file.put("results", results);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("faults.json").toFile(), file);
    }
    return results;
  }

  /**
   * Nothing acknowledged lost or shown twice, no two writers, the read table complete, and with
   * Kafka on every acknowledged message published under its seq (repeated records are allowed).
   */
  static boolean clean(FaultRun.Result r) {
    KafkaTopicCheck topic = r.kafkaTopic();
    return r.lostDeliveries() == 0 && r.shownTwice() == 0 && r.seqConflicts() == 0 && r.ackConflicts() == 0
        && r.readTable().missing() == 0 && r.readTable().otherMessageAtSeq() == 0 && r.readTable().storedTwice() == 0
        && (topic == null || topic.missing() == 0 && topic.otherMessageAtSeq() == 0 && topic.conflicting() == 0);
  }

  static String summary(FaultRun.Result r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n== %s (%s) ==%n", r.scenario(), clean(r) ? "clean" : "FAILED"));
    b.append(String.format("sends %d (held back while %d were pending: %d), acked %d, unanswered at the end %d, "
        + "retried %d, refused %s%n", r.sent(), ReconnectingClient.MAX_PENDING, r.heldBack(), r.acked(), r.unanswered(),
        r.retried(), r.refused()));
    b.append(String.format("lost %d messages (%d deliveries), shown twice %d, redelivered %d, out of order %d, "
        + "seq conflicts %d, ack conflicts %d%n", r.lostMessages(), r.lostDeliveries(), r.shownTwice(), r.redelivered(),
        r.outOfOrder(), r.seqConflicts(), r.ackConflicts()));
    b.append(String.format("longest pause per client p50 %.1f s, p99 %.1f s, max %.1f s; reconnects %d; "
        + "not delivering at the end %d; fault took %.1f s %s%n", r.pause().p50() / 1000, r.pause().p99() / 1000,
        r.pause().max() / 1000, r.reconnects(), r.notDeliveringAtEnd(), r.faultSeconds(), r.seen()));
    if (!r.longPausesEndedAt().isEmpty()) {
      b.append(String.format("pauses over 10 s ended at (clients per second) %s%n", r.longPausesEndedAt()));
    }
    r.promises().forEach((promise, kept) -> b.append(String.format("%s: %s%n", promise, kept ? "kept" : "BROKEN")));
    b.append(String.format("read table: %s%n", r.readTable()));
    if (r.kafkaTopic() != null) {
      b.append(String.format("kafka topic %s: %s%n", KafkaTopicCheck.TOPIC, r.kafkaTopic()));
    }
    for (NodeHealth n : r.nodes()) {
      b.append(String.format("node %d: %s, heap %d MiB, rss %d MiB, %d stack traces (%d lines), %d ERROR, %d WARN%n",
          n.node(), n.running() ? "running" : "not running", n.heapUsedBytes() >> 20, n.rssBytes() >> 20,
          n.stackTraces(), n.traceLines(), n.errorLines(), n.warnLines()));
    }
    return b.toString();
  }

  private static int integer(Map<String, String> o, String name) {
    return Integer.parseInt(o.get(name));
  }

  private static Duration seconds(Map<String, String> o, String name) {
    return Duration.ofMillis((long) (Double.parseDouble(o.get(name)) * 1000));
  }
}
