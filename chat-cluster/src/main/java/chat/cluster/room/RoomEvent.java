package chat.cluster.room;

import chat.cluster.CborSerializable;
import java.time.Instant;
import java.util.List;

/** Everything that happens to a room, as stored in the journal. */
public sealed interface RoomEvent extends CborSerializable {

  Instant at();

  /** @param name null: the room is named after its members */
  record RoomCreated(String roomId, String name, String createdBy, List<String> members, Instant at)
      implements RoomEvent {}

  record MemberJoined(String userId, String invitedBy, Instant at) implements RoomEvent {}

  record MemberLeft(String userId, Instant at) implements RoomEvent {}

  record MessagePosted(long seq, String senderId, String clientMsgId, String text, Instant at)
      implements RoomEvent {}

  record ReadMarkMoved(String userId, long seq, Instant at) implements RoomEvent {}

  /** A member's user entity now knows whether it is in this room. */
  record MembershipSynced(String userId, boolean member, Instant at) implements RoomEvent {}
}
