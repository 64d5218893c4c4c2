package chat.bench;

import java.util.List;
import java.util.Locale;

/** The results as a plain-text table for the terminal, one row per figure. */
public final class ResultsTable {

  private ResultsTable() {
  }

  public static String render(List<Metric> metrics) {
    StringBuilder out = new StringBuilder();
    String format = "%-14s %-40s %14s %-6s %14s %8s  %s%n";
    out.append(String.format(Locale.ROOT, format, "scenario", "metric", "value", "unit", "baseline", "ratio", "baseline of"));
    for (Metric m : metrics) {
      out.append(String.format(Locale.ROOT, format, m.scenario(), m.name(), number(m.value()), m.unit(),
          m.baseline() == null ? "" : number(m.baseline()),
          m.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", m.ratio()),
          m.baselineName() == null ? "" : m.baselineName()));
    }
    return out.toString();
  }

  /** Whole numbers without decimals, others with up to three significant decimals. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
  }
}
