package chat.edge.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The part of the Kubernetes API that Pekko's Kubernetes API discovery calls: {@code GET
 * /api/v1/namespaces/{ns}/pods?labelSelector=…} over TLS with the ServiceAccount's bearer token,
 * answering a PodList of the pods whose labels match. Its certificate is self-signed for
 * 127.0.0.1 and written as the CA file, as a pod's mounted {@code ca.crt}; the token file is the
 * pod's mounted {@code token}.
 */
final class KubernetesApiStandIn implements AutoCloseable {

  private static final String STORE_PASSWORD = "stand-in";

  /** A pod as the API lists it: name, labels, address and container ports. */
  record Pod(String name, Map<String, String> labels, String ip, Map<String, Integer> ports) {}

  private final HttpsServer server;
  private final String namespace;
  private final String token = UUID.randomUUID().toString();
  final Path caFile;
  final Path tokenFile;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  /** The label selectors of the pod listings asked for, in order. */
  final List<String> selectorsAsked = new CopyOnWriteArrayList<>();
  private volatile boolean forbidden;

  KubernetesApiStandIn(Path dir, String namespace) throws Exception {
    this.namespace = namespace;
    Path keyStore = dir.resolve("api.p12");
    caFile = dir.resolve("ca.crt");
    tokenFile = dir.resolve("token");
    keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=kubernetes", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keyStore.toString(),
        "-storepass", STORE_PASSWORD, "-file", caFile.toString());
    Files.writeString(tokenFile, token);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore)));
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  void addPod(Pod pod) {
    pods.put(pod.name(), pod);
  }

  /** The pod is gone from the listing, as a terminating pod is for the discovery. */
  void removePod(String name) {
    pods.remove(name);
  }

  /** Answers 403 as the API does when the ServiceAccount may not list pods (no Role or RoleBinding). */
  void forbidPodListing() {
    forbidden = true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, status(401, "Unauthorized"));
    } else if (!path.equals("/api/v1/namespaces/" + namespace + "/pods") || query == null
        || !query.startsWith("labelSelector=")) {
      respond(exchange, 404, status(404, "NotFound"));
    } else if (forbidden) {
      respond(exchange, 403, status(403, "Forbidden"));
    } else {
      String selector = query.substring("labelSelector=".length());
      selectorsAsked.add(selector);
      respond(exchange, 200, podList(selector));
    }
  }

  private String podList(String selector) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode list = json.objectNode().put("apiVersion", "v1").put("kind", "PodList");
    ArrayNode items = list.putArray("items");
    for (Pod pod : pods.values()) {
      if (!matches(selector, pod.labels())) {
        continue;
      }
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata").put("name", pod.name()).put("namespace", namespace);
      ObjectNode labels = metadata.putObject("labels");
      pod.labels().forEach(labels::put);
      ArrayNode ports = item.putObject("spec").putArray("containers").addObject().put("name", "chat-node")
          .putArray("ports");
      pod.ports().forEach((name, port) -> ports.addObject().put("name", name).put("containerPort", port)
          .put("protocol", "TCP"));
      item.putObject("status").put("phase", "Running").put("podIP", pod.ip());
    }
    return list.toString();
  }

  /** An equality-based selector {@code k=v,k=v}: every pair must be among the labels. */
  private static boolean matches(String selector, Map<String, String> labels) {
    for (String pair : selector.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || !kv[1].equals(labels.get(kv[0]))) {
        return false;
      }
    }
    return true;
  }

  private static String status(int code, String reason) {
    return JsonNodeFactory.instance.objectNode().put("kind", "Status").put("apiVersion", "v1")
        .put("status", "Failure").put("reason", reason).put("code", code).toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static SSLContext sslContext(Path keyStorePath) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keyStorePath.toFile())) {
      keyStore.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
