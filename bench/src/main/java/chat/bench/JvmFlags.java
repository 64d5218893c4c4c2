package chat.bench;

import java.util.List;

/**
 * The JVM flags recommended for a chat node, in one place: the bench starts the node and the
 * WebSocket baseline server with them, and docs/benchmarks.md refers to this list.
 */
public final class JvmFlags {

  /**
   * A fixed heap avoids resizing pauses during a run; ParallelGC spends the least CPU per
   * collected byte, which matters most on two cores, and its pauses stay short with a 1 GiB heap.
   */
  public static final List<String> RECOMMENDED = List.of("-XX:+UseParallelGC", "-Xms1g", "-Xmx1g");

  private JvmFlags() {
  }
}
