package chat.cluster.room;

import chat.cluster.CborSerializable;
import java.time.Instant;

/** One chat message as the room assigned it its place. */
public record Message(
    String roomId, long seq, String senderId, String text, Instant sentAt, String clientMsgId)
    implements CborSerializable {}
