package chat.edge.auth;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The users who may use the operator endpoints ({@code /api/ops/…}): {@code chat.admin-users}. */
public final class Operators {

  private final Set<String> userIds;

  private Operators(Set<String> userIds) {
    this.userIds = userIds;
  }

  /** {@code value}: comma-separated user ids; empty means no one. */
  public static Operators parse(String value) {
    return new Operators(Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(id -> !id.isEmpty())
        .collect(Collectors.toUnmodifiableSet()));
  }

  public boolean includes(String userId) {
    return userIds.contains(userId);
  }
}
