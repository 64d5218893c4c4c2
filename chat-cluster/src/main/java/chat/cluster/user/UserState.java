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
import java.util.Objects;
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
 * @param peerSync friendships changed here that the peer has not confirmed yet: peer id to whether
 *     the two should be friends
 * @param rooms ids of the rooms the user is in, sorted
 */
public record UserState(
    Profile profile,
    String passwordHash,
    Map<String, Session> sessions,
    SortedSet<String> friends,
    Map<String, Boolean> peerSync,
    SortedSet<String> rooms)
    implements CborSerializable {

  /** Families kept per user: the oldest is dropped when a new login would pass this. */
  static final int MAX_SESSIONS = 50;

  /** Spent tokens remembered per family for reuse detection; older ones are simply unknown. */
  static final int MAX_SPENT_PER_SESSION = 32;

  /** A refresh-token family: the token that may be used now and the ones already spent. */
  public record Session(
      String familyId, String currentHash, Instant expiresAt, List<String> spentHashes) {}

  public static UserState empty() {
    return new UserState(null, null, Map.of(), new TreeSet<>(), Map.of(), new TreeSet<>());
  }

  public boolean registered() {
    return profile != null;
  }

  public UserView view() {
    return new UserView(profile, List.copyOf(friends), List.copyOf(rooms));
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
    return Decision.accept(new FriendAdded(friendId, true, now));
  }

  public Decision removeFriend(String friendId, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    if (!friends.contains(friendId)) {
      return Decision.reject(UserError.NOT_FRIENDS);
    }
    return Decision.accept(new FriendRemoved(friendId, true, now));
  }

  /** A peer changed the friendship on its side: take the same state. Repeats change nothing. */
  public Decision syncFromPeer(String peerId, boolean linked, Instant now) {
    if (!registered()) {
      return Decision.reject(UserError.USER_NOT_FOUND);
    }
    if (linked && !friends.contains(peerId)) {
      return Decision.accept(new FriendAdded(peerId, false, now));
    }
    if (!linked && friends.contains(peerId)) {
      return Decision.accept(new FriendRemoved(peerId, false, now));
    }
    return Decision.accept();
  }

  /**
   * The peer answered a sync. A stale answer (for a state since replaced) records nothing; a peer
   * that does not exist cannot be a friend.
   */
  public Decision peerSynced(String peerId, boolean linked, boolean peerExists, Instant now) {
    if (!Objects.equals(peerSync.get(peerId), linked)) {
      return Decision.accept();
    }
    if (!peerExists && friends.contains(peerId)) {
      return Decision.accept(new FriendRemoved(peerId, false, now));
    }
    return Decision.accept(new FriendSyncConfirmed(peerId, now));
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
      return new UserState(registered, e.passwordHash(), sessions, friends, peerSync, rooms);
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
      return withFriends(e.friendId(), true, e.initiatedHere());
    } else if (event instanceof FriendRemoved e) {
      return withFriends(e.friendId(), false, e.initiatedHere());
    } else if (event instanceof FriendSyncConfirmed e) {
      Map<String, Boolean> next = new HashMap<>(peerSync);
      next.remove(e.friendId());
      return new UserState(profile, passwordHash, sessions, friends, next, rooms);
    }
    if (event instanceof RoomMembershipChanged e) {
      SortedSet<String> next = new TreeSet<>(rooms);
      if (e.member()) {
        next.add(e.roomId());
      } else {
        next.remove(e.roomId());
      }
      return new UserState(profile, passwordHash, sessions, friends, peerSync, next);
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
    return new UserState(newProfile, passwordHash, sessions, friends, peerSync, rooms);
  }

  private UserState withSessions(Map<String, Session> newSessions) {
    return new UserState(profile, passwordHash, newSessions, friends, peerSync, rooms);
  }

  /**
   * A change made here waits for the peer's confirmation; one that came from the peer settles any
   * earlier wish of ours, since the peer already holds the same state.
   */
  private UserState withFriends(String friendId, boolean linked, boolean initiatedHere) {
    SortedSet<String> nextFriends = new TreeSet<>(friends);
    if (linked) {
      nextFriends.add(friendId);
    } else {
      nextFriends.remove(friendId);
    }
    Map<String, Boolean> nextSync = new HashMap<>(peerSync);
    if (initiatedHere) {
      nextSync.put(friendId, linked);
    } else {
      nextSync.remove(friendId);
    }
    return new UserState(profile, passwordHash, sessions, nextFriends, nextSync, rooms);
  }
}
