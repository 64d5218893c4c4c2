package chat.edge;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a node finds the rest of its cluster: {@code chat.cluster.discovery} ({@code CHAT_DISCOVERY}). */
enum ClusterDiscovery {
  /** Join the Artery addresses of {@code chat.cluster.seed-nodes}, or form a cluster of one. */
  SEED_NODES("seed-nodes"),
  /** Pekko Cluster Bootstrap with contact points listed by the Kubernetes API (bootstrap.conf). */
  KUBERNETES_API("kubernetes-api");

  static final String KEY = "chat.cluster.discovery";

  private final String value;

  ClusterDiscovery(String value) {
    this.value = value;
  }

  static ClusterDiscovery fromConfig(Config config) {
    String configured = config.getString(KEY).strip();
    return Arrays.stream(values())
        .filter(d -> d.value.equals(configured))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("CHAT_DISCOVERY (" + KEY + ") must be one of "
            + Arrays.stream(values()).map(d -> d.value).collect(Collectors.joining(", ")) + ", got '"
            + configured + "'"));
  }

  @Override
  public String toString() {
    return value;
  }
}
