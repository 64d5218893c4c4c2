package chat.helm;

import java.util.stream.Stream;

/** The value sets every rendering invariant is checked with: the defaults and realistic installs. */
final class ValueSets {

  static final String DEFAULTS = "defaults";

  private ValueSets() {}

  static Stream<String> all() {
    return Stream.of(DEFAULTS, "ingress-hpa-monitoring.yaml", "external-database.yaml", "kafka.yaml",
        "five-replicas.yaml");
  }

  static Rendered render(String valueSet) {
    return Chart.render(DEFAULTS.equals(valueSet) ? null : valueSet);
  }
}
