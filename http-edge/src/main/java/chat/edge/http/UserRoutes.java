package chat.edge.http;

import chat.cluster.user.UserError;
import chat.cluster.user.UserValidation;
import chat.edge.api.ApiError;
import chat.edge.api.Views;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.Sessions;
import chat.edge.limits.LoginThrottle;
import chat.edge.users.UserRejected;
import chat.edge.users.Users;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** Registration and profiles: {@code /api/users}. */
public final class UserRoutes extends ApiDirectives {

  private final Users users;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final ClientAddress clientAddress;

  public UserRoutes(Users users, Sessions sessions, AccessTokens accessTokens, LoginThrottle throttle, ClientAddress clientAddress) {
    super(accessTokens);
    this.users = users;
    this.sessions = sessions;
    this.throttle = throttle;
    this.clientAddress = clientAddress;
  }

  public Route route() {
    return pathPrefix("users", () -> concat(
        pathEnd(() -> post(this::register)),
        path("me", () -> authenticated(me -> concat(
            get(() -> onSuccess(users.get(me), user -> complete(Responses.ok(Views.ownProfile(user))))),
            patch(() -> changeProfile(me))))),
        path(PathMatchers.segment(), userId -> authenticated(me -> get(() -> publicProfile(userId))))));
  }

  private Route register() {
    return extractRequest(request -> jsonBody(body -> {
      String userId = body.text("userId");
      String password = body.text("password");
      String name = body.text("name");
      String email = body.text("email");
      ApiError.throwIfInvalid(UserValidation.registration(userId, password, name, email));
      throttle.beforeRegistration(clientAddress.of(request));
      return onSuccess(sessions.register(userId, password, name, email),
          user -> complete(Responses.json(StatusCodes.CREATED, Views.registered(user))));
    }));
  }

  private Route changeProfile(String me) {
    return jsonBody(body -> {
      String name = body.text("name");
      String statusMessage = body.text("statusMessage");
      ApiError.throwIfInvalid(UserValidation.profileChange(name, statusMessage));
      return onSuccess(users.changeProfile(me, name, statusMessage),
          user -> complete(Responses.ok(Views.ownProfile(user))));
    });
  }

  private Route publicProfile(String userId) {
    if (UserValidation.userId(userId).isPresent()) {
      // No such id can exist: answer without waking an entity for it.
      throw new UserRejected(UserError.USER_NOT_FOUND);
    }
    return onSuccess(users.get(userId), user -> complete(Responses.ok(Views.publicProfile(user))));
  }
}
