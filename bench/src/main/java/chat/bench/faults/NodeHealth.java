package chat.bench.faults;

import chat.bench.NodeMemory;
import chat.bench.RestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A node at the end of a run, as an operator would look at it: heap in use (garbage included) and
 * resident memory if it runs, and what its logs hold over all its starts: stack traces, the lines
 * they took, and ERROR and WARN lines.
 */
record NodeHealth(int node, boolean running, long heapUsedBytes, long rssBytes, long stackTraces, long traceLines,
    long errorLines, long warnLines) {

  private static final Pattern FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ (more|common frames omitted))");
  private static final Pattern CAUSE = Pattern.compile("^(Caused by|\\s*Suppressed): ");

  static NodeHealth of(LocalCluster cluster, int i) {
    long heap = -1;
    long rss = -1;
    boolean running = cluster.isRunning(i);
    if (running) {
      try {
        heap = NodeMemory.heapUsed(new RestClient(cluster.baseUrl(i)).get("/metrics").body());
        rss = NodeMemory.rss(cluster.node(i).pid());
      } catch (RuntimeException | IOException e) {
        // a node that does not answer shows no memory
      }
    }
    long traces = 0;
    long traceLines = 0;
    long errors = 0;
    long warns = 0;
    for (Path log : cluster.logsOf(i)) {
      List<String> lines = lines(log);
      boolean inTrace = false;
      for (String line : lines) {
        boolean frame = FRAME.matcher(line).find() || CAUSE.matcher(line).find();
        if (frame) {
          traceLines++;
          if (!inTrace) {
            traces++;
          }
        }
        inTrace = frame;
        if (line.contains(" ERROR ")) {
          errors++;
        } else if (line.contains(" WARN ")) {
          warns++;
        }
      }
    }
    return new NodeHealth(i, running, heap, rss, traces, traceLines, errors, warns);
  }

  private static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
