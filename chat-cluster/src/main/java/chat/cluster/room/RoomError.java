package chat.cluster.room;

/** Why a room entity refused a command; the edge maps each to the contract's status and code. */
public enum RoomError {
  ROOM_NOT_FOUND,
  ROOM_EXISTS,
  NOT_A_MEMBER,
  NOT_A_FRIEND,
  ALREADY_MEMBER,
  /** A post whose text or clientMsgId cannot be stored (a lone surrogate): refused alone, never in a batch. */
  MALFORMED_TEXT,
  /** Too many posts wait for the room's writes: refused at once rather than left to time out. */
  ROOM_BUSY
}
