package chat.edge.ws;

import chat.cluster.room.Message;
import chat.edge.api.Json;
import chat.edge.api.Views;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The server's frames as JSON text, in the contract's shapes. */
final class ServerFrames {

  private ServerFrames() {}

  static String message(Message m) {
    return Json.write(Json.object().put("type", "message").setAll(Views.message(m)));
  }

  static String subscribed(String roomId, long lastSeq) {
    return Json.write(Json.object().put("type", "subscribed").put("roomId", roomId).put("lastSeq", lastSeq));
  }

  static String unsubscribed(String roomId) {
    return Json.write(Json.object().put("type", "unsubscribed").put("roomId", roomId));
  }

  static String ack(String roomId, String clientMsgId, long seq, Instant sentAt) {
    return Json.write(Json.object()
        .put("type", "ack")
        .put("roomId", roomId)
        .put("clientMsgId", clientMsgId)
        .put("seq", seq)
        .put("sentAt", Json.timestamp(sentAt)));
  }

  static String typing(String roomId, String userId) {
    return Json.write(Json.object().put("type", "typing").put("roomId", roomId).put("userId", userId));
  }

  static String presence(String userId, boolean online) {
    return Json.write(Json.object().put("type", "presence").put("userId", userId).put("online", online));
  }

  static String room(String roomId, String event, String userId) {
    return Json.write(Json.object().put("type", "room").put("roomId", roomId).put("event", event).put("userId", userId));
  }

  static String pong() {
    return "{\"type\":\"pong\"}";
  }

  static String error(String code, String message, String ref) {
    ObjectNode json = Json.object().put("type", "error").put("code", code).put("message", message);
    if (ref != null) {
      json.put("ref", ref);
    }
    return Json.write(json);
  }
}
