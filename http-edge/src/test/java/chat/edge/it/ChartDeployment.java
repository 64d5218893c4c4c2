package chat.edge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat nodes' Deployment as {@code helm template} renders the chart (helm/chat-cluster), and
 * the environment Kubernetes would give one of its pods: the ConfigMap through envFrom, then env
 * with fieldRef and secretKeyRef values filled in.
 */
final class ChartDeployment {

  private static final Path CHART = Path.of(System.getProperty("chat.chart.dir", "../helm/chat-cluster"))
      .toAbsolutePath();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode deployment;
  private final Map<String, JsonNode> configMaps = new LinkedHashMap<>();

  private ChartDeployment(List<JsonNode> objects) {
    JsonNode found = null;
    for (JsonNode object : objects) {
      switch (object.path("kind").asText()) {
        case "Deployment" -> found = object;
        case "ConfigMap" -> configMaps.put(object.at("/metadata/name").asText(), object.path("data"));
        default -> { }
      }
    }
    if (found == null) {
      throw new IllegalStateException("the chart rendered no Deployment");
    }
    this.deployment = found;
  }

  static ChartDeployment render(String release, String namespace, Map<String, Object> values) throws IOException {
    TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace)
        .withKubeVersion("v1.31.0");
    for (Map.Entry<String, Object> value : values.entrySet()) {
      template = template.set(value.getKey(), value.getValue());
    }
    List<JsonNode> objects = YAML.readerFor(JsonNode.class).<JsonNode>readValues(template.call()).readAll()
        .stream().filter(o -> o != null && o.has("kind")).toList();
    return new ChartDeployment(objects);
  }

  private JsonNode container() {
    return deployment.at("/spec/template/spec/containers/0");
  }

  Map<String, String> podLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    deployment.at("/spec/template/metadata/labels").fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    container().path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  /** The container's HTTP probes: probe name → {path, port name}. */
  Map<String, List<String>> httpProbes() {
    Map<String, List<String>> probes = new LinkedHashMap<>();
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode get = container().path(probe).path("httpGet");
      if (!get.isMissingNode()) {
        probes.put(probe, List.of(get.path("path").asText(), get.path("port").asText()));
      }
    }
    return probes;
  }

  /**
   * The container's environment in the pod at {@code podIp}: envFrom ConfigMaps first, then env,
   * which wins. {@code secrets} holds "secretName/key" → value, as the cluster's Secrets would.
   */
  Map<String, String> environment(String podIp, String namespace, Map<String, String> secrets) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container().path("envFrom")) {
      String name = from.at("/configMapRef/name").asText();
      JsonNode data = configMaps.get(name);
      if (data == null) {
        throw new IllegalStateException("envFrom names ConfigMap " + name + ", which the chart did not render");
      }
      data.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode var : container().path("env")) {
      String name = var.path("name").asText();
      if (var.has("value")) {
        env.put(name, var.path("value").asText());
        continue;
      }
      JsonNode field = var.at("/valueFrom/fieldRef/fieldPath");
      JsonNode secret = var.at("/valueFrom/secretKeyRef");
      if (field.asText().equals("status.podIP")) {
        env.put(name, podIp);
      } else if (field.asText().equals("metadata.namespace")) {
        env.put(name, namespace);
      } else if (!secret.isMissingNode()) {
        String ref = secret.path("name").asText() + "/" + secret.path("key").asText();
        String value = secrets.get(ref);
        if (value == null) {
          throw new IllegalStateException(name + " needs Secret key " + ref + ", which the test did not provide");
        }
        env.put(name, value);
      } else {
        throw new IllegalStateException("env " + name + " has a source the test cannot fill: " + var);
      }
    }
    return env;
  }
}
