package chat.helm;

import static chat.helm.Rendered.labels;
import static chat.helm.Rendered.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What must hold for every value set: the rendered objects fit together as Kubernetes reads them. */
class RenderedInvariantsTest {

  private static final String VALUE_SETS = "chat.helm.ValueSets#all";
  private static final Pattern SENSITIVE = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|KEY).*");

  private static Map<String, String> nodePodLabels(Rendered r) {
    return labels(r.deployment().at("/spec/template/metadata/labels"));
  }

  private static Map<String, String> parseSelector(String selector) {
    Map<String, String> map = new HashMap<>();
    for (String pair : selector.split(",")) {
      String[] kv = pair.split("=", 2);
      assertEquals(2, kv.length, () -> "equality-based label selector expected: " + selector);
      map.put(kv[0].strip(), kv[1].strip());
    }
    return map;
  }

  private static Map<String, Integer> containerPorts(JsonNode container) {
    Map<String, Integer> ports = new HashMap<>();
    container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void workloadSelectorsMatchTheirPodLabels(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    for (String kind : List.of("Deployment", "StatefulSet")) {
      for (JsonNode workload : r.ofKind(kind)) {
        Map<String, String> selector = labels(workload.at("/spec/selector/matchLabels"));
        Map<String, String> pods = labels(workload.at("/spec/template/metadata/labels"));
        assertTrue(selects(selector, pods), () -> kind + " selector " + selector + " vs pod labels " + pods);
      }
    }
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void servicesAndBudgetSelectTheChatNodesAndNothingElse(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    Map<String, String> nodes = nodePodLabels(r);
    List<Map<String, String>> postgres = r.ofKind("StatefulSet").stream()
        .map(s -> labels(s.at("/spec/template/metadata/labels"))).toList();
    String fullname = r.deployment().at("/metadata/name").asText();
    for (String name : List.of(fullname, fullname + "-management")) {
      JsonNode service = r.find("Service", name).orElseThrow(() -> new AssertionError("Service " + name));
      Map<String, String> selector = labels(service.at("/spec/selector"));
      assertTrue(selects(selector, nodes), () -> name + " selector " + selector + " vs " + nodes);
      postgres.forEach(p -> assertFalse(selects(selector, p), () -> name + " also selects the Postgres pod"));
    }
    Map<String, String> budget = labels(r.one("PodDisruptionBudget").at("/spec/selector/matchLabels"));
    assertTrue(selects(budget, nodes), () -> "PDB selector " + budget);
    assertEquals(1, r.one("PodDisruptionBudget").at("/spec/maxUnavailable").asInt());
    for (JsonNode spread : r.deployment().at("/spec/template/spec/topologySpreadConstraints")) {
      Map<String, String> selector = labels(spread.at("/labelSelector/matchLabels"));
      assertTrue(selects(selector, nodes), () -> "topology spread selector " + selector);
    }
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void discoveryFindsTheChatNodesAndOnlyThem(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    Map<String, String> config = r.configMapEnv();
    assertEquals("kubernetes-api", config.get("CHAT_DISCOVERY"));
    Map<String, String> selector = parseSelector(config.get("CHAT_K8S_POD_LABEL_SELECTOR"));
    // The same labels the Deployment owns its pods by: no other pod can be taken for a contact point.
    assertEquals(labels(r.deployment().at("/spec/selector/matchLabels")), selector);
    assertTrue(selects(selector, nodePodLabels(r)));
    r.ofKind("StatefulSet").forEach(s -> assertFalse(
        selects(selector, labels(s.at("/spec/template/metadata/labels"))), "discovery selects the Postgres pod"));

    Map<String, JsonNode> env = r.containerEnv();
    assertEquals("status.podIP", env.get("CHAT_REMOTE_HOST").at("/valueFrom/fieldRef/fieldPath").asText());
    assertEquals("metadata.namespace", env.get("CHAT_K8S_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText());
    assertEquals(r.deployment().at("/metadata/name").asText(),
        r.nodeContainer().at("/envFrom/0/configMapRef/name").asText(), "the ConfigMap comes first in envFrom");
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void requiredContactPointsAreTheNodesTheReleaseStartsWith(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    JsonNode replicas = r.deployment().at("/spec/replicas");
    int starting = replicas.isMissingNode() ? r.one("HorizontalPodAutoscaler").at("/spec/minReplicas").asInt()
        : replicas.asInt();
    assertEquals(Integer.toString(starting), r.configMapEnv().get("CHAT_REQUIRED_CONTACT_POINTS"));
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void theRoleGrantsExactlyPodReadingToThePodsServiceAccount(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    JsonNode role = r.one("Role");
    JsonNode rules = role.path("rules");
    assertEquals(1, rules.size(), () -> "rules: " + rules);
    JsonNode rule = rules.get(0);
    assertEquals(List.of(""), texts(rule.path("apiGroups")));
    assertEquals(List.of("pods"), texts(rule.path("resources")));
    assertEquals(Set.of("get", "watch", "list"), new HashSet<>(texts(rule.path("verbs"))));
    assertEquals(3, rule.path("verbs").size());
    assertTrue(rule.path("resourceNames").isMissingNode(), "no resourceNames: discovery lists all matching pods");

    JsonNode binding = r.one("RoleBinding");
    assertEquals("Role", binding.at("/roleRef/kind").asText());
    assertEquals(role.at("/metadata/name").asText(), binding.at("/roleRef/name").asText());
    String serviceAccount = r.deployment().at("/spec/template/spec/serviceAccountName").asText();
    JsonNode subjects = binding.path("subjects");
    assertEquals(1, subjects.size());
    assertEquals("ServiceAccount", subjects.get(0).path("kind").asText());
    assertEquals(serviceAccount, subjects.get(0).path("name").asText());
    assertEquals(Chart.NAMESPACE, subjects.get(0).path("namespace").asText());
    assertTrue(r.find("ServiceAccount", serviceAccount).isPresent(), "ServiceAccount " + serviceAccount);
    assertTrue(r.ofKind("ClusterRole").isEmpty() && r.ofKind("ClusterRoleBinding").isEmpty(),
        "no cluster-wide rights");
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void probesAskPekkoManagementOnItsPort(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    JsonNode container = r.nodeContainer();
    Map<String, Integer> ports = containerPorts(container);
    assertEquals(Integer.parseInt(r.configMapEnv().get("CHAT_MANAGEMENT_PORT")), ports.get("management"));
    Map<String, String> expectedPaths = Map.of("readinessProbe", "/ready", "livenessProbe", "/alive",
        "startupProbe", "/alive");
    expectedPaths.forEach((probe, path) -> {
      JsonNode get = container.path(probe).path("httpGet");
      assertEquals(path, get.path("path").asText(), probe);
      assertEquals("management", get.path("port").asText(), probe);
      // Pekko Management answers within its 1 s health-check timeout; the kubelet must wait longer.
      assertTrue(container.path(probe).path("timeoutSeconds").asInt() > 1, probe + " timeoutSeconds");
    });
    assertTrue(container.at("/startupProbe/failureThreshold").asInt() * container.at("/startupProbe/periodSeconds").asInt()
        > container.at("/livenessProbe/failureThreshold").asInt() * container.at("/livenessProbe/periodSeconds").asInt(),
        "the startup allowance is longer than the liveness allowance");
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void portsAgreeBetweenSettingsContainerServicesIngressAndMonitor(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    Map<String, String> config = r.configMapEnv();
    Map<String, Integer> ports = containerPorts(r.nodeContainer());
    assertEquals(Integer.parseInt(config.get("CHAT_HTTP_PORT")), ports.get("http"));
    assertEquals(Integer.parseInt(config.get("CHAT_REMOTE_PORT")), ports.get("remoting"));
    String fullname = r.deployment().at("/metadata/name").asText();
    for (JsonNode service : r.ofKind("Service")) {
      Map<String, Integer> targets = service.at("/spec/selector/app.kubernetes.io~1component").asText().equals("postgresql")
          ? containerPorts(r.one("StatefulSet").at("/spec/template/spec/containers/0")) : ports;
      service.at("/spec/ports").forEach(p -> assertTrue(targets.containsKey(p.path("targetPort").asText()),
          () -> service.at("/metadata/name") + " targets port " + p.path("targetPort") + ", container ports " + targets));
    }
    JsonNode httpService = r.find("Service", fullname).orElseThrow();
    Set<String> httpServicePorts = new HashSet<>();
    httpService.at("/spec/ports").forEach(p -> httpServicePorts.add(p.path("name").asText()));
    for (JsonNode ingress : r.ofKind("Ingress")) {
      for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
        assertEquals(fullname, path.at("/backend/service/name").asText());
        assertTrue(httpServicePorts.contains(path.at("/backend/service/port/name").asText()));
      }
    }
    for (JsonNode monitor : r.ofKind("ServiceMonitor")) {
      assertTrue(selects(labels(monitor.at("/spec/selector/matchLabels")), labels(httpService.at("/metadata/labels"))),
          "the ServiceMonitor selects the HTTP Service");
      assertEquals("http", monitor.at("/spec/endpoints/0/port").asText());
      assertEquals("/metrics", monitor.at("/spec/endpoints/0/path").asText());
    }
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void secretsReachContainersOnlyThroughSecretKeyRefs(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    r.configMapEnv().keySet().forEach(key -> assertFalse(SENSITIVE.matcher(key).matches(),
        () -> "the ConfigMap holds " + key));
    Map<String, JsonNode> renderedSecrets = new HashMap<>();
    r.ofKind("Secret").forEach(s -> renderedSecrets.put(s.at("/metadata/name").asText(), s));
    for (String kind : List.of("Deployment", "StatefulSet")) {
      for (JsonNode workload : r.ofKind(kind)) {
        for (JsonNode container : workload.at("/spec/template/spec/containers")) {
          for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (!SENSITIVE.matcher(name).matches()) {
              continue;
            }
            assertTrue(env.path("value").isMissingNode(), () -> name + " has a literal value");
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            assertFalse(ref.isMissingNode(), () -> name + " must come from a secretKeyRef");
            JsonNode secret = renderedSecrets.get(ref.path("name").asText());
            if (secret != null) {
              assertTrue(secret.path("data").has(ref.path("key").asText()),
                  () -> name + ": Secret " + ref.path("name") + " has no key " + ref.path("key"));
            }
          }
        }
      }
    }
    Map<String, JsonNode> env = r.containerEnv();
    assertNotNull(env.get("CHAT_DB_PASSWORD"), "CHAT_DB_PASSWORD");
    assertNotNull(env.get("CHAT_JWT_SECRET"), "CHAT_JWT_SECRET");
    for (JsonNode secret : r.ofKind("Secret")) {
      secret.path("data").elements().forEachRemaining(value ->
          assertFalse(r.one("ConfigMap").toString().contains(value.asText()), "a secret value in the ConfigMap"));
    }
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void nodesRollOneAtATimeAndShutDownWithinTheirGracePeriod(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    JsonNode strategy = r.deployment().at("/spec/strategy");
    assertEquals("RollingUpdate", strategy.path("type").asText());
    assertEquals(1, strategy.at("/rollingUpdate/maxSurge").asInt());
    assertEquals(0, strategy.at("/rollingUpdate/maxUnavailable").asInt());
    assertTrue(r.deployment().at("/spec/minReadySeconds").asInt() >= 20, "a new node warms up before the next one stops");
    String preStop = String.join(" ", texts(r.nodeContainer().at("/lifecycle/preStop/exec/command")));
    Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(preStop);
    assertTrue(sleep.find(), () -> "preStop sleeps: " + preStop);
    int grace = r.deployment().at("/spec/template/spec/terminationGracePeriodSeconds").asInt();
    assertTrue(grace >= Integer.parseInt(sleep.group(1)) + 50,
        () -> "grace period " + grace + " s covers the preStop pause and coordinated shutdown");
  }

  @ParameterizedTest
  @MethodSource(VALUE_SETS)
  void containersRunAsNonRootOnAReadOnlyRootWithAWritableTmp(String valueSet) {
    Rendered r = ValueSets.render(valueSet);
    JsonNode pod = r.deployment().at("/spec/template/spec");
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
    JsonNode security = r.nodeContainer().path("securityContext");
    assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
    assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals(List.of("ALL"), texts(security.at("/capabilities/drop")));
    JsonNode tmp = null;
    for (JsonNode mount : r.nodeContainer().path("volumeMounts")) {
      if ("/tmp".equals(mount.path("mountPath").asText())) {
        tmp = mount;
      }
    }
    assertNotNull(tmp, "/tmp is mounted");
    String volume = tmp.path("name").asText();
    boolean emptyDir = false;
    for (JsonNode v : pod.path("volumes")) {
      emptyDir |= volume.equals(v.path("name").asText()) && v.has("emptyDir");
    }
    assertTrue(emptyDir, "/tmp is an emptyDir");
    for (JsonNode postgres : r.ofKind("StatefulSet")) {
      assertTrue(postgres.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean());
      assertTrue(postgres.at("/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem").asBoolean());
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
