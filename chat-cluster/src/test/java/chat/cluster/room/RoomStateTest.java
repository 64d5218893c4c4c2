package chat.cluster.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.RoomEvent.MessagePosted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The room's decisions as plain functions: no actors. */
class RoomStateTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.000Z");

  private static RoomState applyAll(RoomState state, RoomDecision decision) {
    decision.events().forEach(state::apply);
    return state;
  }

  private static RoomState room(String... invitees) {
    RoomState state = new RoomState("r1");
    return applyAll(state, state.create(null, "alice", List.of(invitees), T0));
  }

  private static long post(RoomState room, String sender, String clientMsgId) {
    room.post(sender, clientMsgId, "hi " + clientMsgId, T0).events().forEach(room::apply);
    return room.previousSend(sender, clientMsgId).orElseThrow().seq();
  }

  @Test
  void createsOnceWithTheCreatorFirstAndEachMemberOnce() {
    RoomState room = room("bob", "carol", "bob", "alice");
    assertEquals(List.of("alice", "bob", "carol"), room.members());
    assertEquals("alice, bob, carol", room.viewFor("alice").name());
    assertEquals(Optional.of(RoomError.ROOM_EXISTS), room.create("x", "bob", List.of("alice"), T0).rejection());
    assertEquals(Map.of("alice", true, "bob", true, "carol", true), room.membershipSync());
  }

  @Test
  void aNamedRoomKeepsItsTrimmedName() {
    RoomState state = new RoomState("r1");
    applyAll(state, state.create("  Team  ", "alice", List.of("bob"), T0));
    assertEquals("Team", state.viewFor("bob").name());
  }

  @Test
  void onlyMembersMayActAndUnknownRoomsAreNotFound() {
    RoomState none = new RoomState("r1");
    assertEquals(Optional.of(RoomError.ROOM_NOT_FOUND), none.post("alice", "c", "t", T0).answers().get(0).refusal());
    RoomState room = room("bob");
    assertEquals(Optional.of(RoomError.NOT_A_MEMBER), room.post("eve", "c", "t", T0).answers().get(0).refusal());
    assertEquals(Optional.of(RoomError.NOT_A_MEMBER), room.markRead("eve", 1, T0).rejection());
    assertEquals(Optional.of(RoomError.NOT_A_MEMBER), room.leave("eve", T0).rejection());
    assertEquals(Optional.of(RoomError.NOT_A_MEMBER), room.invite("eve", "dan", true, T0).rejection());
  }

  @Test
  void postsDecidedTogetherTakeConsecutiveSeqsInOneEventAndARepeatInTheSameBatchAddsNothing() {
    RoomState room = room("bob");
    post(room, "alice", "earlier");
    RoomState.Posting posting = room.post(List.of(
        new RoomState.PostRequest("alice", "a", "one"),
        new RoomState.PostRequest("carol", "c", "not a member"),
        new RoomState.PostRequest("bob", "a", "same id, other sender"),
        new RoomState.PostRequest("alice", "a", "repeat in the batch"),
        new RoomState.PostRequest("alice", "earlier", "repeat of an earlier send")), T0);
    assertEquals(List.of(
        RoomState.PostAnswer.NEW,
        RoomState.PostAnswer.refused(RoomError.NOT_A_MEMBER),
        RoomState.PostAnswer.NEW,
        RoomState.PostAnswer.REPEAT,
        RoomState.PostAnswer.REPEAT), posting.answers());
    assertEquals(List.of(new RoomEvent.MessagesPosted(List.of(
        new MessagePosted(2, "alice", "a", "one", T0),
        new MessagePosted(3, "bob", "a", "same id, other sender", T0)))), posting.events());
    posting.events().forEach(room::apply);
    assertEquals(3, room.lastSeq());
    assertEquals(2, room.previousSend("alice", "a").orElseThrow().seq());
    assertEquals(3, room.previousSend("bob", "a").orElseThrow().seq());
  }

  @Test
  void aPostThatCannotBeStoredIsRefusedAloneAndTheOthersOfItsBatchGoOn() {
    RoomState room = room("bob");
    RoomState.Posting posting = room.post(List.of(
        new RoomState.PostRequest("bob", "b1", "before"),
        new RoomState.PostRequest("alice", "a1", "lone \ud800 surrogate"),
        new RoomState.PostRequest("alice", "a\udc00", "lone surrogate in the id"),
        new RoomState.PostRequest("bob", "b2", "after")), T0);
    assertEquals(List.of(
        RoomState.PostAnswer.NEW,
        RoomState.PostAnswer.refused(RoomError.MALFORMED_TEXT),
        RoomState.PostAnswer.refused(RoomError.MALFORMED_TEXT),
        RoomState.PostAnswer.NEW), posting.answers());
    assertEquals(List.of(new RoomEvent.MessagesPosted(List.of(
        new MessagePosted(1, "bob", "b1", "before", T0),
        new MessagePosted(2, "bob", "b2", "after", T0)))), posting.events());
  }

  @Test
  void postsThatAddNoMessageStoreNothing() {
    RoomState room = room("bob");
    post(room, "alice", "earlier");
    assertEquals(List.of(), room.post(List.of(
        new RoomState.PostRequest("carol", "c", "not a member"),
        new RoomState.PostRequest("alice", "earlier", "repeat")), T0).events());
  }

  @Test
  void aMessageStoredAloneByEarlierVersionsCountsAsInABatch() {
    RoomState alone = room("bob");
    alone.apply(new MessagePosted(1, "alice", "a", "one", T0));
    alone.apply(new MessagePosted(2, "bob", "b", "two", T0));
    RoomState batched = room("bob");
    batched.apply(new RoomEvent.MessagesPosted(List.of(
        new MessagePosted(1, "alice", "a", "one", T0), new MessagePosted(2, "bob", "b", "two", T0))));
    for (String member : List.of("alice", "bob")) {
      assertEquals(alone.viewFor(member), batched.viewFor(member));
    }
    assertEquals(alone.previousSend("bob", "b"), batched.previousSend("bob", "b"));
    assertEquals(2, batched.previousSend("bob", "b").orElseThrow().seq());
  }

  @Test
  void seqsFollowOneAnotherWithoutGaps() {
    RoomState room = room("bob");
    assertEquals(1, post(room, "alice", "a1"));
    assertEquals(2, post(room, "bob", "b1"));
    assertEquals(3, post(room, "alice", "a2"));
    assertEquals(3, room.lastSeq());
    assertEquals("hi a2", room.viewFor("bob").lastMessage().text());
  }

  @Test
  void aRetriedSendRecordsNothingAndFindsTheOriginal() {
    RoomState room = room("bob");
    post(room, "alice", "same");
    post(room, "bob", "other");
    RoomState.Posting retry = room.post("alice", "same", "changed text", T0.plusSeconds(5));
    assertEquals(List.of(RoomState.PostAnswer.REPEAT), retry.answers());
    assertTrue(retry.events().isEmpty());
    assertEquals(1, room.previousSend("alice", "same").orElseThrow().seq());
    // The same clientMsgId from another sender is another message.
    assertEquals(3, post(room, "bob", "same"));
  }

  @Test
  void dedupCoversTheLastTenThousandSendsAndSurvivesASnapshot() {
    RoomState room = room("bob");
    int total = RecentSends.CAPACITY + 500;
    for (int i = 1; i <= total; i++) {
      room.apply(new MessagePosted(i, "alice", "m" + i, "t", T0));
    }
    RoomState restored = RoomState.from(room.snapshot());
    // The oldest 500 fell out of the window; every one of the last 10,000 is still known.
    assertTrue(restored.previousSend("alice", "m500").isEmpty());
    assertEquals(501, restored.previousSend("alice", "m501").orElseThrow().seq());
    assertEquals(total, restored.previousSend("alice", "m" + total).orElseThrow().seq());
    assertTrue(restored.post("alice", "m" + (total - 9_999), "t", T0).events().isEmpty());
    assertEquals(room.viewFor("alice"), restored.viewFor("alice"));
  }

  @Test
  void unreadCountsOthersMessagesAboveTheReadMark() {
    RoomState room = room("bob");
    post(room, "alice", "a1");
    post(room, "alice", "a2");
    post(room, "bob", "b1");
    assertEquals(2, room.viewFor("bob").unread(), "bob's own message does not count, alice's do");
    assertEquals(1, room.viewFor("alice").unread());
    post(room, "alice", "a3");
    assertEquals(3, room.viewFor("bob").unread());
    applyAll(room, room.markRead("bob", 3, T0));
    assertEquals(1, room.viewFor("bob").unread());
    applyAll(room, room.markRead("alice", 99, T0));
    assertEquals(0, room.viewFor("alice").unread());
    assertTrue(room.markRead("alice", 1, T0).events().isEmpty(), "read marks never move back");
    // Having read everything, a member's own message leaves nothing unread.
    post(room, "alice", "a4");
    assertEquals(0, room.viewFor("alice").unread());
    assertEquals(room.viewFor("bob"), RoomState.from(room.snapshot()).viewFor("bob"));
  }

  @Test
  void invitationRulesInTheContractsOrder() {
    RoomState room = room("bob");
    assertEquals(Optional.of(RoomError.NOT_A_FRIEND), room.invite("alice", "dan", false, T0).rejection());
    assertEquals(Optional.of(RoomError.ALREADY_MEMBER), room.invite("alice", "bob", true, T0).rejection());
    post(room, "alice", "a1");
    applyAll(room, room.invite("bob", "dan", true, T0));
    assertTrue(room.isMember("dan"));
    assertEquals(0, room.viewFor("dan").unread(), "a newcomer starts with nothing unread");
    assertEquals(true, room.membershipSync().get("dan"));
  }

  @Test
  void leavingEndsMembershipAndTellsTheUser() {
    RoomState room = room("bob");
    applyAll(room, room.leave("bob", T0));
    assertTrue(!room.isMember("bob"));
    assertEquals(false, room.membershipSync().get("bob"));
    assertEquals(Optional.of(RoomError.NOT_A_MEMBER), room.leave("bob", T0).rejection());
  }

  @Test
  void membershipSyncIsSettledOnlyByTheMatchingConfirmation() {
    RoomState room = room("bob");
    applyAll(room, room.leave("bob", T0));
    assertTrue(room.membershipSynced("bob", true, T0).events().isEmpty(), "stale");
    applyAll(room, room.membershipSynced("bob", false, T0));
    assertNull(room.membershipSync().get("bob"));
  }
}
