package chat.cluster.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import chat.cluster.user.FriendshipNetwork.Message;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserState.Friendship;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of friendship changes by three users, with every message delayed,
 * reordered, duplicated or lost at random, and retries and restarts in between. Once the changes
 * stop, all messages are delivered and retries run until nothing is pending: every pair must then
 * agree, on the state of the last change (the highest version). Pure state machines, no timing.
 */
class FriendshipSyncSimulationTest {

  private static final Instant T0 = FriendshipNetwork.T0;
  private static final String[] USERS = {"alice", "bob", "carol"};
  private static final int RUNS = 500;

  @Test
  void everyPairAgreesOnTheLastChangeOnceAllMessagesAreDelivered() {
    for (long seed = 1; seed <= RUNS; seed++) {
      simulate(seed);
    }
  }

  private static void simulate(long seed) {
    Random random = new Random(seed);
    FriendshipNetwork net = new FriendshipNetwork(USERS);
    List<Message> inFlight = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    // Per pair, the state each local change proposed at its version.
    Map<String, Map<Long, Boolean>> proposals = new HashMap<>();

    int steps = 10 + random.nextInt(80);
    for (int step = 0; step < steps; step++) {
      String user = USERS[random.nextInt(USERS.length)];
      int choice = random.nextInt(100);
      if (choice < 25) {
        String other = otherThan(user, random);
        boolean add = random.nextBoolean();
        Decision decision =
            net.run(user, s -> add ? s.addFriend(other, T0) : s.removeFriend(other, T0));
        trace.add(user + (add ? " adds " : " removes ") + other + " -> " + decision);
        for (UserEvent event : decision.events()) {
          record(proposals, user, other, event, seed, trace);
        }
        if (!decision.events().isEmpty()) {
          inFlight.addAll(net.tell(user));
        }
      } else if (choice < 40) {
        trace.add(user + " retries");
        inFlight.addAll(net.tell(user));
      } else if (choice < 45) {
        trace.add(user + " restarts");
        assertEquals(net.state(user), net.recovered(user), "recovery, seed " + seed);
        inFlight.addAll(net.tell(user));
      } else if (!inFlight.isEmpty()) {
        Message message = inFlight.get(random.nextInt(inFlight.size()));
        int fate = random.nextInt(100);
        if (fate < 15) {
          trace.add("lost " + message);
          inFlight.remove(message);
        } else {
          if (fate >= 30) {
            inFlight.remove(message);
          } // else it stays in flight and arrives again later
          trace.add("delivered " + message);
          net.deliver(message).ifPresent(inFlight::add);
        }
      }
    }

    // No more changes: deliver everything (in random order, sometimes twice) and let the retries
    // run until nobody has anything left to tell.
    for (int round = 0; ; round++) {
      if (round > 1_000) {
        fail("no quiescence, seed " + seed + "\n" + String.join("\n", trace));
      }
      while (!inFlight.isEmpty()) {
        Message message = inFlight.get(random.nextInt(inFlight.size()));
        if (random.nextInt(100) >= 10) {
          inFlight.remove(message);
        }
        trace.add("delivered " + message);
        net.deliver(message).ifPresent(inFlight::add);
      }
      for (String user : USERS) {
        inFlight.addAll(net.tell(user));
      }
      if (inFlight.isEmpty()) {
        break;
      }
      trace.add("everyone retries");
    }

    for (int i = 0; i < USERS.length; i++) {
      for (int j = i + 1; j < USERS.length; j++) {
        String a = USERS[i];
        String b = USERS[j];
        String context = a + "/" + b + ", seed " + seed + "\n" + String.join("\n", trace);
        Friendship fromA = net.state(a).friendship(b);
        Friendship fromB = net.state(b).friendship(a);
        assertEquals(fromA, fromB, "both sides agree: " + context);
        assertEquals(fromA.linked(), net.state(a).friends().contains(b), context);
        assertEquals(fromB.linked(), net.state(b).friends().contains(a), context);
        Map<Long, Boolean> made = proposals.getOrDefault(pairKey(a, b), Map.of());
        long last = made.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertEquals(last, fromA.version(), "the last change's version: " + context);
        assertEquals(made.getOrDefault(last, false), fromA.linked(), "the last change wins: " + context);
      }
      assertEquals(net.state(USERS[i]), net.recovered(USERS[i]), "recovery, seed " + seed);
    }
  }

  /** Two changes of one pair at one version always propose the same state. */
  private static void record(
      Map<String, Map<Long, Boolean>> proposals,
      String user,
      String other,
      UserEvent event,
      long seed,
      List<String> trace) {
    boolean linked;
    long version;
    if (event instanceof FriendAdded e) {
      linked = true;
      version = e.version();
    } else if (event instanceof FriendRemoved e) {
      linked = false;
      version = e.version();
    } else {
      return;
    }
    Boolean earlier =
        proposals.computeIfAbsent(pairKey(user, other), k -> new HashMap<>()).put(version, linked);
    assertTrue(
        earlier == null || earlier == linked,
        "one state per version, seed " + seed + "\n" + String.join("\n", trace));
  }

  private static String otherThan(String user, Random random) {
    String other;
    do {
      other = USERS[random.nextInt(USERS.length)];
    } while (other.equals(user));
    return other;
  }

  private static String pairKey(String a, String b) {
    return a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a;
  }
}
