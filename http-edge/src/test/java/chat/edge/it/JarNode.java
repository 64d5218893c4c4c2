package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code java -jar chat-node.jar} process, configured only by environment variables, with its
 * output in a file of its working directory. The jar is the one {@code mvn package} built.
 */
final class JarNode {

  private static final Path JAR = Path.of(System.getProperty("chat.node.jar", "target/chat-node.jar"))
      .toAbsolutePath();
  static final Duration START_DEADLINE = Duration.ofSeconds(90);
  static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);

  final Process process;
  final Path log;
  final int httpPort;
  final int managementPort;

  private JarNode(Process process, Path log, int httpPort, int managementPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  static JarNode start(Path workDir, String logName) throws IOException {
    return start(workDir, logName, Map.of());
  }

  /** Free ports for HTTP, management and remoting, unless {@code extraEnv} sets them. */
  static JarNode start(Path workDir, String logName, Map<String, String> extraEnv) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package first");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    TestNode.UNLIMITED.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(JAR.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("CHAT_")); // nothing from the test's own environment
    int[] ports = TestNode.freePorts(3);
    env.put("CHAT_HTTP_PORT", Integer.toString(ports[0]));
    env.put("CHAT_MANAGEMENT_PORT", Integer.toString(ports[1]));
    env.put("CHAT_REMOTE_PORT", Integer.toString(ports[2]));
    env.putAll(extraEnv);
    Path log = workDir.resolve(logName);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new JarNode(builder.start(), log, Integer.parseInt(env.get("CHAT_HTTP_PORT")),
        Integer.parseInt(env.get("CHAT_MANAGEMENT_PORT")));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  void awaitReady() {
    String ready = "http://127.0.0.1:" + managementPort + "/ready";
    Poll.until("ready (" + log + ")", START_DEADLINE, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("the node exited with " + process.exitValue() + " before it was ready\n" + output());
      }
      return ApiClient.getUrl(ready);
    }, r -> r.status() == 200);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the process if it still runs: SIGTERM, then SIGKILL if that is not enough. */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** SIGKILL: the JVM gets no chance to leave the cluster, hand off shards or finish a transaction. */
  void killHard() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

}
