package chat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** The results file: the machine, the parameters, every figure and the latency series. */
public final class ResultsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {
  }

  public static void write(Path file, Map<String, String> parameters, Report report, double runSeconds) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("date", Instant.now().toString());
    root.put("runSeconds", runSeconds);
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryBytes", totalMemory());
    machine.put("javaVersion", System.getProperty("java.version"));
    machine.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    parameters.forEach(root.putObject("parameters")::put);
    ArrayNode metrics = root.putArray("metrics");
    for (Metric m : report.metrics()) {
      ObjectNode row = metrics.addObject();
      row.put("scenario", m.scenario());
      row.put("metric", m.name());
      row.put("unit", m.unit());
      putNumber(row, "value", m.value());
      if (m.baseline() != null) {
        row.put("baselineOf", m.baselineName());
        putNumber(row, "baseline", m.baseline());
        if (m.ratio() != null) {
          row.put("ratio", m.ratio());
        }
      }
    }
    ObjectNode latencies = root.putObject("latenciesMs");
    report.latencies().forEach((label, l) -> {
      ObjectNode series = latencies.putObject(label).put("count", l.count());
      putNumber(series, "p50", l.p50());
      putNumber(series, "p95", l.p95());
      putNumber(series, "p99", l.p99());
      putNumber(series, "max", l.max());
    });
    Files.createDirectories(file.toAbsolutePath().getParent());
    MAPPER.writeValue(file.toFile(), root);
  }

  /** JSON has no NaN: a figure that was not measured is null. */
  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static long totalMemory() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize() : -1;
  }
}
