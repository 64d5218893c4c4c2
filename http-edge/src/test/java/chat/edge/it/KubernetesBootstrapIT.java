package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes configured exactly as the Helm chart configures its pods find each other through the
 * Kubernetes API: each "pod" is a node process on its own loopback address (127.0.0.1, .2, …),
 * all on the same ports, with the environment of the rendered Deployment, against a stand-in of
 * the API that lists them. A rolling restart in miniature: three form one cluster and chat, a
 * fourth joins, one is stopped with SIGTERM, and no acknowledged message is lost.
 */
class KubernetesBootstrapIT {

  private static final String RELEASE = "chat";
  private static final String NAMESPACE = "chat-k8s-it";
  private static final Duration FORM_DEADLINE = Duration.ofSeconds(90);
  private static final String PASSWORD = "k8s-cluster-password";
  private static final int EXIT_ON_SIGTERM = 128 + 15;

  /** The chart's values for a release on the test database, with secrets that already exist. */
  private static Map<String, Object> values(TestDatabases.TestDatabase db, int[] ports, int replicas) {
    URI url = URI.create(db.settings().jdbcUrl().substring("jdbc:".length()));
    Map<String, Object> values = new HashMap<>();
    values.put("replicaCount", replicas);
    values.put("ports.http", ports[0]);
    values.put("ports.management", ports[1]);
    values.put("ports.remoting", ports[2]);
    values.put("postgresql.enabled", false);
    values.put("externalDatabase.host", url.getHost());
    values.put("externalDatabase.port", url.getPort());
    values.put("externalDatabase.database", url.getPath().substring(1));
    values.put("externalDatabase.user", db.settings().user());
    values.put("externalDatabase.existingSecret", "chat-db");
    values.put("auth.existingSecret", "chat-jwt");
    return values;
  }

  /** The Secrets an operator created before installing: "name/key" → value. */
  private static Map<String, String> secrets(TestDatabases.TestDatabase db) {
    return Map.of("chat-db/password", db.settings().password(), "chat-jwt/jwt-secret", TestNode.JWT_SECRET);
  }

