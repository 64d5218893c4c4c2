package chat.edge.http;

import chat.edge.api.ApiError;
import chat.edge.api.ApiErrors;
import chat.edge.api.Json;
import chat.edge.api.JsonBody;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.Operators;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** What every API route needs: a JSON object body within the size limit, and the caller's id. */
public abstract class ApiDirectives extends AllDirectives {

  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(10);
  private static final String BEARER = "Bearer ";

  private final AccessTokens accessTokens;

  protected ApiDirectives(AccessTokens accessTokens) {
    this.accessTokens = accessTokens;
  }

  protected Route jsonBody(Function<JsonBody, Route> inner) {
    return extractRequestEntity(entity -> {
      if (entity.isKnownEmpty()) {
        throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON", "a JSON body is required");
      }
      if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
        throw new ApiError(
            StatusCodes.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "the body must be application/json");
      }
      // The limit goes on the entity, whose stream then fails with EntityStreamSizeException
      // (answered 413). A maxBytes given to toStrict instead fails with a plain
      // EntityStreamException, which extractStrictEntity turns into a generic 400.
      return extractMaterializer(materializer -> onSuccess(
          entity.withSizeLimit(ApiErrors.MAX_BODY_BYTES).toStrict(BODY_READ_TIMEOUT.toMillis(), materializer)
              .exceptionally(ApiDirectives::bodyTimedOut),
          strict -> inner.apply(Json.parseObject(strict.getData()))));
    });
  }

  /** A body that stops arriving is the client's delay (408), not the server's (503). */
  private static HttpEntity.Strict bodyTimedOut(Throwable failure) {
    if (ApiErrors.causeOf(failure) instanceof TimeoutException) {
      throw new ApiError(StatusCodes.REQUEST_TIMEOUT, "REQUEST_TIMEOUT",
          "the request body did not arrive within " + BODY_READ_TIMEOUT.toSeconds() + " s");
    }
    throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
  }

  /** Runs {@code inner} with the user id of a valid bearer access token, or answers 401. */
  protected Route authenticated(Function<String, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> userId = header
          .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
          .flatMap(value -> accessTokens.verify(value.substring(BEARER.length()).trim()));
      return inner.apply(userId.orElseThrow(ApiError::unauthorized));
    });
  }

  /** Runs {@code inner} for an operator; 401 without a valid token, 403 for anyone else. */
  protected Route operator(Operators operators, Function<String, Route> inner) {
    return authenticated(me -> inner.apply(requireOperator(operators, me)));
  }

  /** The user id, if it is an operator's; else 403 FORBIDDEN. */
  protected static String requireOperator(Operators operators, String userId) {
    if (!operators.includes(userId)) {
      throw new ApiError(StatusCodes.FORBIDDEN, "FORBIDDEN", "only operators may use this");
    }
    return userId;
  }
}
