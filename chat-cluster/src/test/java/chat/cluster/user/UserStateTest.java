package chat.cluster.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.user.UserEvent.AllSessionsRevoked;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserEvent.FriendSyncConfirmed;
import chat.cluster.user.UserEvent.SessionRotated;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The user's decisions as plain functions: no actors. */
class UserStateTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.000Z");
  private static final Instant LATER = T0.plus(Duration.ofDays(30));

  private static UserState applyAll(UserState state, Decision decision) {
    UserState next = state;
    for (UserEvent event : decision.events()) {
      next = next.apply(event);
    }
    return next;
  }

  private static UserState alice() {
    UserState empty = UserState.empty();
    return applyAll(empty, empty.register("alice", " Alice ", "a@example.com", "hash", T0));
  }

  @Test
  void registersOnceWithATrimmedName() {
    UserState alice = alice();
    assertEquals(new Profile("alice", "Alice", "a@example.com", "", T0), alice.profile());
    assertEquals(Optional.of(UserError.USER_EXISTS),
        alice.register("alice", "Other", "o@example.com", "h2", T0).rejection());
  }

  @Test
  void aUserThatDoesNotExistCanDoNothing() {
    UserState empty = UserState.empty();
    assertEquals(Optional.of(UserError.USER_NOT_FOUND), empty.changeProfile("x", null, T0).rejection());
    assertEquals(Optional.of(UserError.USER_NOT_FOUND), empty.startSession("f", "h", LATER, T0).rejection());
    assertEquals(Optional.of(UserError.USER_NOT_FOUND), empty.addFriend("bob", T0).rejection());
    assertEquals(Optional.of(UserError.INVALID_TOKEN), empty.rotateSession("h", "n", LATER, T0).rejection());
  }

  @Test
  void changesOnlyTheGivenProfileFieldsAndSkipsNoOps() {
    UserState alice = alice();
    UserState changed = applyAll(alice, alice.changeProfile(null, " busy ", T0));
    assertEquals("Alice", changed.profile().name());
    assertEquals("busy", changed.profile().statusMessage());
    assertTrue(changed.changeProfile("Alice", "busy", T0).events().isEmpty());
    assertEquals("Al", applyAll(changed, changed.changeProfile("Al", null, T0)).profile().name());
  }

  @Test
  void rotatesARefreshTokenAndRefusesTheSpentOneByRevokingEverything() {
    UserState alice = alice();
    UserState s1 = applyAll(alice, alice.startSession("f1", "t1", LATER, T0));
    s1 = applyAll(s1, s1.startSession("f2", "u1", LATER, T0));

    Decision rotate = s1.rotateSession("t1", "t2", LATER, T0);
    assertEquals(List.of(new SessionRotated("f1", "t2", LATER, T0)), rotate.events());
    UserState s2 = applyAll(s1, rotate);
    assertEquals("t2", s2.sessions().get("f1").currentHash());

    Decision reuse = s2.rotateSession("t1", "t3", LATER, T0);
    assertEquals(Optional.of(UserError.INVALID_TOKEN), reuse.rejection());
    assertEquals(List.of(new AllSessionsRevoked(T0)), reuse.events());
    UserState revoked = applyAll(s2, reuse);
    assertTrue(revoked.sessions().isEmpty());
    assertEquals(Optional.of(UserError.INVALID_TOKEN), revoked.rotateSession("u1", "u2", LATER, T0).rejection());
  }

  @Test
  void unknownAndExpiredTokensAreRefusedWithoutRevoking() {
    UserState alice = alice();
    UserState s = applyAll(alice, alice.startSession("f1", "t1", T0.plusSeconds(60), T0));
    Decision unknown = s.rotateSession("nope", "n", LATER, T0);
    assertEquals(Optional.of(UserError.INVALID_TOKEN), unknown.rejection());
    assertTrue(unknown.events().isEmpty());
    Decision expired = s.rotateSession("t1", "n", LATER, T0.plusSeconds(61));
    assertEquals(Optional.of(UserError.INVALID_TOKEN), expired.rejection());
    assertTrue(expired.events().isEmpty());
  }

  @Test
  void logoutRevokesOnlyThatFamily() {
    UserState alice = alice();
    UserState s = applyAll(alice, alice.startSession("f1", "t1", LATER, T0));
    s = applyAll(s, s.startSession("f2", "u1", LATER, T0));
    UserState out = applyAll(s, s.endSession("t1", T0));
    assertEquals(Map.of("f2", s.sessions().get("f2")), out.sessions());
    assertEquals(Optional.of(UserError.INVALID_TOKEN), out.endSession("t1", T0).rejection());
  }

  @Test
  void keepsABoundedNumberOfFamiliesAndDropsExpiredOnes() {
    UserState s = alice();
    s = applyAll(s, s.startSession("short", "x", T0.plusSeconds(1), T0));
    for (int i = 0; i < UserState.MAX_SESSIONS + 5; i++) {
      s = applyAll(s, s.startSession("f" + i, "t" + i, LATER.plusSeconds(i), T0.plusSeconds(2)));
    }
    assertEquals(UserState.MAX_SESSIONS, s.sessions().size());
    assertFalse(s.sessions().containsKey("short"));
    assertFalse(s.sessions().containsKey("f0"), "the family that expires first is dropped");
    assertTrue(s.sessions().containsKey("f" + (UserState.MAX_SESSIONS + 4)));
  }

  @Test
  void remembersABoundedNumberOfSpentTokens() {
    UserState s = alice();
    s = applyAll(s, s.startSession("f", "t0", LATER, T0));
    for (int i = 1; i <= UserState.MAX_SPENT_PER_SESSION + 3; i++) {
      s = applyAll(s, s.rotateSession("t" + (i - 1), "t" + i, LATER, T0));
    }
    assertEquals(UserState.MAX_SPENT_PER_SESSION, s.sessions().get("f").spentHashes().size());
    assertEquals(List.of(new AllSessionsRevoked(T0)), s.rotateSession("t4", "x", LATER, T0).events());
  }

  @Test
  void friendshipRulesAndTheTwoStepSync() {
    UserState alice = alice();
    assertEquals(Optional.of(UserError.CANNOT_ADD_SELF), alice.addFriend("alice", T0).rejection());
    assertEquals(Optional.of(UserError.NOT_FRIENDS), alice.removeFriend("bob", T0).rejection());

    Decision add = alice.addFriend("bob", T0);
    assertEquals(List.of(new FriendAdded("bob", true, T0)), add.events());
    UserState withBob = applyAll(alice, add);
    assertEquals(List.of("bob"), withBob.view().friends());
    assertEquals(Map.of("bob", true), withBob.peerSync());
    assertEquals(Optional.of(UserError.ALREADY_FRIENDS), withBob.addFriend("bob", T0).rejection());

    // A stale confirmation (for removal) changes nothing; the right one settles the sync.
    assertTrue(withBob.peerSynced("bob", false, true, T0).events().isEmpty());
    Decision confirmed = withBob.peerSynced("bob", true, true, T0);
    assertEquals(List.of(new FriendSyncConfirmed("bob", T0)), confirmed.events());
    UserState settled = applyAll(withBob, confirmed);
    assertTrue(settled.peerSync().isEmpty());

    UserState removed = applyAll(settled, settled.removeFriend("bob", T0));
    assertTrue(removed.friends().isEmpty());
    assertEquals(Map.of("bob", false), removed.peerSync());
  }

  @Test
  void aPeerThatDoesNotExistIsNoFriend() {
    UserState alice = alice();
    UserState withGhost = applyAll(alice, alice.addFriend("ghost", T0));
    Decision answer = withGhost.peerSynced("ghost", true, false, T0);
    assertEquals(List.of(new FriendRemoved("ghost", false, T0)), answer.events());
    UserState after = applyAll(withGhost, answer);
    assertTrue(after.friends().isEmpty());
    assertTrue(after.peerSync().isEmpty());
  }

  @Test
  void syncFromAPeerIsIdempotent() {
    UserState bob = applyAll(UserState.empty(), UserState.empty().register("bob", "Bob", "b@example.com", "h", T0));
    Decision first = bob.syncFromPeer("alice", true, T0);
    assertEquals(List.of(new FriendAdded("alice", false, T0)), first.events());
    UserState linked = applyAll(bob, first);
    assertTrue(linked.peerSync().isEmpty(), "the peer already knows");
    assertTrue(linked.syncFromPeer("alice", true, T0).events().isEmpty());
    UserState unlinked = applyAll(linked, linked.syncFromPeer("alice", false, T0));
    assertTrue(unlinked.friends().isEmpty());
    assertEquals(Optional.of(UserError.USER_NOT_FOUND), UserState.empty().syncFromPeer("alice", true, T0).rejection());
  }
}
