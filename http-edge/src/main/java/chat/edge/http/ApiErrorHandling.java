package chat.edge.http;

import chat.edge.api.ApiError;
import chat.edge.api.ApiErrors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Turns every failure and rejection into the contract's error shape, so no request ever gets a
 * stack trace or a plain-text body.
 */
public final class ApiErrorHandling extends AllDirectives {

  public Route wrap(Route route) {
    return handleRejections(rejectionHandler(), () -> handleExceptions(exceptionHandler(), () -> route));
  }

  /**
   * 401 answers also say which scheme is expected. 413 and 408 answers close the connection, and
   * say so: the rest of the body was never read, and a client that kept the connection would send its
   * next request into a socket the server is closing.
   */
  public static HttpResponse render(ApiError error) {
    HttpResponse response = Responses.error(error);
    if (error.status().equals(StatusCodes.UNAUTHORIZED)) {
      return response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer"));
    }
    if (error.retryAfterSeconds() != null) {
      return response.addHeader(RawHeader.create("Retry-After", Long.toString(error.retryAfterSeconds())));
    }
    if (error.status().equals(StatusCodes.PAYLOAD_TOO_LARGE) || error.status().equals(StatusCodes.REQUEST_TIMEOUT)) {
      return response.addHeader(Connection.create("close"));
    }
    return response;
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(failure -> complete(render(ApiErrors.of(failure))))
        .build();
  }

  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejections -> complete(render(new ApiError(
            StatusCodes.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
            "method not allowed here; allowed: " + rejections.stream()
                .map(r -> r.supported().name()).distinct().sorted().toList()))))
        .handle(MalformedQueryParamRejection.class, r -> complete(render(ApiError.validation(
            r.parameterName(), r.parameterName() + " is malformed"))))
        .handle(MissingQueryParamRejection.class, r -> complete(render(ApiError.validation(
            r.parameterName(), r.parameterName() + " is required"))))
        .handleNotFound(complete(render(new ApiError(StatusCodes.NOT_FOUND, "NOT_FOUND", "no such resource"))))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(response -> response.entity().getContentType().mediaType().isText()
            ? render(new ApiError(response.status(), "BAD_REQUEST", "the request could not be handled"))
            : response);
  }
}
