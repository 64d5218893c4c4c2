package chat.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that cannot work stop {@code helm install} with a message that names what to change. */
class RefusedValuesTest {

  private static void assertRefused(Map<String, Object> values, String... expected) {
    Exception e = assertThrows(Exception.class, () -> Chart.render(null, values), () -> "accepted " + values);
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
    }
  }

  @Test
  void theSchemaRefusesWrongTypesRangesAndNames() {
    assertRefused(Map.of("replicaCount", 0), "replicaCount");
    assertRefused(Map.of("ports.http", "eighty"), "ports", "http");
    assertRefused(Map.of("ports.management", 70000), "ports", "management");
    assertRefused(Map.of("service.type", "Public"), "service", "type");
    assertRefused(Map.of("replicas", 3), "replicas");
    assertRefused(Map.of("kafka.bootstrapServers", "kafka"), "kafka", "bootstrapServers");
    assertRefused(Map.of("autoscaling.targetCPUUtilizationPercentage", 150), "targetCPUUtilizationPercentage");
    assertRefused(Map.of("cluster.appVersion", "latest"), "appVersion");
  }

  @Test
  void aClusterWithoutADatabaseIsRefused() {
    assertRefused(Map.of("postgresql.enabled", false), "No database", "postgresql.enabled", "externalDatabase.host");
  }

  @Test
  void twoDatabasesAreRefused() {
    assertRefused(Map.of("externalDatabase.host", "db.example.org", "externalDatabase.password", "pw"),
        "postgresql.enabled=false");
  }

  @Test
  void anExternalDatabaseWithoutItsPasswordIsRefused() {
    assertRefused(Map.of("postgresql.enabled", false, "externalDatabase.host", "db.example.org"),
        "externalDatabase.existingSecret");
  }

  @Test
  void aGracePeriodShorterThanTheShutdownIsRefused() {
    assertRefused(Map.of("shutdown.terminationGracePeriodSeconds", 30), "terminationGracePeriodSeconds", "55");
  }

  @Test
  void moreContactPointsThanNodesIsRefused() {
    assertRefused(Map.of("cluster.requiredContactPoints", 4), "requiredContactPoints", "never form");
  }

  @Test
  void autoscalingWithMaximumBelowMinimumIsRefused() {
    assertRefused(Map.of("autoscaling.enabled", true, "autoscaling.minReplicas", 5, "autoscaling.maxReplicas", 3),
        "maxReplicas");
  }
}
