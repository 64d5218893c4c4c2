package chat.edge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A chat node run as a Kubernetes pod would run it: {@code java $JAVA_OPTS -jar chat-node.jar}
 * (the image's entrypoint) with the pod's environment and nothing else from the test's. Pods
 * share this machine's network namespace, so each binds its listeners to its own loopback
 * address instead of all interfaces, and reads the ServiceAccount's token and CA from test files.
 */
final class PodProcess {

  private static final Path JAR = Path.of(System.getProperty("chat.node.jar", "target/chat-node.jar"))
      .toAbsolutePath();

  final String name;
  final String ip;
  final Process process;
  final Path log;

  private PodProcess(String name, String ip, Process process, Path log) {
    this.name = name;
    this.ip = ip;
    this.process = process;
    this.log = log;
  }

  static PodProcess start(String name, String ip, Map<String, String> podEnvironment, KubernetesApiStandIn api,
      Path workDir) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run mvn package first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(podEnvironment.getOrDefault("JAVA_OPTS", "").split("\\s+")));
    command.add("-Xmx384m"); // this machine holds several pods; a container would have its own limit
    command.add("-Dchat.http.interface=" + ip);
    command.add("-Dpekko.management.http.bind-hostname=" + ip);
    command.add("-Dpekko.discovery.kubernetes-api.api-ca-path=" + api.caFile);
    command.add("-Dpekko.discovery.kubernetes-api.api-token-path=" + api.tokenFile);
    command.add("-jar");
    command.add(JAR.toString());
    command.removeIf(String::isEmpty);

    Path dir = Files.createDirectories(workDir.resolve(name));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path);
    env.put("CHAT_DATA_DIR", dir.resolve("data").toString()); // the image's ENV
    // Kubernetes gives every pod the API's address.
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
    env.putAll(podEnvironment);
    Path log = dir.resolve("node.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new PodProcess(name, ip, builder.start(), log);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, as the kubelet sends it after preStop; SIGKILL if the JVM outlives the deadline. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(JarNode.EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
