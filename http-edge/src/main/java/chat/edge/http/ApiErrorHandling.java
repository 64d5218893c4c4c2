package chat.edge.http;

import chat.cluster.room.RoomError;
import chat.cluster.user.UserError;
import chat.edge.auth.Sessions;
import chat.edge.limits.RateLimited;
import chat.edge.rooms.RoomRejected;
import chat.edge.users.UserRejected;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure and rejection into the contract's error shape, so no request ever gets a
 * stack trace or a plain-text body.
 */
public final class ApiErrorHandling extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiErrorHandling.class);

  public Route wrap(Route route) {
    return handleRejections(rejectionHandler(), () -> handleExceptions(exceptionHandler(), () -> route));
  }

  /** The failure inside the CompletionExceptions that asynchronous stages wrap it in. */
  public static Throwable causeOf(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  public static ApiError toApiError(Throwable failure) {
    Throwable cause = causeOf(failure);
    if (cause instanceof ApiError apiError) {
      return apiError;
    }
    if (cause instanceof UserRejected rejected) {
      return fromUserError(rejected.error());
    }
    if (cause instanceof RoomRejected rejected) {
      return fromRoomError(rejected.error(), rejected.field());
    }
    if (cause instanceof RateLimited limited) {
      return ApiError.rateLimited(limited.getMessage(), limited.retryAfterSeconds());
    }
    if (cause instanceof Sessions.InvalidCredentials) {
      return new ApiError(StatusCodes.UNAUTHORIZED, "INVALID_CREDENTIALS", "wrong userId or password");
    }
    if (cause instanceof EntityStreamSizeException) {
      return new ApiError(StatusCodes.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
          "the body is larger than " + ApiDirectives.MAX_BODY_BYTES / 1024 + " KiB");
    }
    if (cause instanceof TimeoutException) {
      return new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
          "the service did not answer in time; try again");
    }
    log.error("Request failed", cause);
    return new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "something went wrong on the server");
  }

  static ApiError fromUserError(UserError error) {
    return switch (error) {
      case USER_EXISTS -> new ApiError(StatusCodes.CONFLICT, "USER_EXISTS", "that userId is taken", "userId");
      case USER_NOT_FOUND -> new ApiError(StatusCodes.NOT_FOUND, "USER_NOT_FOUND", "no such user");
      case INVALID_TOKEN -> new ApiError(StatusCodes.UNAUTHORIZED, "INVALID_TOKEN", "the refresh token is not valid");
      case CANNOT_ADD_SELF -> new ApiError(StatusCodes.BAD_REQUEST, "CANNOT_ADD_SELF", "you cannot befriend yourself", "userId");
      case ALREADY_FRIENDS -> new ApiError(StatusCodes.CONFLICT, "ALREADY_FRIENDS", "you are already friends");
      case NOT_FRIENDS -> new ApiError(StatusCodes.NOT_FOUND, "NOT_FRIENDS", "you are not friends");
    };
  }

  static ApiError fromRoomError(RoomError error, String field) {
    return switch (error) {
      case ROOM_NOT_FOUND -> new ApiError(StatusCodes.NOT_FOUND, "ROOM_NOT_FOUND", "no such room");
      case ROOM_EXISTS -> new ApiError(StatusCodes.CONFLICT, "ROOM_EXISTS", "that room already exists");
      case NOT_A_MEMBER -> new ApiError(StatusCodes.FORBIDDEN, "NOT_A_MEMBER", "you are not a member of this room");
      case NOT_A_FRIEND -> new ApiError(StatusCodes.BAD_REQUEST, "NOT_A_FRIEND", "only your friends can be added to a room", field);
      case ALREADY_MEMBER -> new ApiError(StatusCodes.CONFLICT, "ALREADY_MEMBER", "already a member of this room", "userId");
      case MALFORMED_TEXT -> ApiError.validation("text", "text and clientMsgId must be valid Unicode text");
      case ROOM_BUSY -> new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
          "the room is busy; try again");
    };
  }

  /**
   * 401 answers also say which scheme is expected. 413 and 408 answers close the connection, and
   * say so: the rest of the body was never read, and a client that kept the connection would send its
   * next request into a socket the server is closing.
   */
  public static HttpResponse render(ApiError error) {
    HttpResponse response = Json.error(error);
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
        .matchAny(failure -> complete(render(toApiError(failure))))
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
