package chat.edge.ws;

import chat.cluster.UnicodeText;
import chat.edge.api.ApiError;
import chat.edge.api.Json;
import chat.edge.api.JsonBody;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.util.ByteString;

/** A frame from the client, parsed; anything malformed is a {@link BadFrame}. */
sealed interface ClientFrame {

  record Subscribe(String roomId, Long afterSeq) implements ClientFrame {}

  record Unsubscribe(String roomId) implements ClientFrame {}

  record Send(String roomId, String clientMsgId, String text) implements ClientFrame {}

  record Read(String roomId, long seq) implements ClientFrame {}

  record Typing(String roomId) implements ClientFrame {}

  record Ping() implements ClientFrame {}

  /** Not JSON, no or unknown type, or a field of the wrong type; {@code ref} when one was readable. */
  final class BadFrame extends RuntimeException {
    final String ref;

    BadFrame(String message, String ref) {
      super(message, null, false, false);
      this.ref = ref;
    }
  }

  static ClientFrame parse(String text) {
    JsonBody body;
    try {
      body = Json.parseObject(ByteString.fromString(text));
    } catch (ApiError e) {
      throw new BadFrame("a frame must be one JSON object", null);
    }
    String ref = refOf(body);
    try {
      String type = body.text("type");
      if (type == null) {
        throw new BadFrame("the frame has no type", ref);
      }
      return switch (type) {
        case "subscribe" -> new Subscribe(roomId(body, ref), optionalSeq(body, "afterSeq", ref));
        case "unsubscribe" -> new Unsubscribe(roomId(body, ref));
        case "send" -> new Send(roomId(body, ref), body.text("clientMsgId"), body.text("text"));
        case "read" -> {
          Long seq = optionalSeq(body, "seq", ref);
          if (seq == null) {
            throw new BadFrame("read needs a seq", ref);
          }
          yield new Read(roomId(body, ref), seq);
        }
        case "typing" -> new Typing(roomId(body, ref));
        case "ping" -> new Ping();
        default -> throw new BadFrame("unknown frame type " + type, ref);
      };
    } catch (ApiError e) {
      throw new BadFrame(e.getMessage(), ref);
    }
  }

  private static String roomId(JsonBody body, String ref) {
    String roomId = body.text("roomId");
    if (roomId == null) {
      throw new BadFrame("the frame needs a roomId", ref);
    }
    return roomId;
  }

  private static Long optionalSeq(JsonBody body, String field, String ref) {
    JsonNode value = body.node(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw new BadFrame(field + " must be a whole number, 0 or more", ref);
    }
    return value.longValue();
  }

  /** The contract's ref: the frame's clientMsgId, else its roomId, when they are strings that can be sent back. */
  private static String refOf(JsonBody body) {
    for (String field : new String[] {"clientMsgId", "roomId"}) {
      JsonNode value = body.node(field);
      if (value != null && value.isTextual() && UnicodeText.isWellFormed(value.textValue())) {
        return value.textValue();
      }
    }
    return null;
  }
}
