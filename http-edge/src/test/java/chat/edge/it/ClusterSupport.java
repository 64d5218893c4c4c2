package chat.edge.it;

import static chat.edge.ApiClient.assertMessage;
import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** What the cluster and WebSocket integration tests share: waiting for members, reading frames and history. */
final class ClusterSupport {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private ClusterSupport() {}

  /**
   * A fresh Postgres database and two nodes on it, joined into one cluster. Closing stops node 2,
   * then node 1 (stopping a node twice is harmless), then drops the database.
   */
  static final class TwoNodes implements AutoCloseable {
    final TestDatabases.TestDatabase db;
    TestNode node1;
    TestNode node2;

    TwoNodes() throws Exception {
      db = TestDatabases.freshPostgres();
      try {
        start();
      } catch (Exception | Error e) {
        close();
        throw e;
      }
    }

    /** Starts both nodes (again) on the same database and waits until they form one cluster. */
    void start() throws Exception {
      node1 = TestNode.onPostgres(db.settings(), "");
      node2 = TestNode.onPostgres(db.settings(), node1.seedAddress());
      awaitUp(node1, 2);
      awaitUp(node2, 2);
    }

    /** Stops both nodes, node 2 first; the database stays. */
    void stop() throws Exception {
      try {
        if (node2 != null) {
          node2.close();
        }
      } finally {
        if (node1 != null) {
          node1.close();
        }
      }
    }

    @Override
    public void close() throws Exception {
      try {
        stop();
      } finally {
        db.close();
      }
    }
  }

  /** Waits until {@code node} sees {@code count} members, all Up, and answers /ready. */
  static void awaitUp(TestNode node, int count) {
    Poll.until(count + " members Up on " + node.managementUrl(), DEADLINE,
        () -> ApiClient.getUrl(node.managementUrl() + "/cluster/members"),
        r -> r.status() == 200 && r.json().path("members").size() == count && upMembers(r.json()) == count);
    Poll.until("/ready 200 on " + node.managementUrl(), DEADLINE,
        () -> ApiClient.getUrl(node.managementUrl() + "/ready"), r -> r.status() == 200);
  }

  private static long upMembers(JsonNode members) {
    long up = 0;
    for (JsonNode m : members.path("members")) {
      if ("Up".equals(m.path("status").asText())) {
        up++;
      }
    }
    return up;
  }

  /** The shards of entity type {@code typeName} that this node hosts, from its management endpoint. */
  static Set<String> localShards(TestNode node, String typeName) {
    Response r = ApiClient.getUrl(node.managementUrl() + "/cluster/shards/" + typeName);
    assertEquals(200, r.status(), "/cluster/shards/" + typeName + ": " + r);
    Set<String> shards = new HashSet<>();
    r.json().path("regions").forEach(region -> shards.add(region.path("shardId").asText()));
    return shards;
  }

  /** Pekko's default shard of an entity id (number-of-shards = 100). */
  static String shardOf(String entityId) {
    return Integer.toString(Math.abs(entityId.hashCode() % 100));
  }

  static ObjectNode subscribe(String roomId) {
    return ApiClient.json("type", "subscribe", "roomId", roomId);
  }

  static ObjectNode subscribe(String roomId, long afterSeq) {
    return subscribe(roomId).put("afterSeq", afterSeq);
  }

  static ObjectNode send(String roomId, String clientMsgId, String text) {
    return ApiClient.json("type", "send", "roomId", roomId, "clientMsgId", clientMsgId, "text", text);
  }

  /** Subscribes and returns the room's lastSeq from the {@code subscribed} reply. */
  static long subscribed(WsClient ws, String roomId) throws InterruptedException {
    ws.send(subscribe(roomId));
    JsonNode reply = ws.next("subscribed");
    assertEquals(roomId, reply.path("roomId").asText(), reply::toString);
    return reply.path("lastSeq").asLong();
  }

