package chat.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects {@code helm template} rendered, parsed from its YAML stream. */
record Rendered(String yaml, List<JsonNode> objects) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Rendered parse(String yaml) {
    try {
      List<JsonNode> objects = new ArrayList<>();
      for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
        if (doc != null && doc.has("kind")) {
          objects.add(doc);
        }
      }
      return new Rendered(yaml, objects);
    } catch (IOException e) {
      throw new UncheckedIOException("unparseable template output:\n" + yaml, e);
    }
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
  }

  JsonNode one(String kind) {
    List<JsonNode> all = ofKind(kind);
    assertEquals(1, all.size(), () -> "one " + kind + " expected, got " + all.size());
    return all.get(0);
  }

  JsonNode deployment() {
    return one("Deployment");
  }

  JsonNode nodeContainer() {
    JsonNode containers = deployment().at("/spec/template/spec/containers");
    assertEquals(1, containers.size(), "containers of the Deployment");
    return containers.get(0);
  }

  /** The chat nodes' ConfigMap, as the environment it gives the container. */
  Map<String, String> configMapEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    one("ConfigMap").path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** The container's env entries by name. */
  Map<String, JsonNode> containerEnv() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    nodeContainer().path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  static Map<String, String> labels(JsonNode labels) {
    Map<String, String> map = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** Whether a matchLabels-style selector selects an object with these labels. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
