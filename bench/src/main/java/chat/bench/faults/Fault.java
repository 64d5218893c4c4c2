package chat.bench.faults;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The faults the runner injects into a running cluster under load. Each acts on node 0, the
 * oldest member (it hosts the shard coordinators and the cluster's singletons, the worst node to
 * lose), or on what the nodes share (the database, the Kafka broker), returns once the fault is
 * over (a killed node stays dead), and reports what it saw.
 */
enum Fault {

  KILL_NODE("kill-node") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      cluster.kill(0);
      return Seen.notes(Map.of());
    }
  },

  STOP_NODE("stop-node") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      return Seen.notes(restart(cluster, 0));
    }
  },

  PAUSE_NODE("pause-node") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      cluster.pause(0);
      Thread.sleep(settings.pause().toMillis());
      cluster.resume(0);
      Map<String, String> seen = new LinkedHashMap<>();
      // Downed while it was frozen, it must stop itself on waking; a supervisor then starts it again.
      long woke = System.nanoTime();
      int status = cluster.node(0).process().awaitExit(Duration.ofSeconds(60));
      seen.put("paused node", status < 0 ? "still running 60 s after waking"
          : String.format("exited by itself %.1f s after waking, status %d", (System.nanoTime() - woke) / 1e9, status));
      if (status >= 0) {
        cluster.startNode(0);
      }
      return new Seen(seen, Map.of(DOWNED_NODE_STOPS, status >= 0));
    }
  },

  DB_RESTART("db-restart") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      long start = System.nanoTime();
      run(settings.dbRestartCommand());
      return Seen.notes(Map.of("database restart", String.format("%.1f s", (System.nanoTime() - start) / 1e9)));
    }
  },

  ROLLING_RESTART("rolling-restart") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      Map<String, String> seen = new LinkedHashMap<>();
      for (int i = cluster.size() - 1; i >= 0; i--) { // the oldest last, as a rollout does
        seen.putAll(restart(cluster, i));
        Thread.sleep(settings.rolloutPause().toMillis());
      }
      return Seen.notes(seen);
    }
  },

  /** The broker the nodes publish to stops, and starts again on the same port with its data. */
  KAFKA_OUTAGE("kafka-outage") {
    @Override
    Seen inject(LocalCluster cluster, Settings settings) throws Exception {
      long start = System.nanoTime();
      cluster.kafka().stop();
      double stopped = (System.nanoTime() - start) / 1e9;
      Thread.sleep(settings.kafkaOutage().toMillis());
      long restart = System.nanoTime();
      // The nodes and their clients keep a small machine busy: the broker's JVM may take minutes to start.
      cluster.kafka().restart(Duration.ofMinutes(3));
      return Seen.notes(Map.of("kafka broker", String.format("stop took %.1f s; started again %.1f s after the stop began, "
          + "ready %.1f s later", stopped, (restart - start) / 1e9, (System.nanoTime() - restart) / 1e9)));
    }

    @Override
    boolean needsKafka() {
      return true;
    }
  };

  /** A promise the pause-node fault checks: downed while frozen, the node must stop on waking. */
  static final String DOWNED_NODE_STOPS = "a downed node stops itself";

  /** What a fault saw: notes for the report, and the promises it checked, each kept (true) or broken. */
  record Seen(Map<String, String> notes, Map<String, Boolean> promises) {
    static Seen notes(Map<String, String> notes) {
      return new Seen(notes, Map.of());
    }
  }

  /** What a fault needs from the command line. */
  record Settings(Duration pause, Duration rolloutPause, List<String> dbRestartCommand, Duration kafkaOutage) {}

  final String scenario;

  Fault(String scenario) {
    this.scenario = scenario;
  }

  abstract Seen inject(LocalCluster cluster, Settings settings) throws Exception;

  /** Whether the nodes must publish to Kafka for this fault (then the run checks the topic too). */
  boolean needsKafka() {
    return false;
  }

  static Fault named(String scenario) {
    for (Fault f : values()) {
      if (f.scenario.equals(scenario)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
  }

  /** SIGTERM, wait for the exit, start again and wait until it is ready. */
  private static Map<String, String> restart(LocalCluster cluster, int i) throws Exception {
    long start = System.nanoTime();
    int status = cluster.terminate(i);
    double stopped = (System.nanoTime() - start) / 1e9;
    cluster.startNode(i);
    double ready = (System.nanoTime() - start) / 1e9;
    return Map.of("node " + i + " restart", String.format("exited %.1f s after SIGTERM (status %d), ready again after %.1f s",
        stopped, status, ready));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed");
    }
  }
}
