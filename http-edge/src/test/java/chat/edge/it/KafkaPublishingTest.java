package chat.edge.it;

import static chat.edge.ApiClient.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.projections.kafka.KafkaBroker;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node on Postgres publishing to a real Kafka broker (its own JVM, shared by the class): what
 * chat acknowledged reaches the topics, in order per key, also across a broker outage during
 * which chat keeps working.
 */
class KafkaPublishingTest {

  private static final List<String> TOPICS = List.of("chat.messages", "chat.rooms", "chat.users");
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(90);

  private static KafkaBroker broker;
  private static TestDatabases.TestDatabase db;
  private static TestNode node;
  private static ApiClient api;
  private static KafkaConsumer<String, String> consumer;
  /** Everything consumed so far, per topic, in partition order; duplicates kept. */
  private static final Map<String, List<ConsumerRecord<String, String>>> consumed = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start();
    db = TestDatabases.freshPostgres();
    Map<String, Object> settings = new HashMap<>();
    settings.put("chat.db.url", db.settings().jdbcUrl());
    settings.put("chat.db.user", db.settings().user());
    settings.put("chat.db.password", db.settings().password());
    settings.put("chat.auth.jwt-secret", TestNode.JWT_SECRET);
    settings.put("chat.cluster.seed-nodes", "");
    settings.put("chat.kafka.bootstrap-servers", broker.bootstrapServers());
    settings.put("chat.kafka.partitions", 3);
    // Fail sends soon during the outage so the projection's restart path is what recovers.
    settings.put("chat.kafka.producer.kafka-clients.max.block.ms", 2000);
    settings.put("chat.kafka.producer.kafka-clients.request.timeout.ms", 2000);
    settings.put("chat.kafka.producer.kafka-clients.delivery.timeout.ms", 4000);
    settings.put("chat.kafka.restart-backoff.min", "500ms");
    settings.put("chat.kafka.restart-backoff.max", "2s");
    node = TestNode.start(settings);
    api = new ApiClient(node.baseUrl());
    consumer = subscribedConsumer();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (consumer != null) {
        consumer.close();
      }
      if (node != null) {
        node.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  void userAndRoomEventsReachTheirTopicsKeyedByUserAndRoom() throws Exception {
    String ann = ApiClient.uniqueId("ann");
    String bob = ApiClient.uniqueId("bob");
    String cid = ApiClient.uniqueId("cid");
    String annToken = api.newUser(ann).accessToken();
    String bobToken = api.newUser(bob).accessToken();
    api.newUser(cid);
    assertStatus(201, api.addFriend(annToken, bob));
    assertStatus(201, api.addFriend(annToken, cid));
    assertStatus(200, api.updateMe(annToken, ApiClient.json("statusMessage", "around")));
    String roomId = api.createdRoom(annToken, "Plans", bob).get("roomId").asText();
    assertStatus(200, api.invite(annToken, roomId, cid));
    assertStatus(204, api.leave(bobToken, roomId));

    List<JsonNode> annEvents = awaitEvents("chat.users", ann, list -> types(list).containsAll(
        List.of("registered", "friend-added", "profile-changed")) && count(list, "friend-added") == 2);
    assertEquals("registered", annEvents.get(0).get("type").asText());
    assertEquals(ann, annEvents.get(0).get("userId").asText());
    assertEquals(Set.of(bob, cid), friendIds(annEvents));
    JsonNode profile = annEvents.stream().filter(e -> e.get("type").asText().equals("profile-changed"))
        .findFirst().orElseThrow();
    assertEquals("around", profile.get("statusMessage").asText());
    assertTrue(profile.get("at").asText().matches(ApiClient.TIMESTAMP_PATTERN), profile.toString());

    List<JsonNode> bobEvents = awaitEvents("chat.users", bob, list -> types(list).contains("friend-added"));
    assertEquals(List.of("registered", "friend-added"), types(bobEvents));
    assertEquals(Set.of(ann), friendIds(bobEvents));

    List<JsonNode> roomEvents = awaitEvents("chat.rooms", roomId, list -> types(list).contains("left"));
    assertEquals(List.of("created", "joined", "left"), types(roomEvents));
    assertEquals(ann, roomEvents.get(0).get("userId").asText());
    assertEquals("Plans", roomEvents.get(0).get("name").asText());
    assertEquals(cid, roomEvents.get(1).get("userId").asText());
    assertEquals(bob, roomEvents.get(2).get("userId").asText());
    roomEvents.forEach(e -> assertEquals(roomId, e.get("roomId").asText()));
  }

  @Test
  void everyAcknowledgedMessageOfABusyRoomArrivesInOrderAcrossABrokerOutage() throws Exception {
    String ann = ApiClient.uniqueId("ann");
    String bob = ApiClient.uniqueId("bob");
    String annToken = api.newUser(ann).accessToken();
    String operatorToken = api.operator().accessToken();
    String bobToken = api.newUser(bob).accessToken();
    assertStatus(201, api.addFriend(annToken, bob));
    String roomId = api.createdRoom(annToken, null, bob).get("roomId").asText();

    Map<Long, JsonNode> acked = new HashMap<>();
    sendBurst(roomId, annToken, bobToken, "before", 150, acked);
    broker.stop();
    long down = System.nanoTime();
    try {
      sendBurst(roomId, annToken, bobToken, "during", 150, acked);
      // Long enough for sends to time out and the projection to fail and back off.
      long sleepMs = 6000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
      if (sleepMs > 0) {
        Thread.sleep(sleepMs);
      }
      sendBurst(roomId, annToken, bobToken, "still-down", 20, acked);
      // The room's slice is stuck on an event it cannot publish: it shows as lag.
      assertTrue(kafkaRoomInstances(operatorToken).stream().anyMatch(p -> p.get("lagMillis").asLong() > 0),
          kafkaRoomInstances(operatorToken).toString());
    } finally {
      broker.restart();
    }
    sendBurst(roomId, annToken, bobToken, "after", 150, acked);
    assertEquals(470, acked.size());

    awaitEvents("chat.messages", roomId, list -> list.size() >= acked.size());
    List<ConsumerRecord<String, String>> records = recordsOf("chat.messages", roomId);
    Map<String, Long> seqByEventId = new HashMap<>();
    List<Long> firstSeen = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode json = ApiClient.MAPPER.readTree(record.value());
      long seq = json.get("seq").asLong();
      Long earlier = seqByEventId.putIfAbsent(json.get("eventId").asText(), seq);
      if (earlier == null) {
        firstSeen.add(seq);
        JsonNode ack = acked.get(seq);
        assertEquals(ack.get("text").asText(), json.get("text").asText());
        assertEquals(ack.get("senderId").asText(), json.get("senderId").asText());
        assertEquals(ack.get("clientMsgId").asText(), json.get("clientMsgId").asText());
        assertEquals(ack.get("sentAt").asText(), json.get("sentAt").asText());
        assertEquals(roomId, json.get("roomId").asText());
      } else {
        assertEquals(earlier, seq, "one eventId, one message");
      }
    }
    assertEquals(acked.size(), firstSeen.size(), "every acknowledged message, once per eventId");
    for (int i = 0; i < firstSeen.size(); i++) {
      assertEquals(i + 1, firstSeen.get(i), "messages of the room in seq order");
    }

    // The outage left its failures on the status endpoint; the lag is gone once all is published.
    List<JsonNode> recovered = Poll.until("kafka-rooms caught up", DELIVERY_TIMEOUT,
        () -> kafkaRoomInstances(operatorToken),
        list -> list.stream().allMatch(p -> p.get("lagMillis").asLong() == 0 && p.get("running").asBoolean()));
    assertTrue(recovered.stream().anyMatch(p -> p.get("failures").asLong() > 0 && !p.get("lastError").isNull()),
        recovered.toString());
  }

