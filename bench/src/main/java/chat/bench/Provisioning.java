package chat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Creates the population through the public API, as real clients would: users (register and log
 * in), friendships from each room's creator to its other members, and rooms of a fixed size.
 */
public final class Provisioning {

  public static final String PASSWORD = "bench-password-1";
  /** Registration and login are bcrypt-bound: a few in parallel use both cores of the node. */
  private static final int PARALLELISM = 8;

  private Provisioning() {
  }

  public record User(String userId, String accessToken) {}

  public record Room(String roomId, List<User> members) {}

  /** {@code users} users in rooms of {@code roomSize}: users 0..M-1 in the first room, and so on. */
  public record Population(List<User> users, List<Room> rooms) {}

  public static Population create(RestClient api, int users, int roomSize) throws Exception {
    return create(api, users, roomSize, "bench");
  }

  /** As above, with user ids {@code <prefix>000000, …}, so that another population can share the database. */
  public static Population create(RestClient api, int users, int roomSize, String prefix) throws Exception {
    if (users % roomSize != 0) {
      throw new IllegalArgumentException("users (" + users + ") must be a multiple of the room size (" + roomSize + ")");
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    try {
      List<Future<User>> pending = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String userId = String.format("%s%06d", prefix, i);
        pending.add(pool.submit(() -> newUser(api, userId)));
      }
      List<User> created = new ArrayList<>();
      for (Future<User> user : pending) {
        created.add(user.get());
      }
      List<Future<Room>> rooms = new ArrayList<>();
      for (int first = 0; first < users; first += roomSize) {
        List<User> members = created.subList(first, first + roomSize);
        rooms.add(pool.submit(() -> newRoom(api, members)));
      }
      List<Room> createdRooms = new ArrayList<>();
      for (Future<Room> room : rooms) {
        createdRooms.add(room.get());
      }
      return new Population(List.copyOf(created), List.copyOf(createdRooms));
    } finally {
      pool.shutdownNow();
    }
  }

  private static User newUser(RestClient api, String userId) {
    api.expect(201, "/api/users", null, "{\"userId\":" + RestClient.quote(userId) + ",\"password\":"
        + RestClient.quote(PASSWORD) + ",\"name\":" + RestClient.quote("Bench " + userId) + ",\"email\":"
        + RestClient.quote(userId + "@example.com") + "}");
    String token = api.expect(200, "/api/auth/login", null, "{\"userId\":" + RestClient.quote(userId)
        + ",\"password\":" + RestClient.quote(PASSWORD) + "}").get("accessToken").asText();
    return new User(userId, token);
  }

  /** The first member befriends the others (friendship is mutual) and creates the room. */
  private static Room newRoom(RestClient api, List<User> members) {
    User creator = members.get(0);
    List<User> others = members.subList(1, members.size());
    for (User other : others) {
      api.expect(201, "/api/friends", creator.accessToken(), "{\"userId\":" + RestClient.quote(other.userId()) + "}");
    }
    String memberList = others.stream().map(u -> RestClient.quote(u.userId())).collect(Collectors.joining(","));
    String roomId = api.expect(201, "/api/rooms", creator.accessToken(),
        "{\"name\":\"bench\",\"members\":[" + memberList + "]}").get("roomId").asText();
    return new Room(roomId, List.copyOf(members));
  }
}
