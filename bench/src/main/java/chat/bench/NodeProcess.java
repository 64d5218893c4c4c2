package chat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One chat node, {@code java -jar chat-node.jar}, on the bench's Postgres database. */
public final class NodeProcess implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  private static final String TOKEN_TTL = "12h";

  private final JvmProcess jvm;
  private final int httpPort;
  private final int managementPort;

  private NodeProcess(JvmProcess jvm, int httpPort, int managementPort) {
    this.jvm = jvm;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  /** A node with its per-client limits lifted: the bench measures speed from a few addresses and users. */
  public static NodeProcess start(Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws IOException, InterruptedException {
    return start(nodeJar, jvmFlags, db, log, Placement.alone(), Map.of());
  }

  /**
   * As {@link #start(Path, List, Database, Path)}, at a given place in a cluster, with more
   * environment ({@code CHAT_KAFKA_BOOTSTRAP_SERVERS}, …) over the node's own.
   */
  public static NodeProcess start(Path nodeJar, List<String> jvmFlags, Database db, Path log, Placement placement,
      Map<String, String> moreEnv) throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(jvmFlags);
    for (String burst : List.of("chat.limits.send-burst", "chat.limits.registrations-per-address.burst",
        "chat.limits.login-failures-per-address.burst", "chat.websocket.frame-burst",
        "chat.http.max-connections-per-address")) {
      flags.add("-D" + burst + "=1000000000");
    }
    return startWith(nodeJar, flags, db, log, placement, moreEnv);
  }

  /**
   * A node that keeps its per-client limits, but for registrations: provisioning registers the
   * whole population from one address.
   */
  public static NodeProcess startWithLimits(Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.add("-Dchat.limits.registrations-per-address.burst=1000000000");
    return startWith(nodeJar, flags, db, log, Placement.alone(), Map.of());
  }

  private static NodeProcess startWith(Path nodeJar, List<String> jvmFlags, Database db, Path log,
      Placement placement, Map<String, String> moreEnv) throws IOException, InterruptedException {
    int httpPort = placement.httpPort();
    int managementPort = placement.managementPort();
    Map<String, String> env = new HashMap<>(moreEnv);
    env.putAll(Map.of(
        "CHAT_HTTP_PORT", Integer.toString(httpPort),
        "CHAT_MANAGEMENT_PORT", Integer.toString(managementPort),
        "CHAT_REMOTE_PORT", Integer.toString(placement.remotePort()),
        "CHAT_SEED_NODES", placement.seedNodes(),
        "CHAT_DB_URL", db.url(),
        "CHAT_DB_USER", db.user(),
        "CHAT_DB_PASSWORD", db.password(),
        "CHAT_JWT_SECRET", placement.jwtSecret()));
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
    return new NodeProcess(jvm, httpPort, managementPort);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public long pid() {
    return jvm.pid();
  }

  /** The running process, for faults injected from outside (signals, waiting for its exit). */
  public JvmProcess process() {
    return jvm;
  }

  @Override
  public void close() {
    jvm.close();
  }

  /** Where the node keeps its data: a Postgres database the bench may write scratch tables to. */
  public record Database(String url, String user, String password) {}

  /**
   * A node's ports, the Artery addresses it joins ({@code CHAT_SEED_NODES}; empty: it forms its
   * own cluster) and the access-token key, which must be the same on every node of a cluster.
   */
  public record Placement(int httpPort, int managementPort, int remotePort, String seedNodes, String jwtSecret) {

    /** A node of its own on free ports, with a fresh key. */
    public static Placement alone() {
      int[] ports = JvmProcess.freePorts(3);
      return new Placement(ports[0], ports[1], ports[2], "", newSecret());
    }

    public static String newSecret() {
      byte[] secret = new byte[48];
      new SecureRandom().nextBytes(secret);
      return Base64.getEncoder().encodeToString(secret);
    }
  }
}
