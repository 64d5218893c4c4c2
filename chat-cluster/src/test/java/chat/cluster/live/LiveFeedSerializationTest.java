package chat.cluster.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.room.Message;
import chat.cluster.user.UserEntity;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What entities push to the hubs of other nodes crosses the wire: each item survives serialization. */
class LiveFeedSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyLiveFeedItemAndNoticeRoundTrips() {
    SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    Message message = new Message("room-1", 7, "alice", "hi", Instant.parse("2026-11-24T10:00:00.123Z"), "c7");
    List<Object> items = List.of(
        new LiveFeed.MessagePosted(message),
        new LiveFeed.RoomWatched("room-1", 7),
        new LiveFeed.Typing("room-1", "alice"),
        new LiveFeed.MemberLeft("room-1", "bob"),
        new LiveFeed.ToUser("bob", new LiveFeed.Presence("alice", true)),
        new LiveFeed.ToUser("bob", new LiveFeed.RoomChanged("room-1", "joined", "carol")),
        new UserEntity.Notify(new LiveFeed.Presence("alice", false)),
        new UserEntity.Notify(new LiveFeed.RoomChanged("room-1", "created", "alice")));
    for (Object item : items) {
      assertEquals(item, serialization.verifySerialization(item, false), () -> "round trip of " + item);
    }
  }
}
