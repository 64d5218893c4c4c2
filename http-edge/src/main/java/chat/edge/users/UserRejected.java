package chat.edge.users;

import chat.cluster.user.UserError;

/** A user entity refused a command; the HTTP layer maps the reason to the contract's error. */
public final class UserRejected extends RuntimeException {

  private final UserError error;

  public UserRejected(UserError error) {
    super(error.name(), null, false, false);
    this.error = error;
  }

  public UserError error() {
    return error;
  }
}
