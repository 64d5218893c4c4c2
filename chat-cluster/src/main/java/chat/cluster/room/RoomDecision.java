package chat.cluster.room;

import java.util.List;
import java.util.Optional;

/** The outcome of a room command: the events to persist, or why it was refused. */
public record RoomDecision(List<RoomEvent> events, Optional<RoomError> rejection) {

  public static RoomDecision accept(RoomEvent... events) {
    return new RoomDecision(List.of(events), Optional.empty());
  }

  public static RoomDecision reject(RoomError error) {
    return new RoomDecision(List.of(), Optional.of(error));
  }

  public boolean accepted() {
    return rejection.isEmpty();
  }
}
