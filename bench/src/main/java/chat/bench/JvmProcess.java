package chat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A JVM the bench started, with its output in a log file; {@link #close()} always ends it. */
public final class JvmProcess implements AutoCloseable {

  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Processes still running when the bench's own JVM exits (killed, or a failed test run) go with it. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmFlags> <arguments>} with these extra environment variables. */
  public static JvmProcess start(String name, List<String> jvmFlags, List<String> arguments,
      Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("CHAT_"));
    builder.environment().putAll(env);
    Files.createDirectories(log.toAbsolutePath().getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = builder.start();
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
    return new JvmProcess(name, process, log);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code TERM}, {@code KILL}) to the process. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (kill.waitFor() != 0 && process.isAlive()) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits for the process to exit; its exit status, or -1 if it still runs after {@code deadline}. */
  public int awaitExit(Duration deadline) throws InterruptedException {
    return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Polls {@code url} until it answers 200; fails early if the process exits. */
  public void awaitOk(String url, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + url
            + " answered; see " + log);
      }
      try {
        if (HTTP.send(request, BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + ": " + url + " did not answer 200 within " + deadline + "; see " + log);
  }

  /** SIGTERM, then SIGKILL if the process has not exited in time. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        continueStopped();
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A process stopped with SIGSTOP would not act on SIGTERM before the deadline. */
  private void continueStopped() {
    try {
      signal("CONT");
    } catch (IOException | IllegalStateException e) {
      // SIGKILL after the deadline ends it anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code n} free ports, all held open while they are picked: picked one after the other, the
   * system may hand out the same port twice, and two listeners of one node then collide.
   */
  public static int[] freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0));
      }
      return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port was only looked at
        }
      }
    }
  }

}