  /** A message frame without its {@code type}: the message as REST shows it. */
  static JsonNode asMessage(JsonNode frame) {
    ObjectNode copy = frame.deepCopy();
    copy.remove("type");
    return assertMessage(copy);
  }

  /** Every message of a room through REST, ascending, read in pages. */
  static List<JsonNode> history(ApiClient api, String token, String roomId) {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = assertStatus(200, api.history(token, roomId, "after=" + after + "&limit=200"),
          "history after " + after).json();
      page.get("messages").forEach(m -> all.add(assertMessage(m)));
      if (!page.get("hasMore").asBoolean()) {
        return all;
      }
      after = all.get(all.size() - 1).get("seq").asLong();
    }
  }

  /** The seqs of these messages (or message frames), in the order given. */
  static List<Long> seqs(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("seq").asLong()).toList();
  }

  /** from, from + 1, …, to. */
  static List<Long> range(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      seqs.add(s);
    }
    return seqs;
  }

  /**
   * The frames one client has received, sorted by type as they arrive. Only the test's main thread
   * reads from the client.
   */
  static final class Inbox {
    final String name;
    final WsClient ws;
    final List<JsonNode> messages = new ArrayList<>();
    final List<JsonNode> acks = new ArrayList<>();
    final List<JsonNode> errors = new ArrayList<>();
    final List<JsonNode> others = new ArrayList<>();

    Inbox(String name, WsClient ws) {
      this.name = name;
      this.ws = ws;
    }

    long lastSeq() {
      return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("seq").asLong();
    }

    /** Reads frames until {@code done} holds; fails after {@code deadline}. */
    void readUntil(String what, Duration deadline, BooleanSupplier done) throws InterruptedException {
      long end = System.nanoTime() + deadline.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > end) {
          fail(name + ": not " + what + " within " + deadline.toSeconds() + " s; " + summary());
        }
        JsonNode frame = ws.poll(Duration.ofMillis(200));
        if (frame != null) {
          take(frame);
        }
      }
    }

    /** Reads until a pong answers a ping sent now: whatever was queued before it has arrived. */
    void drainWithPing() throws InterruptedException {
      int pongs = countOf(others, "pong");
      ws.send(ApiClient.json("type", "ping"));
      readUntil("ponged", ClusterSupport.DEADLINE, () -> countOf(others, "pong") > pongs);
    }

    /** Takes the frames still queued on a connection that is closed, so no more come. */
    void drainClosed() throws InterruptedException {
      for (JsonNode frame = ws.poll(Duration.ofMillis(200)); frame != null; frame = ws.poll(Duration.ofMillis(200))) {
        take(frame);
      }
    }

    /** Reads until a message with this seq has arrived. */
    void readThrough(long seq, Duration deadline) throws InterruptedException {
      readUntil("at seq " + seq, deadline, () -> lastSeq() >= seq);
    }

    private void take(JsonNode frame) {
      switch (frame.path("type").asText()) {
        case "message" -> messages.add(frame);
        case "ack" -> acks.add(frame);
        case "error" -> errors.add(frame);
        default -> others.add(frame);
      }
    }

    /** The notice frames ({@code presence}, {@code room}, …) of this type received so far. */
    List<JsonNode> othersOfType(String type) {
      return others.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    private static int countOf(List<JsonNode> frames, String type) {
      return (int) frames.stream().filter(f -> type.equals(f.path("type").asText())).count();
    }

    String summary() {
      return messages.size() + " messages (last seq " + lastSeq() + "), " + acks.size() + " acks, errors "
          + errors + ", other frames " + others.size();
    }

    /** Messages received so far are exactly seqs from..to, in order, each once. */
    void assertMessagesExactly(long from, long to) {
      assertTrue(errors.isEmpty(), () -> name + " got errors: " + errors);
      List<Long> got = seqs(messages);
      assertEquals(range(from, to), got, () -> name + " received seqs " + describe(got));
    }

    void assertNoErrors() {
      assertTrue(errors.isEmpty(), () -> name + " got errors: " + errors);
    }
  }

  /**
   * Sends messages to a room through REST, one after another, from {@link #start} until stopped. A send that fails
   * (no answer, 5xx) is retried with the same clientMsgId until it is acknowledged, as a client
   * would; a 4xx ends the loop with a failure.
   */
  static final class RestSender implements AutoCloseable {
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(30);

    private final ApiClient api;
    private final String token;
    private final String roomId;
    private final String prefix;
    private final Duration pause;
    private final Thread thread;
    /** clientMsgId → acknowledged seq, in the order sent. */
    private final Map<String, Long> acked = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean stopping;
    private volatile Throwable failure;

    RestSender(ApiClient api, String token, String roomId, String prefix, Duration pause) {
      this.api = api;
      this.token = token;
      this.roomId = roomId;
      this.prefix = prefix;
      this.pause = pause;
      this.thread = new Thread(this::run, "sender-" + prefix);
      thread.setDaemon(true);
    }

    RestSender start() {
      thread.start();
      return this;
    }

    int ackedCount() {
      return acked.size();
    }

    /** Waits until {@code count} sends in all were acknowledged. */
    void awaitAcked(int count) {
      Poll.until(count + " sends acknowledged", DEADLINE, () -> {
        if (failure != null) {
          throw new AssertionError("sender failed", failure);
        }
        return ackedCount();
      }, n -> n >= count);
    }

    /** Stops after the send in flight is acknowledged; returns clientMsgId → seq in the order sent. */
    Map<String, Long> stop() throws InterruptedException {
      stopping = true;
      thread.join(RETRY_DEADLINE.plusSeconds(10).toMillis());
      if (thread.isAlive()) {
        fail("the sender did not stop");
      }
      if (failure != null) {
        throw new AssertionError("sender failed", failure);
      }
      synchronized (acked) {
        return new LinkedHashMap<>(acked);
      }
    }

    private void run() {
      try {
        for (int i = 1; !stopping; i++) {
          String clientMsgId = prefix + "-" + i;
          acked.put(clientMsgId, sendUntilAcknowledged(clientMsgId, "message " + i + " from " + prefix));
          Thread.sleep(pause.toMillis());
        }
      } catch (Throwable t) {
        failure = t;
      }
    }

    private long sendUntilAcknowledged(String clientMsgId, String text) throws InterruptedException {
      long end = System.nanoTime() + RETRY_DEADLINE.toNanos();
      while (true) {
        Response r = null;
        try {
          r = api.sendMessage(token, roomId, clientMsgId, text);
        } catch (RuntimeException e) {
          // no answer: retry
        }
        if (r != null && (r.status() == 201 || r.status() == 200)) {
          JsonNode message = assertMessage(r.json());
          assertEquals(clientMsgId, message.get("clientMsgId").asText(), r::toString);
          return message.get("seq").asLong();
        }
        if (r != null && r.status() < 500) {
          throw new AssertionError("send " + clientMsgId + " refused: " + r);
        }
        if (System.nanoTime() > end) {
          throw new AssertionError("send " + clientMsgId + " not acknowledged within " + RETRY_DEADLINE
              + "; last answer " + r);
        }
        Thread.sleep(100);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stopping = true;
      thread.interrupt();
      thread.join(10_000);
    }
  }

  /** A short description of a seq list: its size and where it first leaves the expected order. */
  static String describe(List<Long> seqs) {
    for (int i = 1; i < seqs.size(); i++) {
      if (seqs.get(i) != seqs.get(i - 1) + 1) {
        return seqs.size() + " seqs, out of step at index " + i + ": ..."
            + seqs.subList(Math.max(0, i - 3), Math.min(seqs.size(), i + 3)) + "...";
      }
    }
    return seqs.size() + " seqs " + (seqs.isEmpty() ? "" : seqs.get(0) + ".." + seqs.get(seqs.size() - 1));
  }
}
