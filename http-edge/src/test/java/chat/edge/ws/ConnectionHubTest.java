package chat.edge.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import chat.cluster.live.LiveFeed;
import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import chat.edge.Poll;
import chat.edge.metrics.EdgeMetrics;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub tells the rooms and users its connections follow again as soon as a node leaves or an
 * entity announces its start, not only on its timer.
 */
class ConnectionHubTest {

  private static final Config CLUSTER = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      """);
  private static final ActorTestKit testKit = ActorTestKit.create("hub-test", CLUSTER);
  /** Long enough that no timer round happens during a test: every Watch seen comes from an event. */
  private static final Duration NEVER = Duration.ofHours(1);
  /** What reached a room entity, and which one. */
  private record ToRoom(String roomId, RoomEntity.Command command) {}

  private static final TestProbe<ToRoom> rooms = testKit.createTestProbe();

  /** What reached a user entity, and which one. */
  private record ToUser(String userId, UserEntity.Command command) {}

  private static final TestProbe<ToUser> users = testKit.createTestProbe();
  private static final ActorRef<Topic.Command<LiveFeed>> entityStarts = testKit.spawn(LiveFeed.entityStarts());

  @BeforeAll
  static void formClusterWithRoomsAsProbe() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ClusterSharding.get(testKit.system()).init(Entity.of(RoomEntity.TYPE_KEY, entity ->
        Behaviors.receiveMessage(command -> {
          rooms.ref().tell(new ToRoom(entity.getEntityId(), command));
          return Behaviors.same();
        })));
    ClusterSharding.get(testKit.system()).init(Entity.of(UserEntity.TYPE_KEY, entity ->
        Behaviors.receiveMessage(command -> {
          users.ref().tell(new ToUser(entity.getEntityId(), command));
          return Behaviors.same();
        })));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<ConnectionHub.Command> hubWithSubscriberTo(String roomId) {
    ActorRef<ConnectionHub.Command> hub = testKit.spawn(ConnectionHub.create(
        ClusterSharding.get(testKit.system()), new EdgeMetrics(), entityStarts, NEVER, NEVER));
    hub.tell(new ConnectionHub.Subscribe(roomId, testKit.<ClientSession.Command>createTestProbe().ref()));
    expectWatchOf(roomId);
    return hub;
  }

  private static void expectWatchOf(String roomId) {
    ToRoom received = rooms.expectMessageClass(ToRoom.class, Duration.ofSeconds(20));
    assertEquals(roomId, received.roomId());
    assertInstanceOf(RoomEntity.Watch.class, received.command());
  }

  @Test
  void watchesARoomAgainWhenItAnnouncesItsStartIfItHasSubscribersToIt() {
    ActorRef<ConnectionHub.Command> hub = hubWithSubscriberTo("room-2");
    try {
      entityStarts.tell(Topic.publish(new LiveFeed.RoomStarted("room-3")));
      entityStarts.tell(Topic.publish(new LiveFeed.RoomStarted("room-2")));
      expectWatchOf("room-2");
      rooms.expectNoMessage(Duration.ofSeconds(1));
    } finally {
      testKit.stop(hub);
    }
  }

  @Test
  void countsAUsersConnectionsToItAgainWhenItAnnouncesItsStart() {
    ActorRef<ConnectionHub.Command> hub = testKit.spawn(ConnectionHub.create(
        ClusterSharding.get(testKit.system()), new EdgeMetrics(), entityStarts, NEVER, NEVER));
    try {
      hub.tell(new ConnectionHub.Connected("user-1", testKit.<ClientSession.Command>createTestProbe().ref()));
      expectConnectionsOf("user-1", 1);
      entityStarts.tell(Topic.publish(new LiveFeed.UserStarted("user-2")));
      entityStarts.tell(Topic.publish(new LiveFeed.UserStarted("user-1")));
      expectConnectionsOf("user-1", 1);
      users.expectNoMessage(Duration.ofSeconds(1));
    } finally {
      testKit.stop(hub);
    }
  }

  private static void expectConnectionsOf(String userId, int count) {
    ToUser received = users.expectMessageClass(ToUser.class, Duration.ofSeconds(20));
    assertEquals(userId, received.userId());
    assertEquals(count, assertInstanceOf(UserEntity.Connections.class, received.command()).count());
  }

  @Test
  void watchesItsRoomsAgainAsSoonAsANodeLeavesButNotWhenOneJoins() {
    ActorRef<ConnectionHub.Command> hub = hubWithSubscriberTo("room-1");

    ActorTestKit other = ActorTestKit.create(testKit.system().name(), CLUSTER);
    try {
      Cluster.get(other.system()).manager().tell(Join.create(Cluster.get(testKit.system()).selfMember().address()));
      Poll.until("the second node joined", Duration.ofSeconds(20),
          () -> Cluster.get(testKit.system()).state().members().size(), members -> members == 2);
      rooms.expectNoMessage(Duration.ofSeconds(1));

      Cluster.get(other.system()).manager().tell(Leave.create(Cluster.get(other.system()).selfMember().address()));
      expectWatchOf("room-1");
    } finally {
      other.shutdownTestKit();
      testKit.stop(hub);
    }
  }
}
