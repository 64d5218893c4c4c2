package chat.cluster.user;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a command: the events to persist and, when refused, why. A refusal may still
 * record events (a reused refresh token is refused and revokes every session).
 */
public record Decision(List<UserEvent> events, Optional<UserError> rejection) {

  public static Decision accept(UserEvent... events) {
    return new Decision(List.of(events), Optional.empty());
  }

  public static Decision reject(UserError error, UserEvent... events) {
    return new Decision(List.of(events), Optional.of(error));
  }

  public boolean accepted() {
    return rejection.isEmpty();
  }
}
