package chat.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generated secrets are made once: an upgrade finds the Secret in the cluster and keeps its value,
 * so sessions survive and Postgres keeps the password it was initialised with.
 */
class GeneratedSecretsTest {

  private static final String AUTH = "chat-chat-cluster-auth";
  private static final String POSTGRES = "chat-chat-cluster-postgresql";

  @AfterEach
  void emptyCluster() {
    FakeKubernetesApi.get().clearSecrets();
  }

  private static String data(Rendered r, String secret, String key) {
    return r.find("Secret", secret).orElseThrow(() -> new AssertionError("Secret " + secret))
        .at("/data/" + key).asText();
  }

  @Test
  void aFreshInstallGetsStrongRandomValues() {
    Rendered first = Chart.render(null);
    Rendered second = Chart.render(null);
    byte[] key = Base64.getDecoder().decode(data(first, AUTH, "jwt-secret"));
    assertTrue(key.length >= 32, "the JWT key has at least 32 bytes, got " + key.length);
    assertNotEquals(data(first, AUTH, "jwt-secret"), data(second, AUTH, "jwt-secret"));
    assertNotEquals(data(first, POSTGRES, "password"), data(second, POSTGRES, "password"));
  }

  @Test
  void anUpgradeKeepsTheValuesAlreadyInTheCluster() {
    String key = Base64.getEncoder().encodeToString("the-key-the-cluster-already-signs-with-0123".getBytes());
    String password = Base64.getEncoder().encodeToString("the-password-postgres-was-initialised-with".getBytes());
    FakeKubernetesApi.get().putSecret(Chart.NAMESPACE, AUTH, Map.of("jwt-secret", key));
    FakeKubernetesApi.get().putSecret(Chart.NAMESPACE, POSTGRES, Map.of("password", password));
    Rendered upgrade = Chart.render(null);
    assertEquals(key, data(upgrade, AUTH, "jwt-secret"));
    assertEquals(password, data(upgrade, POSTGRES, "password"));
  }

  @Test
  void aSecretInTheClusterWithoutTheKeyGetsANewValue() {
    String other = Base64.getEncoder().encodeToString("something-else".getBytes());
    FakeKubernetesApi.get().putSecret(Chart.NAMESPACE, AUTH, Map.of("other-key", other));
    String key = data(Chart.render(null), AUTH, "jwt-secret");
    assertTrue(Base64.getDecoder().decode(key).length >= 32, "a new key of at least 32 bytes");
  }

  @Test
  void generatedSecretsOutliveAnUninstall() {
    Rendered r = Chart.render(null);
    for (String secret : new String[] {AUTH, POSTGRES}) {
      assertEquals("keep", r.find("Secret", secret).orElseThrow()
          .at("/metadata/annotations/helm.sh~1resource-policy").asText(), secret);
    }
  }
}
