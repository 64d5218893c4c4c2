package chat.cluster.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.RoomEntity.Accepted;
import chat.cluster.room.RoomEntity.Command;
import chat.cluster.room.RoomEntity.Posted;
import chat.cluster.room.RoomEntity.Rejected;
import chat.cluster.room.RoomEntity.Reply;
import chat.cluster.live.LiveFeed;
import chat.cluster.user.UserEntity;
import chat.cluster.user.UserEntity.SyncRoomMembership;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The room entity with the in-memory journal; every message also goes through serialization. */
class RoomEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00.000Z");
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.load());
  private static final ActorTestKit testKit = ActorTestKit.create(CONFIG);

  private TestProbe<UserEntity.Command> users;
  private TestProbe<RoomFront.Message> front;
  private TestProbe<Topic.Command<LiveFeed>> entityStarts;
  private EventSourcedBehaviorTestKit<Command, RoomEvent, RoomState> room;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    users = testKit.createTestProbe(UserEntity.Command.class);
    front = testKit.createTestProbe(RoomFront.Message.class);
    entityStarts = testKit.createTestProbe();
    room = EventSourcedBehaviorTestKit.create(
        testKit.system(),
        RoomEntity.create(
            "r1", userId -> users.ref(), Clock.fixed(NOW, ZoneOffset.UTC), 4, front.ref(), entityStarts.ref()),
        // The state itself is never serialized: the snapshot adapter stores RoomState.Snapshot.
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  private Reply create() {
    return room.<Reply>runCommand(r -> new RoomEntity.Create("Team", "alice", List.of("bob"), r)).reply();
  }

  /** A post as the room's front passes it on: in a batch (of one). */
  private Reply post(String sender, String clientMsgId) {
    Reply reply = room.<Reply>runCommand(r -> batchOf(new RoomEntity.Post(sender, clientMsgId, "hello", r))).reply();
    assertEquals(RoomFront.BatchPersisted.INSTANCE, front.receiveMessage());
    return reply;
  }

  private RoomEntity.PostBatch batchOf(RoomEntity.Post post) {
    return new RoomEntity.PostBatch(List.of(post), front.ref());
  }

  /** The next membership sync; room notices for members' connections may come first. */
  private SyncRoomMembership nextSync() {
    while (true) {
      UserEntity.Command next = users.receiveMessage();
      if (next instanceof SyncRoomMembership sync) {
        return sync;
      }
      assertInstanceOf(UserEntity.Notify.class, next);
    }
  }

  @Test
  void createsARoomAndTellsEveryMember() {
    RoomView view = assertInstanceOf(Accepted.class, create()).room();
    assertEquals(List.of("alice", "bob"), view.members());
    List<UserEntity.Command> told = users.receiveSeveralMessages(4);
    long notices = told.stream()
        .filter(m -> m.equals(new UserEntity.Notify(new LiveFeed.RoomChanged("r1", "created", "alice"))))
        .count();
    long syncs = told.stream()
        .filter(m -> m instanceof SyncRoomMembership sync && sync.roomId().equals("r1") && sync.member())
        .count();
    assertEquals(2, notices, "each member's connections hear of the room");
    assertEquals(2, syncs, "each member's user entity learns it is in the room");
  }

  @Test
  void theMembershipSyncIsRetriedUntilConfirmed() {
    create();
    nextSync();
    SyncRoomMembership sync = nextSync();
    // Nobody answered: both are told again.
    nextSync();
    nextSync();
    sync.replyTo().tell(new UserEntity.RoomMembershipSynced("alice", "r1", true));
    sync.replyTo().tell(new UserEntity.RoomMembershipSynced("bob", "r1", true));
    users.awaitAssert(() -> {
      assertTrue(room.getState().membershipSync().isEmpty());
      return null;
    });
  }

  @Test
  void postsGetConsecutiveSeqsAndRetriesGetTheOriginal() {
    create();
    Posted first = assertInstanceOf(Posted.class, post("alice", "c1"));
    assertEquals(new Posted(1, NOW, false), first);
    assertEquals(new Posted(2, NOW, false), post("bob", "c1"));
    assertEquals(new Posted(1, NOW, true), post("alice", "c1"));
    assertEquals(new Rejected(RoomError.NOT_A_MEMBER), post("eve", "c1"));
  }

  @Test
  void onlyMembersSeeTheRoom() {
    assertEquals(new Rejected(RoomError.ROOM_NOT_FOUND),
        room.<Reply>runCommand(r -> new RoomEntity.Get("alice", r)).reply());
    create();
    assertEquals(new Rejected(RoomError.NOT_A_MEMBER),
        room.<Reply>runCommand(r -> new RoomEntity.Get("eve", r)).reply());
    assertInstanceOf(Accepted.class, room.<Reply>runCommand(r -> new RoomEntity.Get("bob", r)).reply());
  }

  @Test
  void theSnapshotRecordSurvivesSerialization() {
    create();
    post("alice", "c1");
    RoomState.Snapshot snapshot = room.getState().snapshot();
    SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    RoomState.Snapshot copy = (RoomState.Snapshot) serialization.verifySerialization(snapshot, false);
    assertEquals(room.getState().viewFor("bob"), RoomState.from(copy).viewFor("bob"));
    assertTrue(RoomState.from(copy).previousSend("alice", "c1").isPresent());
  }

  @Test
  void recoversFromSnapshotAndEventsWithItsDedupWindow() {
    create();
    // Past one snapshot (every 1000 events) with some events after it.
    for (int i = 1; i <= 1_050; i++) {
      post(i % 2 == 0 ? "alice" : "bob", "m" + i);
    }
    room.<Reply>runCommand(r -> new RoomEntity.MarkRead("alice", 1_000, r));
    RoomView before = room.getState().viewFor("alice");

    RoomState after = room.restart().state();
    assertEquals(before, after.viewFor("alice"));
    assertEquals(1_050, after.lastSeq());
    assertEquals(new Posted(10, NOW, true), post("alice", "m10"));
    assertEquals(new Posted(1_051, NOW, false), post("alice", "new"));
  }

  @Test
  void aRoomAnnouncesEachStartOnceItExists() {
    create();
    entityStarts.expectNoMessage(java.time.Duration.ofMillis(200));
    room.restart();
    assertEquals(Topic.publish(new LiveFeed.RoomStarted("r1")), entityStarts.receiveMessage());
  }

  @Test
  void anIdNoRoomHasIsAnsweredStoresNothingAndAsksToBeForgotten() {
    var get = room.<Reply>runCommand(r -> new RoomEntity.Get("mallory", r));
    assertEquals(new Rejected(RoomError.ROOM_NOT_FOUND), get.reply());
    assertTrue(get.events().isEmpty());
    assertEquals(RoomFront.NoSuchRoom.INSTANCE, front.receiveMessage());
    var posted = room.<Reply>runCommand(r -> batchOf(new RoomEntity.Post("mallory", "c1", "hello?", r)));
    assertEquals(new Rejected(RoomError.ROOM_NOT_FOUND), posted.reply());
    assertTrue(posted.events().isEmpty());
    assertEquals(RoomFront.BatchPersisted.INSTANCE, front.receiveMessage(), "the front may pass on its next batch");
    assertEquals(RoomFront.NoSuchRoom.INSTANCE, front.receiveMessage());

    assertInstanceOf(Accepted.class, create());
    front.expectNoMessage();
    room.<Reply>runCommand(r -> new RoomEntity.Get("mallory", r));
    front.expectNoMessage(java.time.Duration.ofMillis(200));
    entityStarts.expectNoMessage();
  }
}