  @Test
  void podsFormOneClusterTakeAFourthAndLoseOneWithoutLosingAnAcknowledgedMessage(@TempDir Path dir)
      throws Exception {
    int[] ports = TestNode.freePorts(3);
    List<PodProcess> pods = new ArrayList<>();
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         KubernetesApiStandIn api = new KubernetesApiStandIn(dir, NAMESPACE)) {
      ChartDeployment chart = ChartDeployment.render(RELEASE, NAMESPACE, values(db, ports, 3));
      try {
        for (int i = 1; i <= 3; i++) {
          pods.add(startPod(chart, api, db, i, dir));
        }
        for (PodProcess pod : pods) {
          awaitMembersUp(pod, pods, ports[1]);
        }
        assertEquals(Set.of(chart.environment("", NAMESPACE, secrets(db)).get("CHAT_K8S_POD_LABEL_SELECTOR")),
            Set.copyOf(api.selectorsAsked), "every node lists pods with the chart's selector");
        // The chart's probes, asked as the kubelet would: the pod's IP, the named container port.
        Map<String, List<String>> probes = chart.httpProbes();
        assertEquals(Set.of("startupProbe", "readinessProbe", "livenessProbe"), probes.keySet());
        for (PodProcess pod : pods) {
          probes.forEach((probe, pathAndPort) -> {
            String url = "http://" + pod.ip + ":" + chart.containerPorts().get(pathAndPort.get(1)) + pathAndPort.get(0);
            assertEquals(200, ApiClient.getUrl(url).status(), probe + " " + url);
          });
        }

        // Chat across nodes: alice writes through pod 1, bob reads through pod 3.
        ApiClient api1 = new ApiClient(httpUrl(pods.get(0), ports[0]));
        ApiClient api2 = new ApiClient(httpUrl(pods.get(1), ports[0]));
        ApiClient api3 = new ApiClient(httpUrl(pods.get(2), ports[0]));
        assertStatus(201, api1.register("alice", PASSWORD, "Alice", "alice@example.com"), "register alice");
        assertStatus(201, api2.register("bob", PASSWORD, "Bob", "bob@example.com"), "register bob");
        String alice = assertStatus(200, api1.login("alice", PASSWORD), "alice logs in").text("accessToken");
        String bob = assertStatus(200, api3.login("bob", PASSWORD), "bob logs in").text("accessToken");
        assertStatus(201, api1.addFriend(alice, "bob"), "alice befriends bob");
        String roomId = assertStatus(201, api1.createRoom(alice, "rollout", "bob"), "create room").text("roomId");

        // Bob also follows the room live, over a WebSocket to pod 3, which stays to the end.
        try (WsClient bobWs = WsClient.connect(httpUrl(pods.get(2), ports[0]), bob);
             ClusterSupport.RestSender sender =
                 new ClusterSupport.RestSender(api1, alice, roomId, "k8s", Duration.ofMillis(20))) {
          assertEquals(0, ClusterSupport.subscribed(bobWs, roomId));
          ClusterSupport.Inbox bobLive = new ClusterSupport.Inbox("bob on pod 3", bobWs);
          sender.start();
          sender.awaitAcked(10);
          Poll.until("bob sees alice's messages through pod 3", ClusterSupport.DEADLINE,
              () -> ClusterSupport.history(api3, bob, roomId), messages -> messages.size() >= 10);

          // A fourth pod is scheduled (scale-up, or the surge pod of a rolling update) and joins.
          pods.add(startPod(chart, api, db, 4, dir));
          for (PodProcess pod : pods) {
            awaitMembersUp(pod, pods, ports[1]);
          }
          sender.awaitAcked(sender.ackedCount() + 10);

          // Pod 2 is terminated: it leaves the pod list and gets SIGTERM.
          PodProcess leaving = pods.remove(1);
          api.removePod(leaving.name);
          leaving.process.destroy();
          assertTrue(leaving.process.waitFor(JarNode.EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
              "pod 2 did not exit after SIGTERM\n" + leaving.output());
          assertEquals(EXIT_ON_SIGTERM, leaving.process.exitValue(), "exit status after SIGTERM\n" + leaving.output());
          assertTrue(leaving.output().contains("Running CoordinatedShutdown with reason [JvmExitReason]"),
              "SIGTERM runs coordinated shutdown\n" + leaving.output());
          for (PodProcess pod : pods) {
            awaitMembersUp(pod, pods, ports[1]);
          }
          sender.awaitAcked(sender.ackedCount() + 10);
          Map<String, Long> acked = sender.stop();

          // Every acknowledged message is in the room once, with the seq it was acknowledged with.
          ApiClient api4 = new ApiClient(httpUrl(pods.get(2), ports[0]));
          List<JsonNode> history = ClusterSupport.history(api4, bob, roomId);
          Map<String, Long> stored = new LinkedHashMap<>();
          history.forEach(m -> stored.put(m.get("clientMsgId").asText(), m.get("seq").asLong()));
          assertEquals(ClusterSupport.range(1, history.size()), ClusterSupport.seqs(history),
              () -> "history seqs " + ClusterSupport.describe(ClusterSupport.seqs(history)));
          acked.forEach((clientMsgId, seq) -> assertEquals(seq, stored.get(clientMsgId),
              () -> clientMsgId + " was acknowledged with seq " + seq));
          assertTrue(acked.size() >= 30, "messages acknowledged during the rollout: " + acked.size());

          bobLive.readThrough(acked.size(), ClusterSupport.DEADLINE);
          bobLive.drainWithPing();
          bobLive.assertMessagesExactly(1, acked.size());
        }
      } finally {
        for (PodProcess pod : pods) {
          pod.stop();
        }
      }
    }
  }

