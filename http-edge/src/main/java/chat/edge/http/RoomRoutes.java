package chat.edge.http;

import chat.cluster.room.RoomError;
import chat.cluster.room.RoomValidation;
import chat.edge.api.ApiError;
import chat.edge.api.Views;
import chat.edge.auth.AccessTokens;
import chat.edge.rooms.RoomRejected;
import chat.edge.rooms.Rooms;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** Rooms, members, messages and read marks: {@code /api/rooms}. */
public final class RoomRoutes extends ApiDirectives {

  private final Rooms rooms;

  public RoomRoutes(Rooms rooms, AccessTokens accessTokens) {
    super(accessTokens);
    this.rooms = rooms;
  }

  public Route route() {
    return pathPrefix("rooms", () -> authenticated(me -> concat(
        pathEnd(() -> concat(
            get(() -> onSuccess(rooms.roomsOf(me), list ->
                complete(Responses.ok(Views.list("rooms", list.stream().map(Views::room).toList()))))),
            post(() -> create(me)))),
        pathPrefix(PathMatchers.segment(), roomId -> {
          if (!RoomValidation.isRoomId(roomId)) {
            throw new RoomRejected(RoomError.ROOM_NOT_FOUND);
          }
          return concat(
              pathEnd(() -> get(() ->
                  onSuccess(rooms.get(me, roomId), room -> complete(Responses.ok(Views.room(room)))))),
              path(PathMatchers.segment("members").slash("me"), () -> delete(() ->
                  onSuccess(rooms.leave(me, roomId), room -> complete(Responses.noContent())))),
              path("members", () -> post(() -> jsonBody(body -> {
                String invitee = body.requiredText("userId");
                return onSuccess(rooms.invite(me, roomId, invitee), room -> complete(Responses.ok(Views.room(room))));
              }))),
              path("messages", () -> concat(
                  post(() -> send(me, roomId)),
                  get(() -> history(me, roomId)))),
              path("read", () -> post(() -> jsonBody(body -> {
                long seq = body.requiredLong("seq");
                if (seq < 0) {
                  throw ApiError.validation("seq", "seq must not be negative");
                }
                return onSuccess(rooms.markRead(me, roomId, seq), room -> complete(Responses.noContent()));
              }))));
        }))));
  }

  private Route create(String me) {
    return jsonBody(body -> {
      String name = body.text("name");
      List<String> members = body.textList("members");
      ApiError.throwIfInvalid(RoomValidation.creation(name, members));
      List<String> others = members.stream().filter(m -> !m.equals(me)).distinct().toList();
      if (others.isEmpty()) {
        throw ApiError.validation("members", "a room needs at least one member besides you");
      }
      return onSuccess(rooms.create(me, name, others),
          room -> complete(Responses.json(StatusCodes.CREATED, Views.room(room))));
    });
  }

  private Route send(String me, String roomId) {
    return jsonBody(body -> {
      String clientMsgId = body.text("clientMsgId");
      String text = body.text("text");
      ApiError.throwIfInvalid(RoomValidation.message(clientMsgId, text));
      return onSuccess(rooms.send(me, roomId, clientMsgId, text), sent -> complete(Responses.json(
          sent.duplicate() ? StatusCodes.OK : StatusCodes.CREATED, Views.message(sent.message()))));
    });
  }

  private Route history(String me, String roomId) {
    return parameterOptional("before", before -> parameterOptional("after", after ->
        parameterOptional("limit", limitText -> {
          if (before.isPresent() && after.isPresent()) {
            throw ApiError.validation("after", "give either before or after, not both");
          }
          // Capped before narrowing to int, so a huge limit means the largest page, not an overflow.
          long limit = limitText.map(t -> seqParameter("limit", t)).orElse((long) RoomValidation.DEFAULT_PAGE);
          if (limit < 1) {
            throw ApiError.validation("limit", "limit must be at least 1");
          }
          int pageSize = (int) Math.min(limit, RoomValidation.MAX_PAGE);
          var page = after.isPresent()
              ? rooms.messagesAfter(me, roomId, seqParameter("after", after.get()), pageSize)
              : rooms.messagesBefore(me, roomId, before.map(b -> seqParameter("before", b)).orElse(null), pageSize);
          return onSuccess(page, found -> complete(Responses.ok(Views.page(found))));
        })));
  }

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,1000}");

  /** A whole number of 0 or more; one too large for a long is beyond every seq and page, so it counts as the largest. */
  private static long seqParameter(String name, String value) {
    if (!DIGITS.matcher(value).matches()) {
      throw ApiError.validation(name, name + " must be a whole number, 0 or more");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
