package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as an operator starts it: {@code java -jar chat-node.jar} in its own process,
 * configured only by environment variables (API.md, "Operations").
 */
class PackagedJarIT {

  private static final Path JAR = Path.of(System.getProperty("chat.node.jar", "target/chat-node.jar"))
      .toAbsolutePath();
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);
  /** The JVM's status after SIGTERM when its shutdown hooks (coordinated shutdown) complete. */
  private static final int EXIT_ON_SIGTERM = 128 + 15;

  @Test
  void embeddedNodeStopsCleanlyOnSigtermAndKeepsItsDataForTheNextStart(@TempDir Path workDir) throws Exception {
    String accessToken;
    JarNode first = JarNode.start(workDir, "first.log");
    try {
      first.awaitReady();
      ApiClient api = new ApiClient(first.baseUrl());
      assertStatus(201, api.register("jar-user", "jar-user-password", "Jar User", "jar@example.com"),
          "register");
      accessToken = assertStatus(200, api.login("jar-user", "jar-user-password"), "log in").text("accessToken");

      first.process.destroy(); // SIGTERM
      assertTrue(first.process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
          "the node did not exit within " + EXIT_DEADLINE.toSeconds() + " s of SIGTERM\n" + first.output());
      assertEquals(EXIT_ON_SIGTERM, first.process.exitValue(), "exit status after SIGTERM\n" + first.output());
      assertTrue(first.output().contains("Running CoordinatedShutdown with reason [JvmExitReason]"),
          "SIGTERM should run coordinated shutdown\n" + first.output());
    } finally {
      first.kill();
    }

    Path data = workDir.resolve("data");
    assertTrue(Files.isRegularFile(data.resolve("chat.mv.db")), "embedded database file in " + data);
    assertTrue(Files.isRegularFile(data.resolve("jwt-secret")), "generated signing key in " + data);

    JarNode second = JarNode.start(workDir, "second.log");
    try {
      second.awaitReady();
      ApiClient api = new ApiClient(second.baseUrl());
      assertStatus(200, api.login("jar-user", "jar-user-password"), "log in after the restart");
      assertStatus(401, api.login("jar-user", "not-the-password"),
          "log in with a wrong password after the restart");
      Response me = assertStatus(200, api.me(accessToken), "an access token from the first run");
      assertEquals("jar@example.com", me.text("email"));
    } finally {
      second.kill();
    }
  }

  @Test
  void postgresWithoutJwtSecretRefusesToStart(@TempDir Path workDir) throws Exception {
    String password = "pw-that-must-not-be-printed-5c1e";
    JarNode node = JarNode.start(workDir, "refused.log", Map.of(
        "CHAT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/chat_test",
        "CHAT_DB_USER", "chat",
        "CHAT_DB_PASSWORD", password));
    try {
      assertTrue(node.process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
          "the node kept running without CHAT_JWT_SECRET\n" + node.output());
      String output = node.output();
      assertNotEquals(0, node.process.exitValue(), "exit status without CHAT_JWT_SECRET\n" + output);
      assertTrue(output.contains("CHAT_JWT_SECRET"), "the message should name CHAT_JWT_SECRET\n" + output);
      assertFalse(output.contains(password), "the output must not contain the database password\n" + output);
    } finally {
      node.kill();
    }
  }

  /** One {@code java -jar} process with its output in a file of the working directory. */
  private static final class JarNode {
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

    static JarNode start(Path workDir, String logName, Map<String, String> extraEnv) throws IOException {
      assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package first");
      int httpPort = freePort();
      int managementPort = freePort();
      int remotePort = freePort();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-jar");
      command.add(JAR.toString());
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("CHAT_")); // nothing from the test's own environment
      env.put("CHAT_HTTP_PORT", Integer.toString(httpPort));
      env.put("CHAT_MANAGEMENT_PORT", Integer.toString(managementPort));
      env.put("CHAT_REMOTE_PORT", Integer.toString(remotePort));
      env.putAll(extraEnv);
      Path log = workDir.resolve(logName);
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      return new JarNode(builder.start(), log, httpPort, managementPort);
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
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
