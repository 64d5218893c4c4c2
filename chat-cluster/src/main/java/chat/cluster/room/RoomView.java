package chat.cluster.room;

import chat.cluster.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A room as one member sees it.
 *
 * @param lastMessage null while the room has none
 * @param unread messages above the member's read mark (a member's own send moves its mark)
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
    implements CborSerializable {}
