package chat.cluster.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.live.LiveFeed;
import chat.cluster.user.UserEntity.Accepted;
import chat.cluster.user.UserEntity.Command;
import chat.cluster.user.UserEntity.Credentials;
import chat.cluster.user.UserEntity.FriendshipSynced;
import chat.cluster.user.UserEntity.Rejected;
import chat.cluster.user.UserEntity.Reply;
import chat.cluster.user.UserEntity.SyncFriendship;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entity with the in-memory journal; every message also goes through serialization. */
class UserEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00.000Z");
  private static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.load());
  private static final ActorTestKit testKit = ActorTestKit.create(CONFIG);

  private TestProbe<Command> peer;
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private TestProbe<Topic.Command<LiveFeed>> entityStarts;
  private EventSourcedBehaviorTestKit<Command, UserEvent, UserState> alice;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    peer = testKit.createTestProbe(Command.class);
    shard = testKit.createTestProbe(ClusterSharding.ShardCommand.class);
    entityStarts = testKit.createTestProbe();
    alice =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            UserEntity.create(
                "alice", peerId -> peer.ref(), Clock.fixed(NOW, ZoneOffset.UTC), 4, shard.ref(), entityStarts.ref()),
            EventSourcedBehaviorTestKit.enabledSerializationSettings());
  }

  private Reply register() {
    return alice.<Reply>runCommand(r -> new UserEntity.Register("Alice", "a@example.com", "hash", r)).reply();
  }

  @Test
  void registersAndAnswersQueries() {
    Accepted created = assertInstanceOf(Accepted.class, register());
    assertEquals(new Profile("alice", "Alice", "a@example.com", "", NOW), created.user().profile());
    assertEquals(new Rejected(UserError.USER_EXISTS), register());
    assertEquals("hash", alice.<Credentials>runCommand(UserEntity.GetCredentials::new).reply().passwordHash());
  }

  @Test
  void aRegisteredUserAnnouncesEachStart() {
    register();
    entityStarts.expectNoMessage(java.time.Duration.ofMillis(200));
    alice.restart();
    assertEquals(Topic.publish(new LiveFeed.UserStarted("alice")), entityStarts.receiveMessage());
  }

  @Test
  void anUnknownUserHasNoCredentialsIsNotFoundAndAsksToBeForgotten() {
    var credentials = alice.<Credentials>runCommand(UserEntity.GetCredentials::new);
    assertNull(credentials.reply().passwordHash());
    assertTrue(credentials.events().isEmpty());
    assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage());
    assertEquals(new Rejected(UserError.USER_NOT_FOUND), alice.<Reply>runCommand(UserEntity.GetUser::new).reply());
    assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage());

    register();
    alice.<Reply>runCommand(UserEntity.GetUser::new);
    alice.<Credentials>runCommand(UserEntity.GetCredentials::new);
    shard.expectNoMessage();
    entityStarts.expectNoMessage();
  }

  @Test
  void reusingASpentRefreshTokenIsRefusedAndRevokesEverySession() {
    register();
    Instant expiry = NOW.plusSeconds(3600);
    alice.<Reply>runCommand(r -> new UserEntity.StartSession("f1", "t1", expiry, r));
    alice.<Reply>runCommand(r -> new UserEntity.StartSession("f2", "u1", expiry, r));
    assertInstanceOf(Accepted.class,
        alice.<Reply>runCommand(r -> new UserEntity.RotateSession("t1", "t2", expiry, r)).reply());

    var reuse = alice.<Reply>runCommand(r -> new UserEntity.RotateSession("t1", "t3", expiry, r));
    assertEquals(new Rejected(UserError.INVALID_TOKEN), reuse.reply());
    assertEquals(List.of(new UserEvent.AllSessionsRevoked(NOW)), reuse.events());
    assertEquals(new Rejected(UserError.INVALID_TOKEN),
        alice.<Reply>runCommand(r -> new UserEntity.RotateSession("u1", "u2", expiry, r)).reply());
  }

  @Test
  void addingAFriendTellsThePeerUntilItConfirms() {
    register();
    var added = alice.<Reply>runCommand(r -> new UserEntity.AddFriend("bob", r));
    assertEquals(List.of("bob"), assertInstanceOf(Accepted.class, added.reply()).user().friends());

    SyncFriendship sync = peer.expectMessageClass(SyncFriendship.class);
    assertEquals(new SyncFriendship("alice", true, 1, sync.replyTo()), sync);
    // Without an answer the entity tells the peer again.
    peer.expectMessageClass(SyncFriendship.class);

    // A stale answer (an older version) settles nothing.
    alice.runCommand(new FriendshipSynced("bob", false, 0, true));
    assertEquals(1, alice.getState().peerSync().size());

    alice.runCommand(new FriendshipSynced("bob", true, 1, true));
    assertTrue(alice.getState().peerSync().isEmpty());
    peer.expectNoMessage(UserEntity.PEER_SYNC_RETRY.multipliedBy(2));
  }

  @Test
  void anAnswerWithANewerStateIsTaken() {
    register();
    alice.<Reply>runCommand(r -> new UserEntity.AddFriend("bob", r));
    peer.expectMessageClass(SyncFriendship.class);

    // Bob removed Alice after taking her add: his answer shows the newer state.
    var answer = alice.runCommand(new FriendshipSynced("bob", false, 2, true));
    assertEquals(List.of(new UserEvent.FriendRemoved("bob", false, 2, NOW)), answer.events());
    assertTrue(alice.getState().friends().isEmpty());
    assertTrue(alice.getState().peerSync().isEmpty());
  }

  @Test
  void anUnconfirmedFriendshipIsToldAgainAfterARestart() {
    register();
    alice.<Reply>runCommand(r -> new UserEntity.AddFriend("bob", r));
    peer.expectMessageClass(SyncFriendship.class);
    alice.restart();
    assertEquals(1, peer.expectMessageClass(SyncFriendship.class).version());
  }

  @Test
  void aPeerSyncIsAppliedAndConfirmed() {
    register();
    TestProbe<Command> bob = testKit.createTestProbe(Command.class);
    alice.runCommand(new SyncFriendship("bob", true, 1, bob.ref()));
    assertEquals(new FriendshipSynced("alice", true, 1, true), bob.receiveMessage());
    assertEquals(List.of("bob"), alice.getState().view().friends());
    assertTrue(alice.getState().peerSync().isEmpty());

    // Alice removes Bob; Bob's older sync, retried, gets her newer state as the answer.
    alice.<Reply>runCommand(r -> new UserEntity.RemoveFriend("bob", r));
    alice.runCommand(new SyncFriendship("bob", true, 1, bob.ref()));
    assertEquals(new FriendshipSynced("alice", false, 2, true), bob.receiveMessage());
    assertTrue(alice.getState().friends().isEmpty());
  }

  @Test
  void anUnregisteredPeerSaysItDoesNotExist() {
    TestProbe<Command> bob = testKit.createTestProbe(Command.class);
    alice.runCommand(new SyncFriendship("bob", true, 1, bob.ref()));
    assertEquals(new FriendshipSynced("alice", false, 0, false), bob.receiveMessage());
  }

  @Test
  void recoversTheSameStateFromSnapshotAndEvents() {
    register();
    Instant expiry = NOW.plusSeconds(3600);
    alice.<Reply>runCommand(r -> new UserEntity.StartSession("f", "t0", expiry, r));
    // Enough events to pass a snapshot (every 100) and leave some after it.
    for (int i = 1; i <= 130; i++) {
      String previous = "t" + (i - 1);
      String next = "t" + i;
      alice.<Reply>runCommand(r -> new UserEntity.RotateSession(previous, next, expiry, r));
    }
    alice.<Reply>runCommand(r -> new UserEntity.ChangeProfile(null, "away", r));
    UserState before = alice.getState();
    assertTrue(alice.snapshotTestKit().isPresent());

    UserState after = alice.restart().state();
    assertEquals(before, after);
    assertEquals("t130", after.sessions().get("f").currentHash());
    assertEquals("away", after.profile().statusMessage());
  }
}
