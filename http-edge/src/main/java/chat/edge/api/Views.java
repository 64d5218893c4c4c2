package chat.edge.api;

import chat.cluster.room.Message;
import chat.cluster.room.MessagePage;
import chat.cluster.room.RoomView;
import chat.cluster.user.Profile;
import chat.cluster.user.UserView;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The contract's JSON shapes of users, rooms and messages, for REST answers and WebSocket frames. */
public final class Views {

  private Views() {}

  public static ObjectNode message(Message message) {
    return Json.object()
        .put("roomId", message.roomId())
        .put("seq", message.seq())
        .put("senderId", message.senderId())
        .put("text", message.text())
        .put("sentAt", Json.timestamp(message.sentAt()))
        .put("clientMsgId", message.clientMsgId());
  }

  public static ObjectNode page(MessagePage page) {
    ObjectNode json = Json.object();
    ArrayNode messages = json.putArray("messages");
    page.messages().forEach(m -> messages.add(message(m)));
    return json.put("hasMore", page.hasMore());
  }

  public static ObjectNode room(RoomView room) {
    ObjectNode json = Json.object()
        .put("roomId", room.roomId())
        .put("name", room.name());
    ArrayNode members = json.putArray("members");
    room.members().forEach(members::add);
    json.put("createdBy", room.createdBy())
        .put("createdAt", Json.timestamp(room.createdAt()))
        .put("lastSeq", room.lastSeq());
    if (room.lastMessage() == null) {
      json.putNull("lastMessage");
    } else {
      json.set("lastMessage", message(room.lastMessage()));
    }
    return json.put("unread", room.unread());
  }

  /** What any signed-in user may see of a user; online means a live connection somewhere in the cluster. */
  public static ObjectNode publicProfile(UserView user) {
    Profile p = user.profile();
    return Json.object()
        .put("userId", p.userId())
        .put("name", p.name())
        .put("statusMessage", p.statusMessage())
        .put("online", user.online());
  }

  /** What users see of themselves. */
  public static ObjectNode ownProfile(UserView user) {
    Profile p = user.profile();
    return publicProfile(user)
        .put("email", p.email())
        .put("createdAt", Json.timestamp(p.createdAt()));
  }

  /** The answer to a registration. */
  public static ObjectNode registered(UserView user) {
    Profile p = user.profile();
    return Json.object()
        .put("userId", p.userId())
        .put("name", p.name())
        .put("email", p.email())
        .put("createdAt", Json.timestamp(p.createdAt()));
  }

  /** A list under one key: {@code {"rooms":[…]}}. */
  public static ObjectNode list(String key, Iterable<ObjectNode> items) {
    ObjectNode json = Json.object();
    ArrayNode array = json.putArray(key);
    items.forEach(array::add);
    return json;
  }
}
