package chat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node's configuration as the environment variables of API.md and the Helm chart set it:
 * {@code ${?NAME}} substitutions resolve against the root of the config, so a map of variable
 * names stands in for the process environment.
 */
class ClusterDiscoveryTest {

  private static Config withEnvironment(Map<String, String> environment) {
    return ConfigFactory.load(ConfigFactory.parseMap(environment)
        .withFallback(ConfigFactory.parseResources("application.conf")));
  }

  @Test
  void seedNodesUnlessConfigured() {
    Config config = withEnvironment(Map.of());
    assertEquals(ClusterDiscovery.SEED_NODES, ClusterDiscovery.fromConfig(config));
    assertEquals("", config.getString("chat.cluster.seed-nodes"));
  }

  @Test
  void kubernetesApiFromChatDiscovery() {
    assertEquals(ClusterDiscovery.KUBERNETES_API,
        ClusterDiscovery.fromConfig(withEnvironment(Map.of("CHAT_DISCOVERY", "kubernetes-api"))));
    assertEquals(ClusterDiscovery.SEED_NODES,
        ClusterDiscovery.fromConfig(withEnvironment(Map.of("CHAT_DISCOVERY", "seed-nodes"))));
  }

  @Test
  void anUnknownMethodIsRefusedNamingTheVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterDiscovery.fromConfig(withEnvironment(Map.of("CHAT_DISCOVERY", "dns"))));
    assertTrue(e.getMessage().contains("CHAT_DISCOVERY"), e.getMessage());
    assertTrue(e.getMessage().contains("seed-nodes, kubernetes-api"), e.getMessage());
  }

  @Test
  void seedNodesBesideTheKubernetesApiAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterDiscovery.fromConfig(withEnvironment(Map.of(
            "CHAT_DISCOVERY", "kubernetes-api", "CHAT_SEED_NODES", "10.0.0.1:25520"))));
    assertTrue(e.getMessage().contains("CHAT_SEED_NODES must be empty"), e.getMessage());
  }

  @Test
  void kubernetesSettingsComeFromTheirVariables() {
    Config config = withEnvironment(Map.of(
        "CHAT_DISCOVERY", "kubernetes-api",
        "CHAT_K8S_POD_LABEL_SELECTOR", "app.kubernetes.io/name=chat-cluster,app.kubernetes.io/instance=prod",
        "CHAT_K8S_NAMESPACE", "chat-prod",
        "CHAT_REQUIRED_CONTACT_POINTS", "5",
        "CHAT_APP_VERSION", "1.4.2",
        "CHAT_REMOTE_HOST", "10.1.2.3"));
    assertEquals("app.kubernetes.io/name=chat-cluster,app.kubernetes.io/instance=prod",
        config.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertEquals("chat-prod", config.getString("pekko.discovery.kubernetes-api.pod-namespace"));
    assertEquals(5, config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals("1.4.2", config.getString("pekko.cluster.app-version"));
    assertEquals("10.1.2.3", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("10.1.2.3", config.getString("pekko.management.http.hostname"));
  }

  @Test
  void kubernetesDefaultsListPodsByIpWithTheirManagementPort() {
    Config config = withEnvironment(Map.of());
    Config discovery = config.getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
    assertEquals("kubernetes-api", discovery.getString("discovery-method"));
    assertEquals("management", discovery.getString("port-name"));
    assertEquals(2, discovery.getInt("required-contact-point-nr"));
    assertEquals("app=chat", config.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertTrue(config.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip"));
    // The namespace file of the pod's ServiceAccount decides.
    assertEquals("<pod-namespace>", config.getString("pekko.discovery.kubernetes-api.pod-namespace"));
    assertEquals("0.0.0", config.getString("pekko.cluster.app-version"));
  }
}
