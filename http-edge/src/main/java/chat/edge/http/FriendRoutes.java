package chat.edge.http;

import chat.cluster.user.UserError;
import chat.cluster.user.UserValidation;
import chat.edge.api.Views;
import chat.edge.auth.AccessTokens;
import chat.edge.users.UserRejected;
import chat.edge.users.Users;
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
            get(() -> onSuccess(users.friendsOf(me), friends -> complete(Responses.ok(
                Views.list("friends", friends.stream().map(Views::publicProfile).toList()))))),
            post(() -> jsonBody(body -> {
              String friendId = body.requiredText("userId");
              if (UserValidation.userId(friendId).isPresent() && !friendId.equals(me)) {
                throw new UserRejected(UserError.USER_NOT_FOUND);
              }
              return onSuccess(users.addFriend(me, friendId),
                  friend -> complete(Responses.json(StatusCodes.CREATED, Views.publicProfile(friend))));
            })))),
        path(PathMatchers.segment(), friendId -> delete(() ->
            onSuccess(users.removeFriend(me, friendId),
                done -> complete(Responses.noContent())))))));
  }
}
