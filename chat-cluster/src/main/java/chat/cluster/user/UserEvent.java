package chat.cluster.user;

import chat.cluster.CborSerializable;
import java.time.Instant;

/** Everything that happens to a user, as stored in the journal. */
public sealed interface UserEvent extends CborSerializable {

  Instant at();

  record Registered(String userId, String name, String email, String passwordHash, Instant at)
      implements UserEvent {}

  /** The whole new profile text, so replay needs no earlier value. */
  record ProfileChanged(String name, String statusMessage, Instant at) implements UserEvent {}

  /** A login: a new refresh-token family with its first token (only the token's hash is kept). */
  record SessionStarted(String familyId, String tokenHash, Instant expiresAt, Instant at)
      implements UserEvent {}

  /** A refresh: the family's current token is spent and replaced. */
  record SessionRotated(String familyId, String newTokenHash, Instant expiresAt, Instant at)
      implements UserEvent {}

  /** A logout: the family is revoked. */
  record SessionEnded(String familyId, Instant at) implements UserEvent {}

  /** A spent refresh token was presented again: every family is revoked. */
  record AllSessionsRevoked(Instant at) implements UserEvent {}

  /**
   * Friendship is kept on both users. {@code initiatedHere} means this user asked for it, so the
   * peer still has to be told; otherwise the state was taken from the peer, which already holds it.
   * {@code version} is the pair's friendship version this state has (see {@link
   * UserState.Friendship}).
   */
  record FriendAdded(String friendId, boolean initiatedHere, long version, Instant at)
      implements UserEvent {}

  record FriendRemoved(String friendId, boolean initiatedHere, long version, Instant at)
      implements UserEvent {}

  /** The peer confirmed it holds the friendship state of this version. */
  record FriendSyncConfirmed(String friendId, long version, Instant at) implements UserEvent {}

  /** A room told this user that they joined or left it. */
  record RoomMembershipChanged(String roomId, boolean member, Instant at) implements UserEvent {}
}
