package chat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.cluster.room.RoomEntity;
import chat.edge.limits.KeyedBuckets;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.rooms.Rooms;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A post whose first ask is lost on its way (as Pekko drops what reaches a shard being handed off)
 * is answered through a second ask within the timeout; a command that must not arrive twice is
 * asked once.
 */
class EntityAsksTest {

  private static final ActorTestKit testKit = ActorTestKit.create("entity-asks-test", ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      """));
  private static final EntityAsks ASKS = new EntityAsks(Duration.ofSeconds(3), Duration.ofMillis(500));
  /** Commands each stand-in room received. */
  private static final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private static Rooms rooms;

  /**
   * Stand-in rooms: "loses-first" ignores its first command and answers the rest; "silent" never
   * answers.
   */
  @BeforeAll
  static void startRooms() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    sharding.init(Entity.of(RoomEntity.TYPE_KEY, entity -> Behaviors.receiveMessage(command -> {
      int count = received.computeIfAbsent(entity.getEntityId(), id -> new AtomicInteger()).incrementAndGet();
      if (entity.getEntityId().equals("loses-first") && count > 1 && command instanceof RoomEntity.Post post) {
        post.replyTo().tell(new RoomEntity.Posted(count, Instant.now(), false));
      }
      return Behaviors.same();
    })));
    rooms = new Rooms(sharding, null, null, null, ASKS, new EdgeMetrics(), new KeyedBuckets(100, 100));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aPostWhoseFirstAskIsLostIsAnsweredByTheSecond() throws Exception {
    var posted = rooms.post("alice", "loses-first", "m-1", "hello").toCompletableFuture().get();

    assertEquals(2, posted.seq());
    assertEquals(2, received.get("loses-first").get());
  }

  @Test
  void aPostNobodyAnswersIsAskedTwiceThenTimesOut() {
    var failure = assertThrows(ExecutionException.class,
        () -> rooms.post("alice", "silent-post", "m-1", "hello").toCompletableFuture().get());

    assertInstanceOf(TimeoutException.class, failure.getCause());
    assertEquals(2, received.get("silent-post").get());
  }

  @Test
  void aLeaveIsAskedOnce() {
    var failure = assertThrows(ExecutionException.class,
        () -> rooms.leave("alice", "silent-leave").toCompletableFuture().get());

    assertInstanceOf(TimeoutException.class, failure.getCause());
    assertEquals(1, received.get("silent-leave").get());
  }

  @Test
  void theSecondAskMustStartBeforeTheTimeout() {
    assertThrows(IllegalArgumentException.class, () -> new EntityAsks(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }
}
