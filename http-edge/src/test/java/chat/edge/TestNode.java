package chat.edge;

import chat.cluster.db.DatabaseSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A chat node started inside the test JVM on free loopback ports; close() shuts it down. */
public final class TestNode implements AutoCloseable {

  /**
   * Per-client limits far above what any test sends, since every test client shares one address
   * and a few users: the limit tests set the real ones.
   */
  public static final Map<String, Object> UNLIMITED = Map.of(
      "chat.limits.send-burst", 1_000_000,
      "chat.limits.login-failures-per-address.burst", 1_000_000,
      "chat.limits.login-failures-per-account.burst", 1_000_000,
      "chat.limits.registrations-per-address.burst", 1_000_000,
      "chat.websocket.frame-burst", 1_000_000,
      "chat.http.max-connections-per-address", 1_000_000);

  /** The user id a test node takes as its operator (chat.admin-users). */
  public static final String OPERATOR = "operator";

  /** The signing key shared by test nodes that run on Postgres. */
  public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123";

  private final ChatNode node;
  private final int remotePort;
  private final int managementPort;

  private TestNode(ChatNode node, int remotePort, int managementPort) {
    this.node = node;
    this.remotePort = remotePort;
    this.managementPort = managementPort;
  }

  /** A single node on the embedded database in {@code dataDir}. */
  public static TestNode onH2(Path dataDir) throws Exception {
    return start(Map.of("chat.data-dir", dataDir.toString()));
  }

  /** A node on Postgres; with seeds ("127.0.0.1:port,…") it joins them instead of forming its own cluster. */
  public static TestNode onPostgres(DatabaseSettings db, String seedNodes) throws Exception {
    return onPostgres(db, seedNodes, Map.of());
  }

  /** As above, with further settings. */
  public static TestNode onPostgres(DatabaseSettings db, String seedNodes, Map<String, Object> settings)
      throws Exception {
    Map<String, Object> all = new HashMap<>(settings);
    all.put("chat.db.url", db.jdbcUrl());
    all.put("chat.db.user", db.user());
    all.put("chat.db.password", db.password());
    all.put("chat.auth.jwt-secret", JWT_SECRET);
    all.put("chat.cluster.seed-nodes", seedNodes);
    return start(all);
  }

  public static TestNode start(Map<String, Object> settings) throws Exception {
    int[] ports = freePorts(2);
    int remotePort = ports[0];
    int managementPort = ports[1];
    Map<String, Object> all = new HashMap<>();
    all.put("chat.http.interface", "127.0.0.1");
    all.put("chat.http.port", 0);
    all.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    all.put("pekko.remote.artery.canonical.port", remotePort);
    all.put("pekko.management.http.port", managementPort);
    all.put("pekko.management.http.bind-hostname", "127.0.0.1");
    all.put("chat.auth.bcrypt-cost", 4);
    all.putAll(UNLIMITED);
    all.put("chat.admin-users", OPERATOR);
    all.putAll(settings);
    Config config = ConfigFactory.parseMap(all);
    return new TestNode(ChatNode.start(config), remotePort, managementPort);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** This node's Artery address as CHAT_SEED_NODES names it. */
  public String seedAddress() {
    return "127.0.0.1:" + remotePort;
  }

  public ChatNode node() {
    return node;
  }

  @Override
  public void close() throws Exception {
    node.stop();
  }

  /**
   * {@code n} free ports, all held open while they are picked: picked one after the other, the
   * system may hand out the same port twice, and two listeners of one node then collide.
   */
  public static int[] freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0));
      }
      return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port was only looked at
        }
      }
    }
  }

}
