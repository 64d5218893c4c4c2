package chat.edge.http;

import chat.edge.api.ApiErrors;
import chat.edge.api.Json;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.Sessions;
import chat.edge.auth.TokenPair;
import chat.edge.limits.LoginThrottle;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.server.Route;

/** Login, refresh and logout: {@code /api/auth}. */
public final class AuthRoutes extends ApiDirectives {

  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final ClientAddress clientAddress;

  public AuthRoutes(Sessions sessions, AccessTokens accessTokens, LoginThrottle throttle, ClientAddress clientAddress) {
    super(accessTokens);
    this.sessions = sessions;
    this.throttle = throttle;
    this.clientAddress = clientAddress;
  }

  public Route route() {
    return pathPrefix("auth", () -> concat(
        path("login", () -> post(() -> extractRequest(request -> jsonBody(body -> {
          String userId = body.requiredText("userId");
          String password = body.requiredText("password");
          String address = clientAddress.of(request);
          throttle.beforeLogin(address, userId);
          var login = sessions.login(userId, password).whenComplete((pair, failure) -> {
            if (ApiErrors.causeOf(failure) instanceof Sessions.InvalidCredentials) {
              throttle.loginFailed(address, userId);
            }
          });
          return onSuccess(login, pair -> complete(Responses.ok(json(pair))));
        })))),
        path("refresh", () -> post(() -> jsonBody(body ->
            onSuccess(sessions.refresh(body.requiredText("refreshToken")),
                pair -> complete(Responses.ok(json(pair))))))),
        path("logout", () -> post(() -> authenticated(me -> jsonBody(body ->
            onSuccess(sessions.logout(me, body.requiredText("refreshToken")),
                done -> complete(Responses.noContent()))))))));
  }

  private static ObjectNode json(TokenPair pair) {
    return Json.object()
        .put("accessToken", pair.accessToken())
        .put("refreshToken", pair.refreshToken())
        .put("tokenType", "Bearer")
        .put("expiresIn", pair.expiresIn());
  }
}