  private static List<JsonNode> kafkaRoomInstances(String token) {
    List<JsonNode> instances = new ArrayList<>();
    assertStatus(200, api.get("/api/ops/projections", token)).json().get("projections").forEach(p -> {
      if (p.get("name").asText().equals("kafka-rooms")) {
        instances.add(p);
      }
    });
    return instances;
  }

  /**
   * Sends {@code count} messages, ten at a time from two senders; each must be acknowledged. The
   * wait per send only catches a send that Kafka blocks outright: how fast sends are is the
   * benchmark's business, not a test's.
   */
  private static void sendBurst(String roomId, String annToken, String bobToken, String label, int count,
      Map<Long, JsonNode> acked) throws Exception {
    for (int start = 0; start < count; start += 10) {
      List<CompletableFuture<ApiClient.Response>> sends = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + 10); i++) {
        String token = i % 2 == 0 ? annToken : bobToken;
        sends.add(api.sendMessageAsync(token, roomId, label + "-" + i, label + " message " + i));
      }
      for (CompletableFuture<ApiClient.Response> send : sends) {
        JsonNode message = assertStatus(201, send.get(10, TimeUnit.SECONDS), label).json();
        acked.put(message.get("seq").asLong(), message);
      }
    }
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("type").asText()).toList();
  }

  private static long count(List<JsonNode> events, String type) {
    return types(events).stream().filter(type::equals).count();
  }

  private static Set<String> friendIds(List<JsonNode> events) {
    Set<String> ids = new HashSet<>();
    events.stream().filter(e -> e.get("type").asText().equals("friend-added"))
        .forEach(e -> ids.add(e.get("friendId").asText()));
    return ids;
  }

  /** The events of one key, duplicates (same eventId) dropped, once {@code done} holds for them. */
  private static List<JsonNode> awaitEvents(String topic, String key, Predicate<List<JsonNode>> done)
      throws Exception {
    long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
    while (true) {
      poll();
      Map<String, JsonNode> byEventId = new LinkedHashMap<>();
      for (ConsumerRecord<String, String> record : recordsOf(topic, key)) {
        JsonNode json = ApiClient.MAPPER.readTree(record.value());
        byEventId.putIfAbsent(json.get("eventId").asText(), json);
      }
      List<JsonNode> events = List.copyOf(byEventId.values());
      if (done.test(events)) {
        return events;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not on " + topic + " for " + key + " within " + DELIVERY_TIMEOUT + ": " + events);
      }
    }
  }

  private static List<ConsumerRecord<String, String>> recordsOf(String topic, String key) {
    return consumed.getOrDefault(topic, List.of()).stream().filter(r -> key.equals(r.key())).toList();
  }

  private static void poll() {
    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
      consumed.computeIfAbsent(record.topic(), t -> new ArrayList<>()).add(record);
    }
  }

  /** A consumer of every partition of the three topics from the beginning, once the node created them. */
  private static KafkaConsumer<String, String> subscribedConsumer() throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    try (AdminClient admin = AdminClient.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(TOPICS)) {
        assertTrue(System.nanoTime() < deadline, "the node did not create " + TOPICS);
        Thread.sleep(100);
      }
      admin.describeTopics(TOPICS).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) -> {
        assertEquals(3, description.partitions().size(), name + " partitions");
        description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
      });
    }
    KafkaConsumer<String, String> kafkaConsumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer());
    kafkaConsumer.assign(partitions);
    kafkaConsumer.seekToBeginning(partitions);
    return kafkaConsumer;
  }
}
