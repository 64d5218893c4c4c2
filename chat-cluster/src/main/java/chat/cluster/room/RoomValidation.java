package chat.cluster.room;

import chat.cluster.UnicodeText;
import chat.cluster.user.FieldError;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The input rules for rooms and messages, as the API contract states them. Lengths count code points. */
public final class RoomValidation {

  public static final int MAX_TEXT = 4000;
  public static final int MAX_CLIENT_MSG_ID = 64;
  public static final int MAX_NAME = 64;
  public static final int MAX_MEMBERS = 100;
  public static final int DEFAULT_PAGE = 50;
  public static final int MAX_PAGE = 200;

  private RoomValidation() {}

  /** Room ids are server-made UUIDs; anything else names no room. */
  public static boolean isRoomId(String roomId) {
    if (roomId.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(roomId).toString().equals(roomId);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static Optional<FieldError> creation(String name, List<String> members) {
    if (name != null) {
      String trimmed = name.strip();
      if (codePoints(trimmed) > MAX_NAME || trimmed.codePoints().anyMatch(Character::isISOControl)) {
        return fail("name", "name must be at most " + MAX_NAME + " characters, without control characters");
      }
      if (!UnicodeText.isWellFormed(trimmed)) {
        return FieldError.unlessWellFormed("name", trimmed);
      }
    }
    if (members == null || members.isEmpty()) {
      return fail("members", "members must list at least one of your friends");
    }
    if (members.size() > MAX_MEMBERS) {
      return fail("members", "a room starts with at most " + MAX_MEMBERS + " members");
    }
    return Optional.empty();
  }

  public static Optional<FieldError> message(String clientMsgId, String text) {
    if (clientMsgId == null || clientMsgId.isEmpty() || codePoints(clientMsgId) > MAX_CLIENT_MSG_ID) {
      return fail("clientMsgId", "clientMsgId must be 1 to " + MAX_CLIENT_MSG_ID + " characters");
    }
    if (text == null || text.isBlank() || codePoints(text) > MAX_TEXT) {
      return fail("text", "text must be 1 to " + MAX_TEXT + " characters and not only spaces");
    }
    return FieldError.unlessWellFormed("clientMsgId", clientMsgId)
        .or(() -> FieldError.unlessWellFormed("text", text));
  }

  private static int codePoints(String text) {
    return text.codePointCount(0, text.length());
  }

  private static Optional<FieldError> fail(String field, String message) {
    return Optional.of(new FieldError(field, message));
  }
}
