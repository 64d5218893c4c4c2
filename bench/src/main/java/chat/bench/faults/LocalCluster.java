package chat.bench.faults;

import chat.bench.JvmProcess;
import chat.bench.NodeProcess;
import chat.bench.NodeProcess.Database;
import chat.bench.NodeProcess.Placement;
import chat.projections.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Chat nodes on 127.0.0.1 with the same seed-node list and key, each at a fixed place so that a
 * node started again takes its old ports; with Kafka on, a broker of its own that every node
 * publishes to. Faults are signals to the nodes' processes or a stop of the broker; {@link #close}
 * ends every process it started, stopped or not.
 */
final class LocalCluster implements AutoCloseable {

  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);

  private final Path jar;
  private final List<String> jvmFlags;
  private final Database db;
  private final Path out;
  private final List<Placement> placements;
  private final NodeProcess[] nodes;
  private KafkaBroker kafka;
  private final List<List<Path>> logs = new ArrayList<>();

  private LocalCluster(Path jar, List<String> jvmFlags, Database db, Path out, int size) {
    this.jar = jar;
    this.jvmFlags = jvmFlags;
    this.db = db;
    this.out = out;
    int[] ports = JvmProcess.freePorts(3 * size);
    String seeds = IntStream.range(0, size).mapToObj(i -> "127.0.0.1:" + ports[3 * i + 2])
        .collect(Collectors.joining(","));
    String secret = Placement.newSecret();
    this.placements = IntStream.range(0, size)
        .mapToObj(i -> new Placement(ports[3 * i], ports[3 * i + 1], ports[3 * i + 2], seeds, secret)).toList();
    this.nodes = new NodeProcess[size];
    for (int i = 0; i < size; i++) {
      logs.add(new ArrayList<>());
    }
  }

  /**
   * The broker first if {@code withKafka}; then the first node forms the cluster and the others join
   * it one after the other (two joining at once were seen quarantining each other on a busy
   * machine, which is not the fault under test).
   */
  static LocalCluster start(Path jar, List<String> jvmFlags, Database db, Path out, int size, boolean withKafka)
      throws Exception {
    LocalCluster cluster = new LocalCluster(jar, jvmFlags, db, out, size);
    try {
      if (withKafka) {
        cluster.kafka = KafkaBroker.start();
      }
      for (int i = 0; i < size; i++) {
        cluster.startNode(i);
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  int size() {
    return nodes.length;
  }

  /** Starts node {@code i} (again), each start with its own log; returns once it is ready. */
  void startNode(int i) throws IOException, InterruptedException {
    Path log = out.resolve("node-" + i + (logs.get(i).isEmpty() ? "" : "-start" + (logs.get(i).size() + 1)) + ".log");
    synchronized (logs) {
      logs.get(i).add(log);
    }
    Map<String, String> env = kafka == null ? Map.of()
        : Map.of("CHAT_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    nodes[i] = NodeProcess.start(jar, jvmFlags, db, log, placements.get(i), env);
  }

  /** The broker the nodes publish to; null when Kafka is off. */
  KafkaBroker kafka() {
    return kafka;
  }

  NodeProcess node(int i) {
    return nodes[i];
  }

  boolean isRunning(int i) {
    return nodes[i] != null && nodes[i].process().isAlive();
  }

  /** SIGKILL: no shutdown of any kind. */
  void kill(int i) throws IOException, InterruptedException {
    nodes[i].process().signal("KILL");
    nodes[i].process().awaitExit(EXIT_DEADLINE);
  }

  /** SIGTERM, as a rollout or an operator stops a node; returns its exit status, -1 if it did not exit. */
  int terminate(int i) throws IOException, InterruptedException {
    nodes[i].process().signal("TERM");
    return nodes[i].process().awaitExit(EXIT_DEADLINE);
  }

  void pause(int i) throws IOException, InterruptedException {
    nodes[i].process().signal("STOP");
  }

  void resume(int i) throws IOException, InterruptedException {
    nodes[i].process().signal("CONT");
  }

  /** The WebSocket URL of every node up to the token, in node order. */
  List<String> wsBaseUrls() {
    return placements.stream().map(p -> "ws://127.0.0.1:" + p.httpPort() + "/ws?access_token=").toList();
  }

  String baseUrl(int i) {
    return "http://127.0.0.1:" + placements.get(i).httpPort();
  }

  List<Path> logsOf(int i) {
    synchronized (logs) {
      return List.copyOf(logs.get(i));
    }
  }

  /** Stops every node at once: SIGTERM (after SIGCONT), SIGKILL after a deadline; then the broker. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (NodeProcess node : nodes) {
      if (node != null) {
        stopping.add(CompletableFuture.runAsync(node::close));
      }
    }
    try {
      stopping.forEach(CompletableFuture::join);
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }
}
