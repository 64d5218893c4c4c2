package chat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** One chat node, {@code java -jar chat-node.jar}, on the bench's Postgres database. */
public final class NodeProcess implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  private static final String TOKEN_TTL = "12h";

  private final JvmProcess jvm;
  private final int httpPort;

  private NodeProcess(JvmProcess jvm, int httpPort) {
    this.jvm = jvm;
    this.httpPort = httpPort;
  }

  /** A node with its per-client limits lifted: the bench measures speed from a few addresses and users. */
  public static NodeProcess start(Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(jvmFlags);
    for (String burst : List.of("chat.limits.send-burst", "chat.limits.registrations-per-address.burst",
        "chat.limits.login-failures-per-address.burst", "chat.websocket.frame-burst",
        "chat.http.max-connections-per-address")) {
      flags.add("-D" + burst + "=1000000000");
    }
    return startWith(nodeJar, flags, db, log);
  }

  /**
   * A node that keeps its per-client limits, but for registrations: provisioning registers the
   * whole population from one address.
   */
  public static NodeProcess startWithLimits(Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.add("-Dchat.limits.registrations-per-address.burst=1000000000");
    return startWith(nodeJar, flags, db, log);
  }

  private static NodeProcess startWith(Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws IOException, InterruptedException {
    int[] ports = JvmProcess.freePorts(3);
    int httpPort = ports[0];
    int managementPort = ports[1];
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    Map<String, String> env = Map.of(
        "CHAT_HTTP_PORT", Integer.toString(httpPort),
        "CHAT_MANAGEMENT_PORT", Integer.toString(managementPort),
        "CHAT_REMOTE_PORT", Integer.toString(ports[2]),
        "CHAT_DB_URL", db.url(),
        "CHAT_DB_USER", db.user(),
        "CHAT_DB_PASSWORD", db.password(),
        "CHAT_JWT_SECRET", Base64.getEncoder().encodeToString(secret));
    List<String> flags = new ArrayList<>(jvmFlags);
    // Tokens are made once, when the users are provisioned; they must outlast a long run.
    flags.add("-Dchat.auth.access-token-ttl=" + TOKEN_TTL);
    JvmProcess jvm = JvmProcess.start("chat node", flags, List.of("-jar", nodeJar.toString()), env, log);
    try {
      jvm.awaitOk("http://127.0.0.1:" + managementPort + "/ready", START_DEADLINE);
    } catch (RuntimeException | InterruptedException e) {
      jvm.close();
      throw e;
    }
    return new NodeProcess(jvm, httpPort);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public long pid() {
    return jvm.pid();
  }

  @Override
  public void close() {
    jvm.close();
  }

  /** Where the node keeps its data: a Postgres database the bench may write scratch tables to. */
  public record Database(String url, String user, String password) {}
}
