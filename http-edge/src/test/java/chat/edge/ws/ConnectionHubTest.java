package chat.edge.ws;

import chat.cluster.room.RoomEntity;
import chat.edge.Poll;
import chat.edge.metrics.EdgeMetrics;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub tells the rooms its connections follow again as soon as a node leaves, not only on its timer. */
class ConnectionHubTest {

  private static final Config CLUSTER = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      """);
  private static final ActorTestKit testKit = ActorTestKit.create("hub-test", CLUSTER);
  /** Long enough that no timer round happens during a test: every Watch seen comes from an event. */
  private static final Duration NEVER = Duration.ofHours(1);
  private static final TestProbe<RoomEntity.Command> rooms = testKit.createTestProbe();

  @BeforeAll
  static void formClusterWithRoomsAsProbe() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ClusterSharding.get(testKit.system()).init(Entity.of(RoomEntity.TYPE_KEY, entity ->
        Behaviors.receiveMessage(command -> {
          rooms.ref().tell(command);
          return Behaviors.same();
        })));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void watchesItsRoomsAgainAsSoonAsANodeLeavesButNotWhenOneJoins() {
    ActorRef<ConnectionHub.Command> hub = testKit.spawn(ConnectionHub.create(
        ClusterSharding.get(testKit.system()), new EdgeMetrics(), NEVER, NEVER));
    hub.tell(new ConnectionHub.Subscribe("room-1", testKit.<ClientSession.Command>createTestProbe().ref()));
    rooms.expectMessageClass(RoomEntity.Watch.class, Duration.ofSeconds(20));

    ActorTestKit other = ActorTestKit.create(testKit.system().name(), CLUSTER);
    try {
      Cluster.get(other.system()).manager().tell(Join.create(Cluster.get(testKit.system()).selfMember().address()));
      Poll.until("the second node joined", Duration.ofSeconds(20),
          () -> Cluster.get(testKit.system()).state().members().size(), members -> members == 2);
      rooms.expectNoMessage(Duration.ofSeconds(1));

      Cluster.get(other.system()).manager().tell(Leave.create(Cluster.get(other.system()).selfMember().address()));
      rooms.expectMessageClass(RoomEntity.Watch.class, Duration.ofSeconds(20));
    } finally {
      other.shutdownTestKit();
    }
  }
}
