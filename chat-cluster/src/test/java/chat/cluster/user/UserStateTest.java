package chat.cluster.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.user.FriendshipNetwork.Answer;
import chat.cluster.user.FriendshipNetwork.Sync;
import chat.cluster.user.UserEvent.AllSessionsRevoked;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserEvent.FriendSyncConfirmed;
import chat.cluster.user.UserEvent.SessionRotated;
import chat.cluster.user.UserState.Friendship;
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
    assertEquals(new Friendship(false, 0), alice.friendship("bob"));

    Decision add = alice.addFriend("bob", T0);
    assertEquals(List.of(new FriendAdded("bob", true, 1, T0)), add.events());
    UserState withBob = applyAll(alice, add);
    assertEquals(List.of("bob"), withBob.view().friends());
    assertEquals(Map.of("bob", new Friendship(true, 1)), withBob.peerSync());
    assertEquals(Optional.of(UserError.ALREADY_FRIENDS), withBob.addFriend("bob", T0).rejection());

    // An answer older than the pending change changes nothing; the matching one settles it.
    assertTrue(withBob.peerSynced("bob", false, 0, true, T0).events().isEmpty());
    Decision confirmed = withBob.peerSynced("bob", true, 1, true, T0);
    assertEquals(List.of(new FriendSyncConfirmed("bob", 1, T0)), confirmed.events());
    UserState settled = applyAll(withBob, confirmed);
    assertTrue(settled.peerSync().isEmpty());
    assertTrue(settled.peerSynced("bob", true, 1, true, T0).events().isEmpty(), "a repeated answer");

    Decision remove = settled.removeFriend("bob", T0);
    assertEquals(List.of(new FriendRemoved("bob", true, 2, T0)), remove.events());
    UserState removed = applyAll(settled, remove);
    assertTrue(removed.friends().isEmpty());
    assertEquals(new Friendship(false, 2), removed.friendship("bob"));
    assertEquals(Map.of("bob", new Friendship(false, 2)), removed.peerSync());
  }

  @Test
  void aPeerThatDoesNotExistIsNoFriend() {
    UserState alice = alice();
    UserState withGhost = applyAll(alice, alice.addFriend("ghost", T0));
    Decision answer = withGhost.peerSynced("ghost", false, 0, false, T0);
    assertEquals(List.of(new FriendRemoved("ghost", false, 2, T0)), answer.events());
    UserState after = applyAll(withGhost, answer);
    assertTrue(after.friends().isEmpty());
    assertTrue(after.peerSync().isEmpty());
    assertTrue(after.peerSynced("ghost", false, 0, false, T0).events().isEmpty(), "a repeated answer");
  }

  @Test
  void syncFromAPeerTakesOnlyNewerStatesAndIsIdempotent() {
    UserState bob = applyAll(UserState.empty(), UserState.empty().register("bob", "Bob", "b@example.com", "h", T0));
    Decision first = bob.syncFromPeer("alice", true, 1, T0);
    assertEquals(List.of(new FriendAdded("alice", false, 1, T0)), first.events());
    UserState linked = applyAll(bob, first);
    assertTrue(linked.peerSync().isEmpty(), "the peer already knows");
    assertTrue(linked.syncFromPeer("alice", true, 1, T0).events().isEmpty());
    assertTrue(linked.syncFromPeer("alice", false, 0, T0).events().isEmpty(), "an older state");
    UserState unlinked = applyAll(linked, linked.syncFromPeer("alice", false, 2, T0));
    assertTrue(unlinked.friends().isEmpty());
    assertEquals(new Friendship(false, 2), unlinked.friendship("alice"));
    assertTrue(unlinked.syncFromPeer("alice", true, 1, T0).events().isEmpty(), "a late, older add");
    assertEquals(Optional.of(UserError.USER_NOT_FOUND),
        UserState.empty().syncFromPeer("alice", true, 1, T0).rejection());
  }

  // ---- interleavings of the two sides' messages ----

  private static void assertAgree(FriendshipNetwork net, String a, String b, boolean linked, long version) {
    assertEquals(new Friendship(linked, version), net.state(a).friendship(b), a + " about " + b);
    assertEquals(new Friendship(linked, version), net.state(b).friendship(a), b + " about " + a);
    assertTrue(net.state(a).peerSync().isEmpty(), a + " has nothing left to tell");
    assertTrue(net.state(b).peerSync().isEmpty(), b + " has nothing left to tell");
  }

  private static Answer answer(FriendshipNetwork net, Sync sync) {
    return net.deliver(sync).orElseThrow();
  }

  private static Sync only(List<Sync> syncs) {
    assertEquals(1, syncs.size());
    return syncs.get(0);
  }

  /** Friends at version 1, both sides settled. */
  private static FriendshipNetwork friends(String a, String b) {
    FriendshipNetwork net = new FriendshipNetwork(a, b);
    net.run(a, s -> s.addFriend(b, T0));
    net.deliver(answer(net, only(net.tell(a))));
    assertAgree(net, a, b, true, 1);
    return net;
  }

  @Test
  void aStaleRemovalRetriedAfterThePeerAddedAgainDoesNotSplitThePair() {
    FriendshipNetwork net = friends("alice", "bob");

    // Alice removes Bob; Bob applies it, but the confirmation is lost.
    net.run("alice", s -> s.removeFriend("bob", T0));
    Sync removal = only(net.tell("alice"));
    answer(net, removal);
    assertEquals(new Friendship(false, 2), net.state("bob").friendship("alice"));

    // Bob adds Alice again; his sync is on its way.
    net.run("bob", s -> s.addFriend("alice", T0));
    Sync bobsAdd = only(net.tell("bob"));
    assertEquals(new Sync("bob", "alice", true, 3), bobsAdd);

    // Alice's retry, sent before she learned of Bob's add, reaches Bob after it.
    Sync retried = only(net.tell("alice"));
    assertEquals(removal, retried);
    Answer bobsState = answer(net, retried);
    assertEquals(new Answer("bob", "alice", true, 3, true), bobsState, "Bob keeps his newer add");
    assertEquals(List.of("alice"), net.state("bob").view().friends());

    // The answer tells Alice about the newer add: she takes it and stops retrying.
    net.deliver(bobsState);
    assertEquals(List.of("bob"), net.state("alice").view().friends());
    assertTrue(net.state("alice").peerSync().isEmpty());

    // Bob's own sync arrives late and is confirmed.
    net.deliver(answer(net, bobsAdd));
    assertAgree(net, "alice", "bob", true, 3);
  }

  @Test
  void bothAddingAtOnceAgreesAndSettlesBothSides() {
    FriendshipNetwork net = new FriendshipNetwork("alice", "bob");
    net.run("alice", s -> s.addFriend("bob", T0));
    net.run("bob", s -> s.addFriend("alice", T0));
    Sync fromAlice = only(net.tell("alice"));
    Sync fromBob = only(net.tell("bob"));

    // Each sync shows the receiver the state it already holds at the same version, which also
    // settles the receiver's own pending change.
    Answer bobsAnswer = answer(net, fromAlice);
    assertTrue(net.state("bob").peerSync().isEmpty());
    Answer alicesAnswer = answer(net, fromBob);
    assertTrue(net.state("alice").peerSync().isEmpty());
    net.deliver(alicesAnswer);
    net.deliver(bobsAnswer);
    assertAgree(net, "alice", "bob", true, 1);
  }

  @Test
  void anOldConfirmationArrivingAfterARemoveAndReAddIsIgnored() {
    FriendshipNetwork net = new FriendshipNetwork("alice", "bob");
    net.run("alice", s -> s.addFriend("bob", T0));
    Answer lateConfirmation = answer(net, only(net.tell("alice")));

    net.run("alice", s -> s.removeFriend("bob", T0));
    Sync removal = only(net.tell("alice"));
    net.run("alice", s -> s.addFriend("bob", T0));
    assertEquals(Map.of("bob", new Friendship(true, 3)), net.state("alice").peerSync());

    // The confirmation of version 1 does not settle version 3.
    net.deliver(lateConfirmation);
    assertEquals(Map.of("bob", new Friendship(true, 3)), net.state("alice").peerSync());

    // The removal reaches Bob, then the retried re-add; the answer to the removal comes last.
    Answer removalAnswer = answer(net, removal);
    net.deliver(answer(net, only(net.tell("alice"))));
    net.deliver(removalAnswer);
    assertAgree(net, "alice", "bob", true, 3);
  }

  @Test
  void aRemovalCrossingThePeersRemovalSettlesBoth() {
    FriendshipNetwork net = friends("alice", "bob");
    net.run("alice", s -> s.removeFriend("bob", T0));
    net.run("bob", s -> s.removeFriend("alice", T0));
    Sync alicesRemoval = only(net.tell("alice"));
    Sync bobsRemoval = only(net.tell("bob"));
    Answer fromBob = answer(net, alicesRemoval);
    Answer fromAlice = answer(net, bobsRemoval);
    net.deliver(fromBob);
    net.deliver(fromAlice);
    assertAgree(net, "alice", "bob", false, 2);
  }

  @Test
  void differentStatesAtOneVersionGoToTheUserWhoseIdSortsFirst() {
    // Only events stored before versions existed give this (read back as version 0).
    for (String[] pair : new String[][] {{"alice", "bob"}, {"bob", "alice"}}) {
      String initiator = pair[0];
      String peer = pair[1];
      FriendshipNetwork net = new FriendshipNetwork(initiator, peer);
      net.run(initiator, s -> Decision.accept(new FriendAdded(peer, true, 0, T0)));
      net.deliver(answer(net, only(net.tell(initiator))));
      // Alice sorts first: her "friends" wins when she holds it, her "not friends" otherwise.
      boolean linked = initiator.equals("alice");
      assertAgree(net, initiator, peer, linked, 0);
    }
  }

  @Test
  void friendshipStateSurvivesARecovery() {
    FriendshipNetwork net = friends("alice", "bob");
    net.run("alice", s -> s.removeFriend("bob", T0));
    assertEquals(net.state("alice"), net.recovered("alice"));
    assertEquals(List.of(new Sync("alice", "bob", false, 2)), net.tell("alice"));
  }
}
