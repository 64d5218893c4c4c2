package chat.edge.metrics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: a {@code # HELP} and {@code # TYPE}
 * line per metric family, then its samples. The caller writes each family's samples together.
 */
public final class PrometheusText {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  /** Starts a family; {@code type} is counter, gauge, histogram, summary or untyped. */
  public PrometheusText family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  public PrometheusText sample(String name, double value) {
    return sample(name, Map.of(), value);
  }

  public PrometheusText sample(String name, Map<String, String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, String> label : new LinkedHashMap<>(labels).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(label.getKey()).append("=\"").append(escapeLabel(label.getValue())).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
    return this;
  }

  /** Labels in the order given. */
  public static Map<String, String> labels(String... namesAndValues) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      labels.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return labels;
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    // Plain digits (1795560623.382, not 1.795560623382E9): easier to read, parsed the same.
    return BigDecimal.valueOf(value).toPlainString();
  }

  private static String escapeHelp(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
