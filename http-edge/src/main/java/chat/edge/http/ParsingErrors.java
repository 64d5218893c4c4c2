package chat.edge.http;

import chat.edge.api.ApiError;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests the HTTP layer refuses before any route sees them (a URI or header over its limit, too
 * many headers, bad percent-encoding, an unknown method) get the contract's JSON error too.
 * Named by {@code pekko.http.server.parsing.error-handler}; Pekko creates it.
 */
public final class ParsingErrors extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    // A client's malformed request is its own problem: not worth a warning per request.
    log.debug("Refused a request the parser could not take: {} {}", status.intValue(), info.summary());
    // The server closes the connection after a parsing error, and says so itself.
    return ApiErrorHandling.render(new ApiError(status, codeOf(status), info.summary()));
  }

  static String codeOf(StatusCode status) {
    return switch (status.intValue()) {
      case 400 -> "BAD_REQUEST";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 431 -> "HEADERS_TOO_LARGE";
      case 501 -> "NOT_IMPLEMENTED";
      case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
      default -> status.reason().toUpperCase().replaceAll("[^A-Z0-9]+", "_");
    };
  }
}
