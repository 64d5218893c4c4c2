package chat.bench;

import chat.bench.LatencyRecorder.Latencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bar chart of latency percentiles (p50, p95, p99, max) per series, on a logarithmic axis so
 * that sub-millisecond medians and second-long maxima both stay readable.
 */
public final class SvgChart {

  private static final List<String> PERCENTILES = List.of("p50", "p95", "p99", "max");
  private static final List<String> COLOURS = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2");
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int PLOT_HEIGHT = 300;
  private static final int GROUP_WIDTH = 130;
  private static final int BAR_WIDTH = 24;
  private static final double FLOOR_MS = 0.01;

  private SvgChart() {
  }

  public static void write(Path file, String title, Map<String, Latencies> series) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(title, series), StandardCharsets.UTF_8);
  }

  static String render(String title, Map<String, Latencies> all) {
    Map<String, Latencies> series = new LinkedHashMap<>();
    all.forEach((label, l) -> {
      if (l.count() > 0) { // a series without samples has no bars to draw
        series.put(label, l);
      }
    });
    double top = series.values().stream().mapToDouble(Latencies::max).max().orElse(1);
    int decadeLow = (int) Math.floor(Math.log10(FLOOR_MS));
    int decadeHigh = Math.max(decadeLow + 1, (int) Math.ceil(Math.log10(Math.max(top, FLOOR_MS * 10))));
    int width = LEFT + Math.max(1, series.size()) * GROUP_WIDTH + 20;
    int height = TOP + PLOT_HEIGHT + 90;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
        LEFT, escape(title)));
    for (int d = decadeLow; d <= decadeHigh; d++) {
      double y = y(Math.pow(10, d), decadeLow, decadeHigh);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          LEFT, y, width - 20, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
          LEFT - 6, y + 4, ResultsTable.number(Math.pow(10, d))));
    }
    int group = 0;
    for (Map.Entry<String, Latencies> entry : series.entrySet()) {
      Latencies l = entry.getValue();
      double[] values = {l.p50(), l.p95(), l.p99(), l.max()};
      int x0 = LEFT + group * GROUP_WIDTH + 10;
      for (int i = 0; i < values.length; i++) {
        double y = y(Math.max(values[i], FLOOR_MS), decadeLow, decadeHigh);
        int x = x0 + i * (BAR_WIDTH + 4);
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s ms</title></rect>%n",
            x, y, BAR_WIDTH, TOP + PLOT_HEIGHT - y, COLOURS.get(i), escape(entry.getKey()), PERCENTILES.get(i),
            ResultsTable.number(values[i])));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%s</text>%n",
            x + BAR_WIDTH / 2, y - 3, ResultsTable.number(values[i])));
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          x0 + 2 * (BAR_WIDTH + 4) - 2, TOP + PLOT_HEIGHT + 18, escape(entry.getKey())));
      group++;
    }
    for (int i = 0; i < PERCENTILES.size(); i++) {
      int x = LEFT + i * 80;
      int y = TOP + PLOT_HEIGHT + 50;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y, COLOURS.get(i), x + 16, y + 10, PERCENTILES.get(i)));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The vertical position of a value on the log axis spanning the given powers of ten. */
  private static double y(double ms, int decadeLow, int decadeHigh) {
    double fraction = (Math.log10(ms) - decadeLow) / (decadeHigh - decadeLow);
    return TOP + PLOT_HEIGHT * (1 - fraction);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
