package chat.cluster.user;

/** Why the user entity refused a command; the edge maps each to the contract's status and code. */
public enum UserError {
  USER_EXISTS,
  USER_NOT_FOUND,
  INVALID_TOKEN,
  CANNOT_ADD_SELF,
  ALREADY_FRIENDS,
  NOT_FRIENDS
}
