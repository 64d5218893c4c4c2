package chat.edge.rooms;

import chat.cluster.room.RoomError;

/** A room entity refused a command; the HTTP layer maps the reason to the contract's error. */
public final class RoomRejected extends RuntimeException {

  private final RoomError error;
  private final String field;

  public RoomRejected(RoomError error, String field) {
    super(error.name(), null, false, false);
    this.error = error;
    this.field = field;
  }

  public RoomRejected(RoomError error) {
    this(error, null);
  }

  public RoomError error() {
    return error;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
