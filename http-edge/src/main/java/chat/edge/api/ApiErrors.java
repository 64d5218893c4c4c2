package chat.edge.api;

import chat.cluster.room.RoomError;
import chat.cluster.user.UserError;
import chat.edge.auth.Sessions;
import chat.edge.limits.RateLimited;
import chat.edge.rooms.RoomRejected;
import chat.edge.users.UserRejected;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's error catalogue: every refusal and failure the services report, as the one
 * {@link ApiError} that REST answers and WebSocket error frames both carry.
 */
public final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  /** The contract's body limit, named in the 413 answer. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private ApiErrors() {}

  /** The failure inside the CompletionExceptions that asynchronous stages wrap it in. */
  public static Throwable causeOf(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The contract's error for a failure; anything unforeseen is logged once and answered as INTERNAL_ERROR. */
  public static ApiError of(Throwable failure) {
    Throwable cause = causeOf(failure);
    if (cause instanceof ApiError apiError) {
      return apiError;
    }
    if (cause instanceof UserRejected rejected) {
      return of(rejected.error());
    }
    if (cause instanceof RoomRejected rejected) {
      return of(rejected.error(), rejected.field());
    }
    if (cause instanceof RateLimited limited) {
      return ApiError.rateLimited(limited.getMessage(), limited.retryAfterSeconds());
    }
    if (cause instanceof Sessions.InvalidCredentials) {
      return new ApiError(StatusCodes.UNAUTHORIZED, "INVALID_CREDENTIALS", "wrong userId or password");
    }
    if (cause instanceof EntityStreamSizeException) {
      return new ApiError(StatusCodes.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
          "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }
    if (cause instanceof TimeoutException) {
      return new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
          "the service did not answer in time; try again");
    }
    log.error("Request failed", cause);
    return new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "something went wrong on the server");
  }

  public static ApiError of(UserError error) {
    return switch (error) {
      case USER_EXISTS -> new ApiError(StatusCodes.CONFLICT, "USER_EXISTS", "that userId is taken", "userId");
      case USER_NOT_FOUND -> new ApiError(StatusCodes.NOT_FOUND, "USER_NOT_FOUND", "no such user");
      case INVALID_TOKEN -> new ApiError(StatusCodes.UNAUTHORIZED, "INVALID_TOKEN", "the refresh token is not valid");
      case CANNOT_ADD_SELF -> new ApiError(StatusCodes.BAD_REQUEST, "CANNOT_ADD_SELF", "you cannot befriend yourself", "userId");
      case ALREADY_FRIENDS -> new ApiError(StatusCodes.CONFLICT, "ALREADY_FRIENDS", "you are already friends");
      case NOT_FRIENDS -> new ApiError(StatusCodes.NOT_FOUND, "NOT_FRIENDS", "you are not friends");
    };
  }

  /** {@code field}: the request field at fault, or null. */
  public static ApiError of(RoomError error, String field) {
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
}
