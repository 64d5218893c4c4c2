package chat.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes API as far as the chart's {@code lookup} of Secrets needs it. helm-java renders
 * with a Kubernetes client (unlike the helm CLI's {@code template}, whose lookups find nothing),
 * so the tests give it this server through {@code KUBECONFIG}: Secrets put here exist, any other
 * is absent, as on an empty cluster.
 */
final class FakeKubernetesApi {

  private static final String SECRETS = "/api/v1/namespaces/";

  private static FakeKubernetesApi instance;

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  private FakeKubernetesApi(HttpServer server) {
    this.server = server;
  }

  /** The one server of the test JVM, written into the file KUBECONFIG names on first use. */
  static synchronized FakeKubernetesApi get() {
    if (instance == null) {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        instance = new FakeKubernetesApi(server);
        server.createContext("/", instance::handle);
        server.start();
        writeKubeconfig(server.getAddress().getPort());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  private static void writeKubeconfig(int port) throws IOException {
    String path = System.getenv("KUBECONFIG");
    if (path == null) {
      throw new IllegalStateException("KUBECONFIG must name the file for the fake API (set by the helm module's pom)");
    }
    Files.createDirectories(Path.of(path).getParent());
    Files.writeString(Path.of(path), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: fake
            cluster:
              server: http://127.0.0.1:%d
        contexts:
          - name: fake
            context:
              cluster: fake
              user: fake
        current-context: fake
        users:
          - name: fake
            user:
              token: fake
        """.formatted(port));
  }

  /** A Secret in the cluster, with these base64 data values. */
  void putSecret(String namespace, String name, Map<String, String> base64Data) {
    StringBuilder data = new StringBuilder();
    base64Data.forEach((k, v) -> data.append(data.isEmpty() ? "" : ",").append('"').append(k).append("\":\"")
        .append(v).append('"'));
    secrets.put(namespace + "/" + name, """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{%s}}"""
        .formatted(name, namespace, data));
  }

  void clearSecrets() {
    secrets.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/api/v1")) {
      respond(exchange, 200, """
          {"kind":"APIResourceList","groupVersion":"v1","resources":[
            {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
             "verbs":["create","delete","get","list","patch","update","watch"]}]}""");
    } else if (path.equals("/api")) {
      respond(exchange, 200, """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""");
    } else if (path.equals("/apis")) {
      respond(exchange, 200, """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""");
    } else if (path.startsWith(SECRETS) && path.contains("/secrets/")) {
      String[] parts = path.substring(SECRETS.length()).split("/");
      String secret = secrets.get(parts[0] + "/" + parts[2]);
      if (secret != null) {
        respond(exchange, 200, secret);
      } else {
        respond(exchange, 404, """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
      }
    } else {
      respond(exchange, 404, """
          {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
