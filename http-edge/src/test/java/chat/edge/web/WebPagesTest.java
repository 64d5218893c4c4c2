package chat.edge.web;

import static chat.edge.ApiClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient.Response;
import chat.edge.OwnNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web client's files as a browser gets them: types, security headers, caching, and nothing else. */
class WebPagesTest {

  private static final Pattern PAGE_REFERENCE = Pattern.compile("(?:src|href)=\"(/client/[^\"]+)\"");
  private static final Pattern MODULE_IMPORT = Pattern.compile("from '\\./([^']+)'");

  @RegisterExtension
  static final OwnNode node = new OwnNode(Map.of());

  @Test
  void theClientPageIsServedAtTheRootWithAStrictPolicy() {
    Response page = node.api().get("/", null);
    assertEquals(200, page.status(), page::toString);
    assertEquals("text/html; charset=UTF-8", page.contentType());
    assertTrue(page.body().contains("<script type=\"module\" src=\"/client/main.js\"></script>"), page.body());

    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    String host = URI.create(node.baseUrl()).getAuthority();
    assertTrue(policy.contains("default-src 'none'"), policy);
    assertTrue(policy.contains("script-src 'self';"), policy);
    assertTrue(policy.contains("connect-src 'self' ws://" + host + " wss://" + host + ";"), policy);
    assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    assertFalse(policy.contains("unsafe"), policy);
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    assertTrue(page.headers().firstValue("ETag").isPresent(), page.headers()::toString);
  }

  @Test
  void everyFileThePageLoadsIsServedWithItsType() {
    String page = node.api().get("/", null).body();
    Set<String> seen = new HashSet<>();
    Deque<String> toLoad = new ArrayDeque<>();
    Matcher references = PAGE_REFERENCE.matcher(page);
    while (references.find()) {
      toLoad.add(references.group(1));
    }
    assertTrue(toLoad.contains("/client/style.css"), toLoad::toString);
    while (!toLoad.isEmpty()) {
      String path = toLoad.poll();
      if (!seen.add(path)) {
        continue;
      }
      Response file = node.api().get(path, null);
      assertEquals(200, file.status(), () -> path + ": " + file);
      assertTrue(file.headers().firstValue("Content-Security-Policy").isPresent(), path);
      assertEquals("nosniff", file.headers().firstValue("X-Content-Type-Options").orElse(""), path);
      String expectedType = switch (path.substring(path.lastIndexOf('.') + 1)) {
        case "js" -> "text/javascript; charset=UTF-8";
        case "css" -> "text/css; charset=UTF-8";
        case "svg" -> "image/svg+xml";
        default -> throw new AssertionError("unexpected file " + path);
      };
      assertEquals(expectedType, file.contentType(), path);
      if (path.endsWith(".js")) {
        // Modules import their siblings: follow them, so a missing module fails here.
        Matcher imports = MODULE_IMPORT.matcher(file.body());
        while (imports.find()) {
          toLoad.add("/client/" + imports.group(1));
        }
        assertFalse(file.body().contains("innerHTML"), path + " must set user text as text");
      }
    }
    assertTrue(seen.contains("/client/main.js") && seen.size() > 3, seen::toString);
  }

  @Test
  void anUnchangedFileIsAnsweredNotModified() throws Exception {
    Response first = node.api().get("/client/main.js", null);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpRequest again = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/client/main.js"))
        .header("If-None-Match", etag).GET().build();
    var answer = HttpClient.newHttpClient().send(again, BodyHandlers.ofString());
    assertEquals(304, answer.statusCode());
    assertEquals("", answer.body());
  }

  @Test
  void nothingOutsideThePagesFilesIsServed() {
    for (String path : new String[] {"/client/missing.js", "/client/..%2Flogback.xml", "/client/.hidden.js",
        "/client/index", "/client/", "/web/client/main.js", "/logback.xml", "/application.conf"}) {
      Response r = node.api().get(path, null);
      assertEquals(404, r.status(), () -> path + ": " + r);
      assertError(404, "NOT_FOUND", r);
    }
  }

  @Test
  void otherMethodsAndPathsKeepTheirAnswers() {
    assertError(405, "METHOD_NOT_ALLOWED", node.api().sendText("POST", "/", null, null, null));
    assertError(405, "METHOD_NOT_ALLOWED", node.api().sendText("DELETE", "/client/main.js", null, null, null));
    assertError(404, "NOT_FOUND", node.api().get("/api/nothing-here", null));
    assertError(404, "NOT_FOUND", node.api().sendText("POST", "/api/nothing-here", null, null, null));
  }

  @Test
  void thePolicyNamesTheWebSocketOriginsOnlyForAPlainHost() {
    assertTrue(WebPages.contentSecurityPolicy("chat.example.com:8443")
        .contains("connect-src 'self' ws://chat.example.com:8443 wss://chat.example.com:8443;"));
    assertTrue(WebPages.contentSecurityPolicy("[::1]:8080").contains("ws://[::1]:8080 "));
    String injected = WebPages.contentSecurityPolicy("evil; script-src *");
    assertTrue(injected.contains("connect-src 'self';"), injected);
    assertFalse(injected.contains("script-src *"), injected);
  }
}
