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

  /** The configured method; refuses an unknown one, and seed nodes beside the Kubernetes API. */
  static ClusterDiscovery fromConfig(Config config) {
    String configured = config.getString(KEY).strip();
    ClusterDiscovery discovery = Arrays.stream(values())
        .filter(d -> d.value.equals(configured))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("CHAT_DISCOVERY (" + KEY + ") must be one of "
            + Arrays.stream(values()).map(d -> d.value).collect(Collectors.joining(", ")) + ", got '"
            + configured + "'"));
    // Both at once would be ignored seed nodes at best; say so rather than guess what was meant.
    if (discovery == KUBERNETES_API && !config.getString("chat.cluster.seed-nodes").isBlank()) {
      throw new IllegalArgumentException(
          "CHAT_SEED_NODES must be empty with CHAT_DISCOVERY=kubernetes-api: the nodes are found through the Kubernetes API");
    }
    return discovery;
  }

  @Override
  public String toString() {
    return value;
  }
}
