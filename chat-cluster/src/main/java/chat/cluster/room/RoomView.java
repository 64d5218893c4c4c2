package chat.cluster.room;

import chat.cluster.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A room as one member sees it.
 *
 * @param lastMessage null while the room has none
 * @param unread other members' messages above the member's read mark
 */
public record RoomView(
    String roomId,
    String name,
    List<String> members,
    String createdBy,
    Instant createdAt,
    long lastSeq,
    Message lastMessage,
    long unread)
    implements CborSerializable {

  /** A room without a name is named after its members. */
  public static String shownName(String name, List<String> members) {
    return name != null ? name : String.join(", ", members);
  }
}
