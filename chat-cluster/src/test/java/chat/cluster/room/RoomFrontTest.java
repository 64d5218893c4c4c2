package chat.cluster.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.live.LiveFeed;
import chat.cluster.room.RoomEntity.Accepted;
import chat.cluster.room.RoomEntity.Command;
import chat.cluster.room.RoomEntity.Posted;
import chat.cluster.room.RoomEntity.Rejected;
import chat.cluster.room.RoomEntity.Reply;
import chat.cluster.user.UserEntity;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Posts that arrive while a write is in flight go to the journal together, in order with other commands. */
class RoomFrontTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00.000Z");
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(PersistenceTestKitSnapshotPlugin.config())
      .withFallback(ConfigFactory.parseResources("serialization.conf"))
      .withFallback(ConfigFactory.load()));
  private static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Records the size of every message write of one room, holding the first until released. */
  private static final class HoldFirstWrite implements ProcessingPolicy<JournalOperation> {
    final String persistenceId;
    final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstArrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HoldFirstWrite(String persistenceId) {
      this.persistenceId = persistenceId;
    }

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      if (persistenceId.equals(this.persistenceId) && operation instanceof WriteEvents write
          && write.getBatch().size() == 1 && write.getBatch().get(0) instanceof RoomEvent.MessagesPosted posted) {
        writes.add(posted.messages().size());
        if (writes.size() == 1) {
          firstArrived.countDown();
          await(release);
        }
      }
      return ProcessingSuccess$.MODULE$;
    }
  }

  @Test
  void postsWaitingBehindAWriteGoTogetherAndOtherCommandsKeepTheirPlace() throws Exception {
    HoldFirstWrite policy = new HoldFirstWrite("Room|r2");
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.withPolicy(policy);
    try {
      ActorRef<Command> room = createdRoom("r2");

      List<TestProbe<Reply>> replies = new ArrayList<>();
      TestProbe<Reply> view = testKit.createTestProbe(Reply.class);
      for (int i = 1; i <= 50; i++) {
        TestProbe<Reply> reply = testKit.createTestProbe(Reply.class);
        replies.add(reply);
        room.tell(new RoomEntity.Post(i % 2 == 0 ? "alice" : "bob", "m" + i, "text " + i, reply.ref()));
        if (i == 1) {
          assertTrue(policy.firstArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first post is written at once");
        }
        if (i == 20) {
          room.tell(new RoomEntity.Get("alice", view.ref()));
        }
      }
      policy.release.countDown();

      for (int i = 1; i <= 50; i++) {
        Posted posted = assertInstanceOf(Posted.class, replies.get(i - 1).receiveMessage(WAIT));
        assertEquals(i, posted.seq(), "post " + i);
      }
      // The view asked for after post 20 sees exactly the first 20, then the rest go as one more batch.
      assertEquals(20, assertInstanceOf(Accepted.class, view.receiveMessage(WAIT)).room().lastSeq());
      assertEquals(List.of(1, 19, 30), policy.writes);
    } finally {
      journal.resetPolicy();
      policy.release.countDown();
    }
  }

  @Test
  void postsBeyondWhatMayWaitAreRefusedAtOnceAsBusy() throws Exception {
    HoldFirstWrite policy = new HoldFirstWrite("Room|r3");
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.withPolicy(policy);
    try {
      ActorRef<Command> room = createdRoom("r3");

      TestProbe<Reply> accepted = testKit.createTestProbe(Reply.class);
      room.tell(new RoomEntity.Post("alice", "first", "in flight", accepted.ref()));
      assertTrue(policy.firstArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      for (int i = 1; i <= RoomFront.MAX_WAITING_POSTS; i++) {
        room.tell(new RoomEntity.Post("alice", "w" + i, "waits", accepted.ref()));
      }
      TestProbe<Reply> refused = testKit.createTestProbe(Reply.class);
      room.tell(new RoomEntity.Post("bob", "one too many", "refused", refused.ref()));
      assertEquals(new Rejected(RoomError.ROOM_BUSY), refused.receiveMessage(WAIT));

      policy.release.countDown();
      List<Reply> answers = accepted.receiveSeveralMessages(RoomFront.MAX_WAITING_POSTS + 1, WAIT);
      assertTrue(answers.stream().allMatch(Posted.class::isInstance), "every waiting post is persisted");
      // Once the queue drains, posts are taken again.
      room.tell(new RoomEntity.Post("bob", "later", "accepted", refused.ref()));
      assertEquals(RoomFront.MAX_WAITING_POSTS + 2, assertInstanceOf(Posted.class, refused.receiveMessage(WAIT)).seq());
    } finally {
      journal.resetPolicy();
      policy.release.countDown();
    }
  }

  @Test
  void aPostThatCannotBeStoredFailsNoOtherPostOfItsBatch() throws Exception {
    HoldFirstWrite policy = new HoldFirstWrite("Room|r4");
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.withPolicy(policy);
    try {
      ActorRef<Command> room = createdRoom("r4");
      TestProbe<Reply> first = testKit.createTestProbe(Reply.class);
      room.tell(new RoomEntity.Post("alice", "first", "in flight", first.ref()));
      assertTrue(policy.firstArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      // These wait behind the first write and go as one batch: the poisoned one in the middle.
      TestProbe<Reply> before = testKit.createTestProbe(Reply.class);
      TestProbe<Reply> poisoned = testKit.createTestProbe(Reply.class);
      TestProbe<Reply> after = testKit.createTestProbe(Reply.class);
      room.tell(new RoomEntity.Post("bob", "b1", "before", before.ref()));
      room.tell(new RoomEntity.Post("alice", "p1", "lone \ud800", poisoned.ref()));
      room.tell(new RoomEntity.Post("bob", "b2", "after", after.ref()));
      policy.release.countDown();

      assertEquals(1, assertInstanceOf(Posted.class, first.receiveMessage(WAIT)).seq());
      assertEquals(new Rejected(RoomError.MALFORMED_TEXT), poisoned.receiveMessage(WAIT));
      assertEquals(2, assertInstanceOf(Posted.class, before.receiveMessage(WAIT)).seq());
      assertEquals(3, assertInstanceOf(Posted.class, after.receiveMessage(WAIT)).seq());
      assertEquals(List.of(1, 2), policy.writes);
    } finally {
      journal.resetPolicy();
      policy.release.countDown();
    }
  }

  /** A room of alice and bob behind its front, created and answered. */
  private static ActorRef<Command> createdRoom(String roomId) {
    ActorRef<Command> room = frontOf(roomId, testKit.createTestProbe(ClusterSharding.ShardCommand.class));
    TestProbe<Reply> created = testKit.createTestProbe(Reply.class);
    room.tell(new RoomEntity.Create("Room " + roomId, "alice", List.of("bob"), created.ref()));
    created.expectMessageClass(Accepted.class, WAIT);
    return room;
  }

  private static ActorRef<Command> frontOf(String roomId, TestProbe<ClusterSharding.ShardCommand> shard) {
    TestProbe<UserEntity.Command> users = testKit.createTestProbe(UserEntity.Command.class);
    return testKit.spawn(RoomFront.create(shard.ref(),
        front -> RoomEntity.create(roomId, userId -> users.ref(), Clock.fixed(NOW, ZoneOffset.UTC), 4, front,
            testKit.<Topic.Command<LiveFeed>>createTestProbe().ref())));
  }

  @Test
  void theFrontOfAnIdNoRoomHasAsksItsShardToPassivateIt() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe(ClusterSharding.ShardCommand.class);
    ActorRef<Command> room = frontOf("nothing-here", shard);
    TestProbe<Reply> reply = testKit.createTestProbe(Reply.class);
    room.tell(new RoomEntity.Post("mallory", "c1", "hello?", reply.ref()));
    assertEquals(new Rejected(RoomError.ROOM_NOT_FOUND), reply.receiveMessage(WAIT));
    ClusterSharding.Passivate<?> passivate = assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage(WAIT));
    assertEquals(room, passivate.entity());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
