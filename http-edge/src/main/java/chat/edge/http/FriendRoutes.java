package chat.edge.http;

import chat.cluster.user.UserError;
import chat.cluster.user.UserValidation;
import chat.edge.auth.AccessTokens;
import chat.edge.users.UserRejected;
import chat.edge.users.Users;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** The caller's friends: {@code /api/friends}. */
public final class FriendRoutes extends ApiDirectives {

  private final Users users;

  public FriendRoutes(Users users, AccessTokens accessTokens) {
    super(accessTokens);
    this.users = users;
  }

  public Route route() {
    return pathPrefix("friends", () -> authenticated(me -> concat(
        pathEnd(() -> concat(
            get(() -> onSuccess(users.friendsOf(me), friends -> {
              ArrayNode list = Json.object().arrayNode();
              friends.forEach(friend -> list.add(UserRoutes.publicProfile(friend)));
              ObjectNode json = Json.object();
              json.set("friends", list);
              return complete(Json.ok(json));
            })),
            post(() -> jsonBody(body -> {
              String friendId = body.requiredText("userId");
              if (UserValidation.userId(friendId).isPresent() && !friendId.equals(me)) {
                throw new UserRejected(UserError.USER_NOT_FOUND);
              }
              return onSuccess(users.addFriend(me, friendId),
                  friend -> complete(Json.response(StatusCodes.CREATED, UserRoutes.publicProfile(friend))));
            })))),
        path(PathMatchers.segment(), friendId -> delete(() ->
            onSuccess(users.removeFriend(me, friendId),
                done -> complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))))))));
  }
}
