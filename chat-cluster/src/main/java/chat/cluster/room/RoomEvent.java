package chat.cluster.room;

import chat.cluster.CborSerializable;
import java.time.Instant;
import java.util.List;

/** Everything that happens to a room, as stored in the journal. */
public sealed interface RoomEvent extends CborSerializable {

  Instant at();

  /** The messages this event posts, in seq order: none for every event but the two below. */
  default List<MessagePosted> messages() {
    return List.of();
  }

  /** @param name null: the room is named after its members */
  record RoomCreated(String roomId, String name, String createdBy, List<String> members, Instant at)
      implements RoomEvent {}

  record MemberJoined(String userId, String invitedBy, Instant at) implements RoomEvent {}

  record MemberLeft(String userId, Instant at) implements RoomEvent {}

  /** One message. Journals hold it inside {@link MessagesPosted}, and alone from older versions. */
  record MessagePosted(long seq, String senderId, String clientMsgId, String text, Instant at)
      implements RoomEvent {
    @Override
    public List<MessagePosted> messages() {
      return List.of(this);
    }

    public Message in(String roomId) {
      return new Message(roomId, seq, senderId, text, at, clientMsgId);
    }
  }

  /**
   * Messages posted together, with consecutive seqs: one journal write however many there are.
   * Its journal sequence number is not the messages' seq.
   */
  record MessagesPosted(List<MessagePosted> messages) implements RoomEvent {
    public MessagesPosted {
      if (messages.isEmpty()) {
        throw new IllegalArgumentException("no messages");
      }
      messages = List.copyOf(messages);
    }

    @Override
    public Instant at() {
      return messages.get(0).at();
    }
  }

  record ReadMarkMoved(String userId, long seq, Instant at) implements RoomEvent {}

  /** A member's user entity now knows whether it is in this room. */
  record MembershipSynced(String userId, boolean member, Instant at) implements RoomEvent {}
}
