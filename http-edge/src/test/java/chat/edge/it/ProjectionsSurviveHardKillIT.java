package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.it.ClusterSupport.RestSender;
import chat.edge.it.ReadTablesCheck.Expected;
import chat.edge.it.ReadTablesCheck.People;
import chat.edge.it.ReadTablesCheck.Room;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL while its projection instances are busy: the split brain resolver
 * downs it, its instances start again on the surviving node from their stored offsets, and the
 * read tables end exactly as the entities and the acknowledged sends say, with no event lost or
 * applied twice. The killed node is the packaged jar in its own process; the survivor runs in the
 * test JVM and has the lower address, which keep-majority keeps when two nodes split evenly.
 */
class ProjectionsSurviveHardKillIT {

  private static final Duration DEADLINE = Duration.ofSeconds(45);
  /** Both nodes decide sooner than the default 20 s; only the test's time depends on it. */
  private static final String STABLE_AFTER = "5s";
  private static final List<String> DAEMON_TYPES = List.of(
      "sharded-daemon-process-room-read", "sharded-daemon-process-user-read");
  private static final Set<String> ALL_INSTANCES = Set.of("0", "1", "2", "3");
  private static final int USERS = 5;
  private static final int ROOMS = 6;

  @Test
  void instancesOfAKilledNodeResumeOnTheSurvivorAndTheReadTablesStayExact(@TempDir Path workDir) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      TestNode survivor = null;
      JarNode killed = null;
      List<Room> rooms = new ArrayList<>();
      try {
        survivor = TestNode.onPostgres(db.settings(), "",
            Map.of("pekko.cluster.split-brain-resolver.stable-after", STABLE_AFTER));
        ClusterSupport.awaitUp(survivor, 1);
        ApiClient api = new ApiClient(survivor.baseUrl());

        People people = People.register(api, "killed", USERS);
        String owner = people.owner();

        killed = JarNode.start(workDir, "killed.log", Map.of(
            "CHAT_DB_URL", db.settings().jdbcUrl(),
            "CHAT_DB_USER", db.settings().user(),
            "CHAT_DB_PASSWORD", db.settings().password(),
            "CHAT_JWT_SECRET", "a-secret-only-this-test-uses-0123456789abcdef",
            "CHAT_SEED_NODES", survivor.seedAddress(),
            "CHAT_REMOTE_PORT", Integer.toString(portAbove(survivor.seedAddress())),
            "JAVA_TOOL_OPTIONS", "-Dpekko.cluster.split-brain-resolver.stable-after=" + STABLE_AFTER));
        killed.awaitReady();
        ClusterSupport.awaitUp(survivor, 2);

        for (int r = 0; r < ROOMS; r++) {
          String member = people.ids().get(1 + r % (USERS - 1));
          String roomId = api.createdRoom(people.token(owner), "Room " + r, member).get("roomId").asText();
          String senderId = r % 2 == 0 ? owner : member;
          rooms.add(new Room(roomId, senderId,
              new RestSender(api, people.token(senderId), roomId, "k" + r, Duration.ofMillis(5)).start()));
        }
        for (String type : DAEMON_TYPES) {
          TestNode first = survivor;
          Poll.until(type + " instances partly on the second node", DEADLINE,
              () -> ClusterSupport.localShards(first, type), local -> local.size() < ALL_INSTANCES.size());
        }

        // Mid-traffic, so the instances on the second node are in the middle of their batches.
        ReadTablesCheck.awaitTotalAcked(rooms, ReadTablesCheck.totalAcked(rooms) + 100);
        killed.killHard();
        assertFalse(killed.process.isAlive(), "the second node still runs after SIGKILL");

        ClusterSupport.awaitUp(survivor, 1);
        for (String type : DAEMON_TYPES) {
          TestNode only = survivor;
          Poll.until("all " + type + " instances on the survivor", DEADLINE,
              () -> ClusterSupport.localShards(only, type), ALL_INSTANCES::equals);
        }
        ReadTablesCheck.awaitTotalAcked(rooms, ReadTablesCheck.totalAcked(rooms) + 100);

        Expected expected = ReadTablesCheck.expected(api, people, rooms, ReadTablesCheck.stopSenders(rooms));
        Poll.until("the read tables caught up with the entities", DEADLINE,
            () -> ReadTablesCheck.actual(db.settings(), expected.rooms().keySet()), expected::equals);
      } finally {
        for (Room room : rooms) {
          room.sender().close();
        }
        if (killed != null) {
          killed.killHard();
        }
        if (survivor != null) {
          survivor.close();
        }
      }
    }
  }

  /** A free port above the one in {@code host:port}, so the jar node's address sorts after it. */
  private static int portAbove(String address) {
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    while (true) {
      int candidate = TestNode.freePorts(1)[0];
      if (candidate > port) {
        return candidate;
      }
    }
  }
}
