package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as an operator starts it: {@code java -jar chat-node.jar} in its own process,
 * configured only by environment variables (API.md, "Operations").
 */
class PackagedJarIT {

  private static final Duration EXIT_DEADLINE = JarNode.EXIT_DEADLINE;
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
}
