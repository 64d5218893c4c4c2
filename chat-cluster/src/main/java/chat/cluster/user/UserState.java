package chat.cluster.user;

import chat.cluster.CborSerializable;
import chat.cluster.user.UserEvent.AllSessionsRevoked;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserEvent.FriendSyncConfirmed;
import chat.cluster.user.UserEvent.ProfileChanged;
import chat.cluster.user.UserEvent.Registered;
import chat.cluster.user.UserEvent.RoomMembershipChanged;
import chat.cluster.user.UserEvent.SessionEnded;
import chat.cluster.user.UserEvent.SessionRotated;
import chat.cluster.user.UserEvent.SessionStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A user's state and its decisions, in plain Java: each decision takes a command's data and the
 * time and returns the events to persist or a refusal; {@link #apply} folds an event in. Instances
 * are never changed in place.
 *
 * @param profile null until registered
 * @param passwordHash null until registered
 * @param sessions refresh-token families by family id
 * @param friends friend ids, sorted
 * @param friendVersions per other user, the version of the friendship state held here (absent
 *     means 0: never friends). Kept after a removal, so that an older "friends" cannot come back.
 * @param peerSync friendship states set here that the peer has not confirmed yet: peer id to the
 *     state and its version (always the state and version held here)
 * @param rooms ids of the rooms the user is in, sorted
 */
public record UserState(
    Profile profile,
    String passwordHash,
    Map<String, Session> sessions,
    SortedSet<String> friends,
    Map<String, Long> friendVersions,
    Map<String, Friendship> peerSync,
    SortedSet<String> rooms)
    implements CborSerializable {

  /** Families kept per user: the oldest is dropped when a new login would pass this. */
  static final int MAX_SESSIONS = 50;

  /** Spent tokens remembered per family for reuse detection; older ones are simply unknown. */
  static final int MAX_SPENT_PER_SESSION = 32;

  /** A refresh-token family: the token that may be used now and the ones already spent. */
  public record Session(
      String familyId, String currentHash, Instant expiresAt, List<String> spentHashes) {}

  /**
   * The friendship state between this user and another at a version. The versions of a pair are
   * shared by both sides: a change made on either side takes the version after the one it held,
   * and a side takes the other's state only when it has a greater version (last writer wins).
   */
  public record Friendship(boolean linked, long version) {}

  public static UserState empty() {
    return new UserState(null, null, Map.of(), new TreeSet<>(), Map.of(), Map.of(), new TreeSet<>());
  }

  /** The friendship state held here with {@code otherId}: version 0 and not linked if never set. */
  public Friendship friendship(String otherId) {
    return new Friendship(friends.contains(otherId), friendVersions.getOrDefault(otherId, 0L));
  }

  public boolean registered() {
    return profile != null;
  }

  public UserView view() {
    return new UserView(profile, List.copyOf(friends), List.copyOf(rooms), false);
  }

  // ---- decisions ----

  public Decision register(
      String userId, String name, String email, String passwordHash, Instant now) {
    if (registered()) {
      return Decision.reject(UserError.USER_EXISTS);
    }
    return Decision.accept(new Registered(userId, name.strip(), email, passwordHash, now));
  }

  /** Absent (null) values stay as they are; a change to the same text records nothing. */
  public Decision changeProfile(String name, String statusMessage, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    String newName = name == null ? profile.name() : name.strip();
    String newStatus = statusMessage == null ? profile.statusMessage() : statusMessage.strip();
    if (newName.equals(profile.name()) && newStatus.equals(profile.statusMessage())) {
      return Decision.accept();
    }
    return Decision.accept(new ProfileChanged(newName, newStatus, now));
  }

  public Decision startSession(String familyId, String tokenHash, Instant expiresAt, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    return Decision.accept(new SessionStarted(familyId, tokenHash, expiresAt, now));
  }

  /**
   * Spends the presented refresh token and puts a new one in its place. Presenting a token that
   * was already spent means it leaked: every session of the user is revoked.
   */
  public Decision rotateSession(String presentedHash, String newHash, Instant expiresAt, Instant now) {
    Optional<Session> current = liveSessionWithCurrent(presentedHash, now);
    if (current.isPresent()) {
      return Decision.accept(
          new SessionRotated(current.get().familyId(), newHash, expiresAt, now));
    }
    return refuseToken(presentedHash, now);
  }

  public Decision endSession(String presentedHash, Instant now) {
    Optional<Session> current = liveSessionWithCurrent(presentedHash, now);
    if (current.isPresent()) {
      return Decision.accept(new SessionEnded(current.get().familyId(), now));
    }
    return refuseToken(presentedHash, now);
  }

  public Decision addFriend(String friendId, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    if (friendId.equals(profile.userId())) {
      return Decision.reject(UserError.CANNOT_ADD_SELF);
    }
    if (friends.contains(friendId)) {
      return Decision.reject(UserError.ALREADY_FRIENDS);
    }
    return Decision.accept(new FriendAdded(friendId, true, friendship(friendId).version() + 1, now));
  }

  public Decision removeFriend(String friendId, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    if (!friends.contains(friendId)) {
      return Decision.reject(UserError.NOT_FRIENDS);
    }
    return Decision.accept(new FriendRemoved(friendId, true, friendship(friendId).version() + 1, now));
  }

  /**
   * A peer tells the friendship state it holds. A newer state is taken; an older one is ignored,
   * and the answer (this side's {@link #friendship} after the events) then shows the peer the newer
   * state held here. The same state at the same version also confirms this side's own pending
   * change, since the peer holds it. Repeats change nothing.
   */
  public Decision syncFromPeer(String peerId, boolean linked, long version, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    Friendship held = friendship(peerId);
    if (peerStateWins(peerId, new Friendship(linked, version))) {
      return Decision.accept(taken(peerId, linked, version, now));
    }
    Friendship pending = peerSync.get(peerId);
    if (held.equals(new Friendship(linked, version)) && pending != null) {
      return Decision.accept(new FriendSyncConfirmed(peerId, version, now));
    }
    return Decision.accept();
  }

  /**
   * The peer answered a sync with the state it now holds. A newer state than the one held here is
   * taken, which also settles the pending change; the same state settles it; an older answer (a
   * stale or duplicated one) changes nothing, and the retries go on. A peer that does not exist
   * cannot be a friend: the friendship is undone as a new version, with nothing left to tell.
   */
  public Decision peerSynced(
      String peerId, boolean linked, long version, boolean peerExists, Instant now) {
    if (!registered()) {
      return Decision.accept();
    }
    Friendship pending = peerSync.get(peerId);
    if (!peerExists) {
      // Users are never deleted and the route checks that a friend exists before adding, so a
      // peer that does not exist now never existed: any pending change to it can be settled.
      if (pending == null) {
        return Decision.accept();
      }
      if (friends.contains(peerId)) {
        return Decision.accept(new FriendRemoved(peerId, false, friendship(peerId).version() + 1, now));
      }
      return Decision.accept(new FriendSyncConfirmed(peerId, pending.version(), now));
    }
    if (peerStateWins(peerId, new Friendship(linked, version))) {
      return Decision.accept(taken(peerId, linked, version, now));
    }
    if (pending != null && pending.equals(new Friendship(linked, version))) {
      return Decision.accept(new FriendSyncConfirmed(peerId, version, now));
    }
    return Decision.accept();
  }

  /**
   * Whether the peer's state replaces the one held here: a greater version wins. At the same
   * version with different states, the state of the user whose id sorts first wins, so that both
   * sides pick the same one.
   *
   * <p>Equal versions are common: both users change the friendship at once from the same version
   * (both add each other, each proposing version 1). Those carry the same state, because every
   * change flips the state and both sides start from "not friends" at 0, so a version normally
   * means one state. Different states at one version still arise from events stored before
   * versions existed (read back as version 0, for example "friends" at 0 on one side and nothing,
   * also 0, on the other); the tie rule keeps the outcome the same on both sides then too.
   */
  private boolean peerStateWins(String peerId, Friendship peerState) {
    Friendship held = friendship(peerId);
    if (peerState.version() != held.version()) {
      return peerState.version() > held.version();
    }
    return peerState.linked() != held.linked() && peerId.compareTo(profile.userId()) < 0;
  }

  private static UserEvent taken(String peerId, boolean linked, long version, Instant now) {
    return linked
        ? new FriendAdded(peerId, false, version, now)
        : new FriendRemoved(peerId, false, version, now);
  }

  /** A room says whether the user is in it. Repeats change nothing. */
  public Decision syncRoom(String roomId, boolean member, Instant now) {
    if (member == rooms.contains(roomId)) {
      return Decision.accept();
    }
    return Decision.accept(new RoomMembershipChanged(roomId, member, now));
  }

  private Optional<Session> liveSessionWithCurrent(String tokenHash, Instant now) {
    return sessions.values().stream()
        .filter(s -> s.currentHash().equals(tokenHash) && s.expiresAt().isAfter(now))
        .findFirst();
  }

  private Decision refuseToken(String presentedHash, Instant now) {
    boolean spent = sessions.values().stream().anyMatch(s -> s.spentHashes().contains(presentedHash));
    return spent
        ? Decision.reject(UserError.INVALID_TOKEN, new AllSessionsRevoked(now))
        : Decision.reject(UserError.INVALID_TOKEN);
  }

  // ---- events ----

  public UserState apply(UserEvent event) {
    if (event instanceof Registered e) {
      Profile registered = new Profile(e.userId(), e.name(), e.email(), "", e.at());
      return new UserState(
          registered, e.passwordHash(), sessions, friends, friendVersions, peerSync, rooms);
    } else if (event instanceof ProfileChanged e) {
      return withProfile(
          new Profile(profile.userId(), e.name(), profile.email(), e.statusMessage(), profile.createdAt()));
    } else if (event instanceof SessionStarted e) {
      return withSessions(startSession(e));
    } else if (event instanceof SessionRotated e) {
      return withSessions(rotate(e));
    } else if (event instanceof SessionEnded e) {
      Map<String, Session> next = new HashMap<>(sessions);
      next.remove(e.familyId());
      return withSessions(next);
    } else if (event instanceof AllSessionsRevoked) {
      return withSessions(Map.of());
    } else if (event instanceof FriendAdded e) {
      return withFriends(e.friendId(), true, e.version(), e.initiatedHere());
    } else if (event instanceof FriendRemoved e) {
      return withFriends(e.friendId(), false, e.version(), e.initiatedHere());
    } else if (event instanceof FriendSyncConfirmed e) {
      Friendship pending = peerSync.get(e.friendId());
      if (pending == null || pending.version() > e.version()) {
        return this;
      }
      Map<String, Friendship> next = new HashMap<>(peerSync);
      next.remove(e.friendId());
      return new UserState(profile, passwordHash, sessions, friends, friendVersions, next, rooms);
    }
    if (event instanceof RoomMembershipChanged e) {
      SortedSet<String> next = new TreeSet<>(rooms);
      if (e.member()) {
        next.add(e.roomId());
      } else {
        next.remove(e.roomId());
      }
      return new UserState(profile, passwordHash, sessions, friends, friendVersions, peerSync, next);
    }
    throw new IllegalArgumentException("unknown user event " + event.getClass().getName());
  }

  /** Adds the family, dropping expired ones and, past the limit, the one that expires first. */
  private Map<String, Session> startSession(SessionStarted e) {
    Map<String, Session> next = new HashMap<>();
    sessions.values().stream()
        .filter(s -> s.expiresAt().isAfter(e.at()))
        .sorted(Comparator.comparing(Session::expiresAt).reversed())
        .limit(MAX_SESSIONS - 1)
        .forEach(s -> next.put(s.familyId(), s));
    next.put(e.familyId(), new Session(e.familyId(), e.tokenHash(), e.expiresAt(), List.of()));
    return next;
  }

  private Map<String, Session> rotate(SessionRotated e) {
    Session old = sessions.get(e.familyId());
    List<String> spent = new ArrayList<>(old.spentHashes());
    spent.add(old.currentHash());
    if (spent.size() > MAX_SPENT_PER_SESSION) {
      spent = spent.subList(spent.size() - MAX_SPENT_PER_SESSION, spent.size());
    }
    Map<String, Session> next = new HashMap<>(sessions);
    next.put(e.familyId(), new Session(e.familyId(), e.newTokenHash(), e.expiresAt(), List.copyOf(spent)));
    return next;
  }

  private UserState withProfile(Profile newProfile) {
    return new UserState(newProfile, passwordHash, sessions, friends, friendVersions, peerSync, rooms);
  }

  private UserState withSessions(Map<String, Session> newSessions) {
    return new UserState(profile, passwordHash, newSessions, friends, friendVersions, peerSync, rooms);
  }

  /**
   * Sets the friendship state and its version. A change made here waits for the peer's
   * confirmation; one taken from the peer settles any earlier change of ours, since the peer
   * already holds a state at least as new.
   */
  private UserState withFriends(
      String friendId, boolean linked, long version, boolean initiatedHere) {
    SortedSet<String> nextFriends = new TreeSet<>(friends);
    if (linked) {
      nextFriends.add(friendId);
    } else {
      nextFriends.remove(friendId);
    }
    Map<String, Long> nextVersions = new HashMap<>(friendVersions);
    nextVersions.put(friendId, version);
    Map<String, Friendship> nextSync = new HashMap<>(peerSync);
    if (initiatedHere) {
      nextSync.put(friendId, new Friendship(linked, version));
    } else {
      nextSync.remove(friendId);
    }
    return new UserState(
        profile, passwordHash, sessions, nextFriends, nextVersions, nextSync, rooms);
  }
}
