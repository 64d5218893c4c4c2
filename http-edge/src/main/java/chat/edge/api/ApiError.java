package chat.edge.api;

import chat.cluster.user.FieldError;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A refusal in the contract's error shape. Routes and the services they call throw or fail with
 * it; REST answers it as a JSON error body, WebSocket sessions as an error frame.
 */
public final class ApiError extends RuntimeException {

  private final StatusCode status;
  private final String code;
  private final String field;
  private final Long retryAfterSeconds;

  private ApiError(StatusCode status, String code, String message, String field, Long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ApiError(StatusCode status, String code, String message, String field) {
    this(status, code, message, field, null);
  }

  public ApiError(StatusCode status, String code, String message) {
    this(status, code, message, null);
  }

  public static ApiError validation(String field, String message) {
    return new ApiError(StatusCodes.BAD_REQUEST, "VALIDATION_FAILED", message, field);
  }

  /** Throws VALIDATION_FAILED for the field a domain rule found at fault. */
  public static void throwIfInvalid(Optional<FieldError> error) {
    error.ifPresent(e -> {
      throw validation(e.field(), e.message());
    });
  }

  /** 429: the client may try again after the given seconds. */
  public static ApiError rateLimited(String message, long retryAfterSeconds) {
    return new ApiError(StatusCodes.TOO_MANY_REQUESTS, "RATE_LIMITED", message, null, retryAfterSeconds);
  }

  public static ApiError unauthorized() {
    return new ApiError(StatusCodes.UNAUTHORIZED, "UNAUTHORIZED", "a valid access token is required");
  }

  public StatusCode status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds until a refused client may try again, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The input field at fault, or null. */
  public String field() {
    return field;
  }
}
