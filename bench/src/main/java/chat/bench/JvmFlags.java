package chat.bench;

import java.util.List;

/**
 * The JVM flags recommended for a chat node, in one place: the bench starts the node and the
 * WebSocket baseline server with them, and docs/benchmarks.md refers to this list.
 */
public final class JvmFlags {

  /**
   * A fixed heap avoids resizing during a run. G1 rather than ParallelGC: with the same message
   * rate, ParallelGC made full collections of about 270 ms each in the first minutes of a run
   * (ruinous for a tail-latency target), G1 none, and throughput was the same
   * (docs/benchmarks.md, "JVM flags").
   */
  public static final List<String> RECOMMENDED = List.of("-XX:+UseG1GC", "-Xms1g", "-Xmx1g");

  private JvmFlags() {
  }
}