  @Test
  void aPodThatMayNotListPodsSaysSoAndStaysNotReady(@TempDir Path dir) throws Exception {
    int[] ports = TestNode.freePorts(3);
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         KubernetesApiStandIn api = new KubernetesApiStandIn(dir, NAMESPACE)) {
      api.forbidPodListing();
      ChartDeployment chart = ChartDeployment.render(RELEASE, NAMESPACE, values(db, ports, 1));
      PodProcess pod = startPod(chart, api, db, 1, dir);
      try {
        Poll.until("the node's line about the Kubernetes API", FORM_DEADLINE, () -> {
          assertTrue(pod.process.isAlive(), () -> "the node exited\n" + pod.output());
          return pod.output();
        }, output -> output.contains("Kubernetes API: cannot list the pods"));
        String line = pod.output().lines().filter(l -> l.contains("Kubernetes API: cannot list the pods"))
            .findFirst().orElseThrow();
        assertTrue(line.contains("Forbidden") && line.contains("Role"), line);
        assertTrue(line.contains(chart.environment("", NAMESPACE, secrets(db)).get("CHAT_K8S_POD_LABEL_SELECTOR")),
            line);
        assertEquals(1, pod.output().lines().filter(l -> l.contains("Kubernetes API:")).count(),
            "one line, not one per attempt");
        Response ready = ApiClient.getUrl(managementUrl(pod, ports[1]) + "/ready");
        assertEquals(500, ready.status(), "/ready of a node that joined no cluster: " + ready);
        assertTrue(pod.process.isAlive(), "the node keeps running and keeps trying");
      } finally {
        pod.stop();
      }
    }
  }

  private static PodProcess startPod(ChartDeployment chart, KubernetesApiStandIn api,
      TestDatabases.TestDatabase db, int ordinal, Path dir) throws Exception {
    String name = RELEASE + "-chat-cluster-" + ordinal;
    String ip = "127.0.0." + ordinal;
    // The API lists a pod once it runs; its labels and ports are those of the Deployment's template.
    api.addPod(new KubernetesApiStandIn.Pod(name, chart.podLabels(), ip, chart.containerPorts()));
    return PodProcess.start(name, ip, chart.environment(ip, NAMESPACE, secrets(db)), api, dir);
  }

  private static String httpUrl(PodProcess pod, int port) {
    return "http://" + pod.ip + ":" + port;
  }

  private static String managementUrl(PodProcess pod, int port) {
    return "http://" + pod.ip + ":" + port;
  }

  /** Waits until {@code pod} sees exactly {@code all} as its members, all Up, and answers /ready. */
  private static void awaitMembersUp(PodProcess pod, List<PodProcess> all, int managementPort) {
    Set<String> expected = new TreeSet<>();
    all.forEach(p -> expected.add(p.ip));
    try {
      Poll.until(pod.name + " sees " + expected + " Up", FORM_DEADLINE, () -> {
        assertTrue(pod.process.isAlive(), () -> pod.name + " exited");
        return ApiClient.getUrl(managementUrl(pod, managementPort) + "/cluster/members");
      }, r -> r.status() == 200 && upHosts(r.json()).equals(expected));
      Poll.until(pod.name + " /ready", FORM_DEADLINE,
          () -> ApiClient.getUrl(managementUrl(pod, managementPort) + "/ready"), r -> r.status() == 200);
    } catch (AssertionError e) {
      StringBuilder logs = new StringBuilder(e.getMessage());
      for (PodProcess other : all) {
        logs.append('\n').append(other.name).append("'s log:\n").append(other.output());
      }
      throw new AssertionError(logs.toString(), e);
    }
    assertFalse(pod.output().contains("Kubernetes API: cannot list"), pod.output());
  }

  private static Set<String> upHosts(JsonNode members) {
    Set<String> hosts = new TreeSet<>();
    for (JsonNode m : members.path("members")) {
      String node = m.path("node").asText();
      if ("Up".equals(m.path("status").asText())) {
        hosts.add(node.substring(node.indexOf('@') + 1, node.lastIndexOf(':')));
      } else {
        hosts.add(node + " " + m.path("status").asText());
      }
    }
    return hosts;
  }
}
