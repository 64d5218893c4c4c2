package chat.edge.http;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static chat.edge.Poll.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import chat.edge.ApiClient;
import chat.edge.WsClient;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.junit.jupiter.api.Test;

/** Ids that name nothing are answered without leaving an entity behind for each. */
class UnknownIdsTest extends NodeTestBase {

  /** Entities of the type alive on the node now, as its shard region counts them. */
  private static int entities(EntityTypeKey<?> type) {
    ActorSystem<?> system = node.node().system();
    CurrentShardRegionState state = AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(type, replyTo), Duration.ofSeconds(5), system.scheduler())
        .toCompletableFuture().join();
    return state.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum();
  }

  @Test
  void subscribesToRandomRoomIdsLeaveNoRoomEntities() throws Exception {
    String user = ApiClient.uniqueId("uk");
    String token = api.newUser(user).accessToken();
    int before = entities(RoomEntity.TYPE_KEY);
    try (WsClient ws = WsClient.connect(node.baseUrl(), token)) {
      for (int i = 0; i < 100; i++) {
        String roomId = UUID.randomUUID().toString();
        ws.send(json("type", "subscribe", "roomId", roomId));
        assertEquals("ROOM_NOT_FOUND", ws.next("error").get("code").asText());
      }
    }
    eventually("the room entities of the random ids are gone", () -> entities(RoomEntity.TYPE_KEY) <= before);
  }

  @Test
  void lookupsAndLoginsOfUnknownUsersLeaveNoUserEntities() throws Exception {
    String token = api.newUser(ApiClient.uniqueId("uk")).accessToken();
    int before = entities(UserEntity.TYPE_KEY);
    for (int i = 0; i < 50; i++) {
      String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
      assertStatus(404, api.user(token, nobody));
      assertStatus(401, api.login(nobody, ApiClient.PASSWORD));
      assertStatus(404, api.addFriend(token, nobody));
    }
    eventually("the user entities of the unknown ids are gone", () -> entities(UserEntity.TYPE_KEY) <= before);
  }
}
