package chat.bench;

import java.time.Duration;

/**
 * CPU used by a process over a stretch of wall time, in cores (1.0 = one core busy throughout):
 * on two cores it shows whether the node, the bench client or neither was the bottleneck.
 */
final class CpuMeter {

  private final ProcessHandle process;
  private final long startNanos = System.nanoTime();
  private final Duration startCpu;

  private CpuMeter(ProcessHandle process) {
    this.process = process;
    this.startCpu = cpu(process);
  }

  static CpuMeter of(long pid) {
    return new CpuMeter(ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid)));
  }

  static CpuMeter ofBench() {
    return new CpuMeter(ProcessHandle.current());
  }

  /** Cores used since this meter was made. */
  double cores() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    return wall <= 0 ? 0 : cpu(process).minus(startCpu).toNanos() / 1e9 / wall;
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
