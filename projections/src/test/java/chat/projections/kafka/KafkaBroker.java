package chat.projections.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) for tests, run as its own
 * JVM from {@code org.apache.kafka:kafka_2.13} as named by {@code scripts/kafka-broker/pom.xml}.
 * The classpath is resolved once per test JVM with that pom's {@code dependency:build-classpath}
 * (offline first); {@code -Dchat.kafka.broker.classpath=…} skips that. Storage is formatted in a
 * temporary directory; {@link #stop()} and {@link #start()} keep the port and the data, so tests
 * can take the broker away and bring it back. {@link #close()} (and a shutdown hook) kill it and
 * delete the data.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *   String bootstrapServers = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static volatile String classpath;

  private final Path dir;
  private final Path properties;
  private final int port;
  private final Thread shutdownHook;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort) throws IOException {
    this.dir = dir;
    this.port = port;
    this.properties = dir.resolve("server.properties");
    Files.writeString(properties, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        // The application creates its topics; the test sees it if it does not.
        "auto.create.topics.enable=false",
        "group.initial.rebalance.delay.ms=0",
        "controlled.shutdown.enable=true",
        ""), StandardCharsets.UTF_8);
    this.shutdownHook = new Thread(this::kill, "kafka-broker-kill");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Formats a new broker's storage and starts it; returns once it answers. */
  public static KafkaBroker start() throws Exception {
    Path dir = Files.createTempDirectory("chat-kafka-");
    KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort());
    try {
      broker.format();
      broker.startProcess(READY_TIMEOUT);
      return broker;
    } catch (Exception e) {
      broker.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the broker (gracefully, then forcibly), keeping its port and data for {@link #restart()}. */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Starts the stopped broker again on the same port with the same data. */
  public synchronized void restart() throws Exception {
    restart(READY_TIMEOUT);
  }

  /** {@link #restart()}, waiting up to {@code readyWithin}: a busy machine starts a JVM slowly. */
  public synchronized void restart(Duration readyWithin) throws Exception {
    if (!isRunning()) {
      startProcess(readyWithin);
    }
  }

  @Override
  public synchronized void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    deleteRecursively(dir);
  }

  private synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  private void format() throws Exception {
    byte[] id = new byte[16];
    SecureRandom random = new SecureRandom();
    String clusterId;
    do { // an id starting with '-' would be read by the tool as an option (one in 64 would fail)
      random.nextBytes(id);
      clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    } while (clusterId.startsWith("-"));
    Process format = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile()))
        .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException("formatting Kafka storage failed: " + Files.readString(dir.resolve("format.log")));
    }
  }

  private synchronized void startProcess(Duration readyWithin) throws Exception {
    process = java("kafka.Kafka", properties.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
        .start();
    awaitReady(readyWithin);
  }

  private void awaitReady(Duration readyWithin) throws Exception {
    long deadline = System.nanoTime() + readyWithin.toNanos();
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    try (AdminClient admin = AdminClient.create(config)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ": " + logTail());
        }
        try {
          admin.listTopics().names().get(2, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker not ready within " + readyWithin + ": " + logTail());
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private String logTail() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dkafka.logs.dir=" + dir.resolve("logs"),
        "-cp", brokerClasspath(), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
  }

  /** The broker's runtime classpath, resolved once per JVM. */
  static synchronized String brokerClasspath() {
    if (classpath == null) {
      String given = System.getProperty("chat.kafka.broker.classpath");
      classpath = given != null && !given.isBlank() ? given : resolveClasspath();
    }
    return classpath;
  }

  private static String resolveClasspath() {
    Path pom = findBrokerPom();
    try {
      Path out = Files.createTempFile("kafka-broker-classpath", ".txt");
      try {
        // Offline first: the artifacts are usually in the local repository already.
        if (!runMaven(pom, out, true) && !runMaven(pom, out, false)) {
          throw new IllegalStateException("cannot resolve the Kafka broker's classpath from " + pom);
        }
        return Files.readString(out).trim();
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean runMaven(Path pom, Path out, boolean offline) throws IOException {
    List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B", "-f", pom.toString()));
    if (offline) {
      command.add("-o");
    }
    command.addAll(List.of("dependency:build-classpath",
        "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=runtime"));
    Path log = Files.createTempFile("kafka-broker-classpath", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return false;
      }
      boolean ok = p.exitValue() == 0 && Files.size(out) > 0;
      if (!ok && !offline) {
        System.err.println("Resolving the Kafka broker failed:\n" + Files.readString(log));
      }
      return ok;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** {@code scripts/kafka-broker/pom.xml} in the working directory or one of its parents. */
  private static Path findBrokerPom() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("scripts").resolve("kafka-broker").resolve("pom.xml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("scripts/kafka-broker/pom.xml not found above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
