package chat.edge.ws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may open a WebSocket: by default only pages served by the same host, so a page
 * on another site cannot act for a user whose token it got hold of. Clients that are not browsers
 * send no {@code Origin} and are not concerned. Configured by {@code chat.websocket.allowed-origins}.
 */
final class OriginPolicy {

  private final boolean anyOrigin;
  private final Set<String> allowed;

  private OriginPolicy(boolean anyOrigin, Set<String> allowed) {
    this.anyOrigin = anyOrigin;
    this.allowed = allowed;
  }

  /** {@code value}: comma-separated origins such as {@code https://chat.example.com}, or {@code *}. */
  static OriginPolicy parse(String value) {
    Set<String> origins = Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(origin -> !origin.isEmpty())
        .map(origin -> origin.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    return new OriginPolicy(origins.contains("*"), origins);
  }

  /** {@code host}: the request's Host header, which a browser sets to the server it connects to. */
  boolean allows(Optional<String> origin, String host) {
    if (origin.isEmpty() || anyOrigin) {
      return true;
    }
    String normalized = origin.get().strip().toLowerCase(Locale.ROOT);
    return allowed.contains(normalized) || sameHost(normalized, host);
  }

  /**
   * The page's host and port are the node's as the browser addressed it. The scheme is not
   * compared: TLS may end at a proxy in front of the node.
   */
  private static boolean sameHost(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    if (uri.getHost() == null) {
      return false;
    }
    String defaultPort = "https".equals(uri.getScheme()) ? ":443" : ":80";
    String page = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    return withoutSuffix(page, defaultPort).equals(withoutSuffix(host.toLowerCase(Locale.ROOT), defaultPort));
  }

  private static String withoutSuffix(String text, String suffix) {
    return text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
  }
}
