package chat.edge.http;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static chat.edge.Poll.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import chat.edge.ApiClient;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * Subscribes to rooms the account does not list ask the room only within the user's allowance
   * (10 at once, then 2/s): past it they are refused without waking an entity, while a room the
   * user is in is still subscribed to at once.
   */
  @Test
  void subscribesToRandomRoomIdsAreAnsweredWithinAnAllowanceAndLeaveNoRoomEntities() throws Exception {
    String user = ApiClient.uniqueId("uk");
    String token = api.newUser(user).accessToken();
    String friend = ApiClient.uniqueId("uk");
    api.newUser(friend);
    assertStatus(201, api.addFriend(token, friend));
    String roomId = api.createdRoom(token, "mine", friend).get("roomId").asText();
    int before = entities(RoomEntity.TYPE_KEY);
    Map<String, Integer> answers = new TreeMap<>();
    long start = System.nanoTime();
    try (WsClient ws = WsClient.connect(node.baseUrl(), token)) {
      for (int i = 0; i < 100; i++) {
        String randomId = UUID.randomUUID().toString();
        ws.send(json("type", "subscribe", "roomId", randomId));
        JsonNode error = ws.next("error");
        assertEquals(randomId, error.get("ref").asText());
        answers.merge(error.get("code").asText(), 1, Integer::sum);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(Set.of("ROOM_NOT_FOUND", "RATE_LIMITED"), answers.keySet(), answers.toString());
      assertTrue(answers.get("ROOM_NOT_FOUND") <= 10 + 2 * seconds + 1, answers + " in " + seconds + " s");

      // Created before the random ids were tried: the account has listed it since.
      ws.send(json("type", "subscribe", "roomId", roomId));
      assertEquals(roomId, ws.next("subscribed").get("roomId").asText());
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
