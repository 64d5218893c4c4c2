package chat.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each value set is for shows in what it renders. */
class ValueSetsTest {

  @Test
  void defaultsRunThreeNodesOnTheReleasesOwnPostgres() {
    Rendered r = Chart.render(null);
    assertEquals(3, r.deployment().at("/spec/replicas").asInt());
    assertTrue(r.ofKind("HorizontalPodAutoscaler").isEmpty());
    assertTrue(r.ofKind("Ingress").isEmpty());
    assertTrue(r.ofKind("ServiceMonitor").isEmpty());

    JsonNode postgres = r.one("StatefulSet");
    String postgresName = postgres.at("/metadata/name").asText();
    assertEquals(1, postgres.at("/spec/replicas").asInt());
    assertEquals("8Gi", postgres.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText());
    JsonNode postgresService = r.find("Service", postgresName).orElseThrow();
    assertEquals(5432, postgresService.at("/spec/ports/0/port").asInt());
    Map<String, String> config = r.configMapEnv();
    assertEquals("jdbc:postgresql://" + postgresName + ":5432/chat", config.get("CHAT_DB_URL"));
    assertEquals("chat", config.get("CHAT_DB_USER"));
    // The nodes and Postgres open the same generated password.
    String nodeSecret = r.containerEnv().get("CHAT_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText();
    assertEquals(postgresName, nodeSecret);
    assertEquals(nodeSecret, postgres.at("/spec/template/spec/containers/0/env").findParent("secretKeyRef")
        .at("/secretKeyRef/name").asText());
    assertTrue(r.find("Secret", nodeSecret).isPresent());
    assertTrue(r.find("Secret", r.containerEnv().get("CHAT_JWT_SECRET").at("/valueFrom/secretKeyRef/name").asText())
        .isPresent(), "generated JWT key Secret");
    assertFalse(config.containsKey("CHAT_KAFKA_BOOTSTRAP_SERVERS"));
    assertFalse(config.containsKey("CHAT_ADMIN_USERS"));
    assertFalse(config.containsKey("CHAT_CLIENT_ADDRESS"), "without an Ingress, clients are the TCP peers");
    assertEquals("chat-node:0.1.0", r.nodeContainer().path("image").asText());
  }

  @Test
  void ingressAutoscalingAndMonitoring() {
    Rendered r = Chart.render("ingress-hpa-monitoring.yaml");
    String fullname = r.deployment().at("/metadata/name").asText();
    assertTrue(r.deployment().at("/spec/replicas").isMissingNode(), "the HPA owns the replica count");
    JsonNode hpa = r.one("HorizontalPodAutoscaler");
    assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
    assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
    assertEquals(fullname, hpa.at("/spec/scaleTargetRef/name").asText());
    assertEquals(3, hpa.at("/spec/minReplicas").asInt());
    assertEquals(12, hpa.at("/spec/maxReplicas").asInt());
    assertEquals("cpu", hpa.at("/spec/metrics/0/resource/name").asText());
    assertEquals(65, hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt());

    JsonNode ingress = r.one("Ingress");
    assertEquals("nginx", ingress.at("/spec/ingressClassName").asText());
    assertEquals("3600", ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asText());
    assertEquals("3600", ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-send-timeout").asText());
    assertEquals("chat.example.org", ingress.at("/spec/rules/0/host").asText());
    assertEquals("chat.example.org", ingress.at("/spec/tls/0/hosts/0").asText());
    assertEquals("chat-example-org-tls", ingress.at("/spec/tls/0/secretName").asText());
    assertEquals("x-forwarded-for", r.configMapEnv().get("CHAT_CLIENT_ADDRESS"), "limits per client, not per controller");

    JsonNode monitor = r.one("ServiceMonitor");
    assertEquals("kube-prometheus-stack", monitor.at("/metadata/labels/release").asText());
    assertEquals("15s", monitor.at("/spec/endpoints/0/interval").asText());
    assertEquals("ops-alice,ops-bob", r.configMapEnv().get("CHAT_ADMIN_USERS"));
  }

  @Test
  void externalDatabaseWithExistingSecretsRendersNoSecretAndNoPostgres() {
    Rendered r = Chart.render("external-database.yaml");
    assertTrue(r.ofKind("StatefulSet").isEmpty());
    assertTrue(r.ofKind("Secret").isEmpty(), "every secret exists already");
    assertEquals("jdbc:postgresql://chat-db.prod.internal:6432/chat_prod?sslmode=require",
        r.configMapEnv().get("CHAT_DB_URL"));
    assertEquals("chat_app", r.configMapEnv().get("CHAT_DB_USER"));
    Map<String, JsonNode> env = r.containerEnv();
    assertEquals("chat-db-credentials", env.get("CHAT_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    assertEquals("db-password", env.get("CHAT_DB_PASSWORD").at("/valueFrom/secretKeyRef/key").asText());
    assertEquals("chat-jwt", env.get("CHAT_JWT_SECRET").at("/valueFrom/secretKeyRef/name").asText());
    assertEquals("signing-key", env.get("CHAT_JWT_SECRET").at("/valueFrom/secretKeyRef/key").asText());
    assertEquals("registry.example.org/chat/chat-node:0.1.0", r.nodeContainer().path("image").asText());
    assertEquals("registry-credentials", r.deployment().at("/spec/template/spec/imagePullSecrets/0/name").asText());
  }

  @Test
  void externalDatabaseWithAPasswordValueGetsItsOwnSecret() {
    Rendered r = Chart.render("external-database.yaml",
        Map.of("externalDatabase.existingSecret", "", "externalDatabase.password", "s3cret-db-pw"));
    JsonNode ref = r.containerEnv().get("CHAT_DB_PASSWORD").at("/valueFrom/secretKeyRef");
    JsonNode secret = r.find("Secret", ref.path("name").asText()).orElseThrow();
    assertEquals("czNjcmV0LWRiLXB3", secret.at("/data/" + ref.path("key").asText()).asText());
    assertFalse(r.one("ConfigMap").toString().contains("s3cret"), "the password is not in the ConfigMap");
  }

  @Test
  void kafkaBrokersReachTheNodes() {
    Map<String, String> config = Chart.render("kafka.yaml").configMapEnv();
    assertEquals("kafka-0.kafka-headless:9092,kafka-1.kafka-headless:9092,kafka-2.kafka-headless:9092",
        config.get("CHAT_KAFKA_BOOTSTRAP_SERVERS"));
    assertEquals("16", config.get("CHAT_KAFKA_PARTITIONS"));
  }

  @Test
  void fiveReplicasWithTheirOwnPlacementAndSettings() {
    Rendered r = Chart.render("five-replicas.yaml");
    assertEquals(5, r.deployment().at("/spec/replicas").asInt());
    assertEquals("5", r.configMapEnv().get("CHAT_REQUIRED_CONTACT_POINTS"));
    assertEquals("2026.11.30-1", r.configMapEnv().get("CHAT_APP_VERSION"));
    assertEquals("-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC", r.configMapEnv().get("JAVA_OPTS"));
    JsonNode pod = r.deployment().at("/spec/template/spec");
    assertEquals(1, pod.path("topologySpreadConstraints").size(), "the configured constraints replace the defaults");
    assertEquals("DoNotSchedule", pod.at("/topologySpreadConstraints/0/whenUnsatisfiable").asText());
    assertEquals("node-pool", pod.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
        + "/nodeSelectorTerms/0/matchExpressions/0/key").asText());
    assertEquals("32", r.containerEnv().get("CHAT_KAFKA_PARTITIONS").path("value").asText());
    assertEquals("chat-site-settings", r.nodeContainer().at("/envFrom/1/configMapRef/name").asText());
    assertEquals("4Gi", r.nodeContainer().at("/resources/limits/memory").asText());
    assertEquals(90, pod.path("terminationGracePeriodSeconds").asInt());
  }

  @Test
  void aChangedSettingChangesTheChecksumThatRollsThePods() {
    String checksum = checksum(Chart.render(null));
    assertEquals(checksum, checksum(Chart.render(null)), "the same values give the same checksum");
    assertNotEquals(checksum, checksum(Chart.render(null, Map.of("adminUsers", "ops-carol"))));
    assertNotEquals(checksum, checksum(Chart.render("kafka.yaml")));
  }

  private static String checksum(Rendered r) {
    String value = r.deployment().at("/spec/template/metadata/annotations/checksum~1config").asText();
    assertTrue(value.matches("[0-9a-f]{64}"), () -> "checksum/config: " + value);
    return value;
  }
}
