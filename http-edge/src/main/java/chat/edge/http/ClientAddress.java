package chat.edge.http;

import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Where a request comes from, for the per-address limits: the TCP peer, or behind a proxy that
 * every request passes (an Ingress) the last entry of its {@code X-Forwarded-For}. Only the last
 * entry is the proxy's own word; the ones before it are whatever the client wrote.
 */
public final class ClientAddress {

  private final boolean fromForwardedFor;

  private ClientAddress(boolean fromForwardedFor) {
    this.fromForwardedFor = fromForwardedFor;
  }

  /** {@code chat.limits.client-address}: {@code peer} or {@code x-forwarded-for}. */
  public static ClientAddress parse(String source) {
    return switch (source) {
      case "peer" -> new ClientAddress(false);
      case "x-forwarded-for" -> new ClientAddress(true);
      default -> throw new IllegalArgumentException(
          "chat.limits.client-address (CHAT_CLIENT_ADDRESS) must be peer or x-forwarded-for, not '" + source + "'");
    };
  }

  /** Whether every connection comes through a proxy, so that a TCP peer is the proxy, not a client. */
  public boolean behindProxy() {
    return fromForwardedFor;
  }

  public String of(HttpRequest request) {
    if (fromForwardedFor) {
      Optional<String> forwarded = request.getHeader("X-Forwarded-For").map(HttpHeader::value)
          .map(list -> list.substring(list.lastIndexOf(',') + 1).strip())
          .filter(last -> !last.isEmpty());
      if (forwarded.isPresent()) {
        return forwarded.get();
      }
    }
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(address -> address.getAddress())
        .map(InetAddress::getHostAddress)
        .orElse("unknown");
  }
}
