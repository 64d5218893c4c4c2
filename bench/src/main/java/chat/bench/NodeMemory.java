package chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The node's memory as seen from outside: used heap from its {@code /metrics} after a full GC
 * ({@code jcmd <pid> GC.run}), and the resident set size from {@code /proc/<pid>/status}.
 */
public final class NodeMemory {

  private NodeMemory() {
  }

  record Sample(long heapUsedBytes, long rssBytes) {}

  static Sample afterGc(RestClient node, long pid) throws IOException, InterruptedException {
    Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!gc.waitFor(60, TimeUnit.SECONDS)) {
      gc.destroyForcibly();
      throw new IllegalStateException("jcmd GC.run did not finish");
    }
    return new Sample(heapUsed(node.get("/metrics").body()), rss(pid));
  }

  /** Used heap as a node's {@code /metrics} text reports it. */
  public static long heapUsed(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no heap jvm_memory_used_bytes in /metrics");
  }

  /** Resident set size of a running process. */
  public static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
