package chat.edge.http;

import chat.cluster.user.FieldError;
import chat.cluster.user.Profile;
import chat.cluster.user.UserError;
import chat.cluster.user.UserValidation;
import chat.cluster.user.UserView;
import chat.edge.auth.AccessTokens;
import chat.edge.limits.LoginThrottle;
import chat.edge.users.UserRejected;
import chat.edge.users.Users;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** Registration and profiles: {@code /api/users}. */
public final class UserRoutes extends ApiDirectives {

  private final Users users;
  private final LoginThrottle throttle;
  private final ClientAddress clientAddress;

  public UserRoutes(Users users, AccessTokens accessTokens, LoginThrottle throttle, ClientAddress clientAddress) {
    super(accessTokens);
    this.users = users;
    this.throttle = throttle;
    this.clientAddress = clientAddress;
  }

  public Route route() {
    return pathPrefix("users", () -> concat(
        pathEnd(() -> post(this::register)),
        path("me", () -> authenticated(me -> concat(
            get(() -> onSuccess(users.get(me), user -> complete(Json.ok(ownProfile(user))))),
            patch(() -> changeProfile(me))))),
        path(PathMatchers.segment(), userId -> authenticated(me -> get(() -> publicProfile(userId))))));
  }

  private Route register() {
    return extractRequest(request -> jsonBody(body -> {
      String userId = body.text("userId");
      String password = body.text("password");
      String name = body.text("name");
      String email = body.text("email");
      throwIfInvalid(UserValidation.registration(userId, password, name, email));
      throttle.beforeRegistration(clientAddress.of(request));
      return onSuccess(users.register(userId, password, name, email), user -> {
        Profile p = user.profile();
        ObjectNode json = Json.object()
            .put("userId", p.userId())
            .put("name", p.name())
            .put("email", p.email())
            .put("createdAt", Json.timestamp(p.createdAt()));
        return complete(Json.response(StatusCodes.CREATED, json));
      });
    }));
  }

  private Route changeProfile(String me) {
    return jsonBody(body -> {
      String name = body.text("name");
      String statusMessage = body.text("statusMessage");
      throwIfInvalid(UserValidation.profileChange(name, statusMessage));
      return onSuccess(users.changeProfile(me, name, statusMessage),
          user -> complete(Json.ok(ownProfile(user))));
    });
  }

  private Route publicProfile(String userId) {
    if (UserValidation.userId(userId).isPresent()) {
      // No such id can exist: answer without waking an entity for it.
      throw new UserRejected(UserError.USER_NOT_FOUND);
    }
    return onSuccess(users.get(userId), user -> complete(Json.ok(publicProfile(user))));
  }

  /** What any signed-in user may see of a user; online means a live connection somewhere in the cluster. */
  static ObjectNode publicProfile(UserView user) {
    Profile p = user.profile();
    return Json.object()
        .put("userId", p.userId())
        .put("name", p.name())
        .put("statusMessage", p.statusMessage())
        .put("online", user.online());
  }

  private static ObjectNode ownProfile(UserView user) {
    Profile p = user.profile();
    return publicProfile(user)
        .put("email", p.email())
        .put("createdAt", Json.timestamp(p.createdAt()));
  }

  static void throwIfInvalid(Optional<FieldError> error) {
    error.ifPresent(e -> {
      throw ApiError.validation(e.field(), e.message());
    });
  }
}
