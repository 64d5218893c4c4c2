package chat.bench;

/**
 * One row of the results: a figure of one scenario, and where one exists the same figure of its
 * baseline. {@code ratio} is value / baseline (for latencies, above 1 means slower than the baseline). A value of NaN
 * means not measured (a latency of a series without a single sample).
 */
public record Metric(String scenario, String name, String unit, double value, String baselineName, Double baseline) {

  public static Metric of(String scenario, String name, String unit, double value) {
    return new Metric(scenario, name, unit, value, null, null);
  }

  public Double ratio() {
    double ratio = baseline == null ? Double.NaN : value / baseline;
    return Double.isFinite(ratio) ? ratio : null;
  }
}
