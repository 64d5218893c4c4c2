package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertMessage;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages and read marks: POST and GET /api/rooms/{roomId}/messages, POST /api/rooms/{roomId}/read.
 */
class MessageApiTest extends RoomTestBase {

  /** More than one page at the largest limit. */
  private static final int HISTORY_SIZE = 205;

  private static User alice;
  private static User bob;
  /** A room with {@link #HISTORY_SIZE} messages from alice and bob, and nothing else. */
  private static String historyRoom;
  /** The acknowledgement of each message in the history room, by seq - 1. */
  private static final List<JsonNode> historyAcks = new ArrayList<>();

  @BeforeAll
  static void createHistoryRoom() {
    alice = newUser("alice");
    bob = newUser("bob");
    befriend(alice, bob);
    historyRoom = roomIdOf(createRoom(alice, "history", bob));
    for (int i = 1; i <= HISTORY_SIZE; i++) {
      historyAcks.add(send(i % 2 == 0 ? bob : alice, historyRoom, "message " + i));
    }
  }

  /** A room of alice and a new friend of hers. */
  private static String newRoom(User friend) {
    befriend(alice, friend);
    return roomIdOf(createRoom(alice, null, friend));
  }

  private static Response post(User sender, String roomId, ObjectNode body) {
    return api.post("/api/rooms/" + roomId + "/messages", sender.token(), body);
  }

  // ---- send ----

  @Test
  void sendingAnswers201WithTheMessageAndSeqsCountUpWithoutGaps() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);

    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JsonNode first = assertMessage(assertJson(201, api.sendMessage(carol.token(), roomId, "m-1", "Hello, world"),
        MESSAGE_FIELDS));
    Instant after = Instant.now();
    assertEquals(roomId, first.get("roomId").asText());
    assertEquals(1, first.get("seq").asLong());
    assertEquals(carol.id(), first.get("senderId").asText());
    assertEquals("Hello, world", first.get("text").asText());
    assertEquals("m-1", first.get("clientMsgId").asText());
    Instant sentAt = Instant.parse(first.get("sentAt").asText());
    assertFalse(sentAt.isBefore(before) || sentAt.isAfter(after), () -> "sentAt of " + first);

    JsonNode second = send(alice, roomId, "second");
    JsonNode third = send(carol, roomId, "third");
    assertEquals(List.of(1L, 2L, 3L), Stream.of(first, second, third).map(m -> m.get("seq").asLong()).toList());
    assertEquals(alice.id(), second.get("senderId").asText());

    JsonNode room = room(alice, roomId);
    assertEquals(3, room.get("lastSeq").asLong());
    assertEquals(third, room.get("lastMessage"));
    assertEquals(new Page(List.of(first, second, third), false), history(carol, roomId, ""));
  }

  @Test
  void aRetryFromTheSameSenderAnswers200WithTheOriginalMessage() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    JsonNode original = send(carol, roomId, "the original");
    JsonNode other = send(alice, roomId, "in between");

    for (String retryText : List.of("the original", "a different text")) {
      JsonNode retried = assertJson(200, api.sendMessage(carol.token(), roomId, original.get("clientMsgId").asText(),
          retryText), MESSAGE_FIELDS);
      assertEquals(original, retried, "a retry answers the same message, seq, sentAt and text");
    }
    JsonNode room = room(alice, roomId);
    assertEquals(2, room.get("lastSeq").asLong(), "a retry adds no message");
    assertEquals(other, room.get("lastMessage"));
    assertEquals(new Page(List.of(original, other), false), history(alice, roomId, ""));

    JsonNode next = send(carol, roomId, "after the retries");
    assertEquals(3, next.get("seq").asLong(), "no seq is used up by a retry");
  }

  @Test
  void theSameClientMsgIdFromAnotherSenderIsANewMessage() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);

    JsonNode fromCarol = assertJson(201, api.sendMessage(carol.token(), roomId, "shared-id", "from carol"),
        MESSAGE_FIELDS);
    JsonNode fromAlice = assertJson(201, api.sendMessage(alice.token(), roomId, "shared-id", "from alice"),
        MESSAGE_FIELDS);
    assertEquals(2, fromAlice.get("seq").asLong());
    assertEquals(alice.id(), fromAlice.get("senderId").asText());
    assertEquals("from alice", fromAlice.get("text").asText());
    assertEquals(new Page(List.of(fromCarol, fromAlice), false), history(alice, roomId, ""));
  }

  @Test
  void theSameClientMsgIdInAnotherRoomIsANewMessage() {
    User carol = newUser("carol");
    String first = newRoom(carol);
    String second = roomIdOf(createRoom(alice, "second", carol));

    assertStatus(201, api.sendMessage(carol.token(), first, "same-id", "one"));
    JsonNode other = assertJson(201, api.sendMessage(carol.token(), second, "same-id", "two"), MESSAGE_FIELDS);
    assertEquals(second, other.get("roomId").asText());
    assertEquals("two", other.get("text").asText());
  }

  static Stream<ObjectNode> badTexts() {
    return Stream.of(
        json("clientMsgId", "c"),
        json("clientMsgId", "c").putNull("text"),
        json("clientMsgId", "c", "text", ""),
        json("clientMsgId", "c", "text", " "),
        json("clientMsgId", "c", "text", " \t\n "),
        json("clientMsgId", "c", "text", "x".repeat(4001)),
        json("clientMsgId", "c").put("text", 42),
        json("clientMsgId", "c").put("text", true),
        (ObjectNode) json("clientMsgId", "c").set("text", json("text", "nested")),
        (ObjectNode) json("clientMsgId", "c").set("text", ApiClient.MAPPER.createArrayNode().add("a")));
  }

  @ParameterizedTest
  @MethodSource("badTexts")
  void textMustBe1To4000Characters(ObjectNode body) {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    assertError(400, "VALIDATION_FAILED", "text", post(carol, roomId, body));
    assertEquals(0, room(carol, roomId).get("lastSeq").asLong(), "a refused message is not sent");
  }

  @Test
  void aTextOf4000CharactersIsSentAsIs() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    String text = "  " + "long text ".repeat(399) + "ending  ";
    assertEquals(4000, text.length());
    JsonNode message = assertJson(201, api.sendMessage(carol.token(), roomId, "long", text), MESSAGE_FIELDS);
    assertEquals(text, message.get("text").asText());
    assertEquals(text, history(alice, roomId, "").messages().get(0).get("text").asText());
  }

  static Stream<ObjectNode> badClientMsgIds() {
    return Stream.of(
        json("text", "hi"),
        json("text", "hi").putNull("clientMsgId"),
        json("text", "hi", "clientMsgId", ""),
        json("text", "hi", "clientMsgId", "c".repeat(65)),
        json("text", "hi").put("clientMsgId", 17),
        (ObjectNode) json("text", "hi").set("clientMsgId", json("id", "x")));
  }

  @ParameterizedTest
  @MethodSource("badClientMsgIds")
  void clientMsgIdMustBe1To64Characters(ObjectNode body) {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    assertError(400, "VALIDATION_FAILED", "clientMsgId", post(carol, roomId, body));
    assertEquals(0, room(carol, roomId).get("lastSeq").asLong(), "a refused message is not sent");
  }

  @Test
  void aClientMsgIdOf64CharactersIsAccepted() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    String clientMsgId = "0123456789abcdef".repeat(4);
    JsonNode message = assertJson(201, api.sendMessage(carol.token(), roomId, clientMsgId, "hi"), MESSAGE_FIELDS);
    assertEquals(clientMsgId, message.get("clientMsgId").asText());
    assertEquals(message, assertJson(200, api.sendMessage(carol.token(), roomId, clientMsgId, "hi"), MESSAGE_FIELDS));
  }

  @Test
  void aNonMemberCannotSend() {
    User carol = newUser("carol");
    User outsider = newUser("outsider");
    String roomId = newRoom(carol);

    assertError(403, "NOT_A_MEMBER", api.sendMessage(outsider.token(), roomId, "x", "let me in"));
    assertEquals(0, room(carol, roomId).get("lastSeq").asLong());
  }

  // ---- concurrency ----

  @Test
  void concurrentSendersGetEverySeqExactlyOnce() {
    int senders = 5;
    int perSender = 40;
    int total = senders * perSender;
    List<User> users = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      users.add(newUser("sender"));
    }
    befriend(alice, users.toArray(User[]::new));
    String roomId = roomIdOf(createRoom(alice, "busy", users.toArray(User[]::new)));

    Map<String, CompletableFuture<Response>> sends = new HashMap<>();
    for (int m = 0; m < perSender; m++) {
      for (int s = 0; s < senders; s++) {
        User sender = users.get(s);
        String clientMsgId = "s" + s + "-m" + m;
        sends.put(clientMsgId, api.sendMessageAsync(sender.token(), roomId, clientMsgId, "message " + m + " of " + s));
      }
    }

    Map<Long, JsonNode> acksBySeq = new HashMap<>();
    sends.forEach((clientMsgId, future) -> {
      Response response = future.join();
      JsonNode ack = assertMessage(assertJson(201, response, MESSAGE_FIELDS));
      assertEquals(clientMsgId, ack.get("clientMsgId").asText());
      JsonNode previous = acksBySeq.put(ack.get("seq").asLong(), ack);
      assertEquals(null, previous, () -> "seq " + ack.get("seq") + " given twice: " + previous + " and " + ack);
    });
    assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), acksBySeq.keySet().stream().sorted().toList(),
        "seqs without gaps or duplicates");
    assertEquals(total, room(alice, roomId).get("lastSeq").asLong());

    // Acknowledged messages are in history, at the latest after a second.
    List<JsonNode> paged = Poll.until("all " + total + " messages in history", Duration.ofSeconds(10),
        () -> pageForward(users.get(3), roomId, 37), all -> all.size() >= total);
    List<JsonNode> expected = LongStream.rangeClosed(1, total).mapToObj(acksBySeq::get).toList();
    assertEquals(seqsOf(expected), seqsOf(paged), "history in seq order, each message once");
    assertEquals(expected, paged, "history as acknowledged");
  }

  /** Every message of the room, read with after= in pages of {@code limit}. */
  private static List<JsonNode> pageForward(User reader, String roomId, int limit) {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      Page page = history(reader, roomId, "after=" + after + "&limit=" + limit);
      assertTrue(page.messages().size() <= limit, page::toString);
      all.addAll(page.messages());
      if (!page.hasMore()) {
        return all;
      }
      assertEquals(limit, page.messages().size(), () -> "a page with more after it is full: " + page);
      after = page.messages().get(page.messages().size() - 1).get("seq").asLong();
    }
  }

  // ---- history ----

  private static List<Long> seqsOf(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("seq").asLong()).toList();
  }

  /** The acknowledgements of seqs {@code first..last}; empty when first > last. */
  private static List<JsonNode> acks(long first, long last) {
    return LongStream.rangeClosed(first, last).mapToObj(seq -> historyAcks.get((int) seq - 1)).toList();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      // no before: the newest
      "'',                     156, 205, true",
      "limit=10,               196, 205, true",
      "limit=205,                6, 205, true",
      "limit=200,                6, 205, true",
      "limit=99999999999999999999, 6, 205, true",
      // before=S: the N newest with seq < S
      "before=206,             156, 205, true",
      "before=206&limit=10,    196, 205, true",
      "before=1000&limit=10,   196, 205, true",
      "before=99999999999999999999&limit=10, 196, 205, true",
      "before=205&limit=10,    195, 204, true",
      "before=61&limit=10,      51,  60, true",
      "before=12&limit=10,       2,  11, true",
      "before=11&limit=10,       1,  10, false",
      "before=11,                1,  10, false",
      "before=5&limit=10,        1,   4, false",
      "before=2,                 1,   1, false",
      "before=1,                 1,   0, false",
      "before=0,                 1,   0, false",
      // after=S: the N oldest with seq > S
      "after=0,                  1,  50, true",
      "after=0&limit=10,         1,  10, true",
      "after=100&limit=10,     101, 110, true",
      "after=194&limit=10,     195, 204, true",
      "after=195&limit=10,     196, 205, false",
      "after=200&limit=10,     201, 205, false",
      "after=204,              205, 205, false",
      "after=205,                1,   0, false",
      "after=1000,               1,   0, false",
      "after=9223372036854775807, 1, 0, false",
      "after=99999999999999999999, 1, 0, false",
      "after=0&limit=200,        1, 200, true",
      "after=5&limit=200,        6, 205, false"})
  void historyPages(String query, long first, long last, boolean hasMore) {
    Page page = history(bob, historyRoom, query);
    assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), page.seqs(), () -> "seqs for " + query);
    assertEquals(acks(first, last), page.messages(), () -> "messages for " + query);
    assertEquals(hasMore, page.hasMore(), () -> "hasMore for " + query);
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=201", "limit=500", "before=206&limit=500", "before=100&limit=500",
      "after=0&limit=500", "after=3&limit=1000", "limit=4294967296", "after=0&limit=9223372036854775807"})
  void aLimitAbove200GetsAtMost200(String query) {
    Page page = history(alice, historyRoom, query);
    List<Long> seqs = page.seqs();
    assertFalse(seqs.isEmpty(), query);
    assertTrue(seqs.size() <= 200, () -> query + " answered " + seqs.size() + " messages");
    long first = seqs.get(0);
    long last = seqs.get(seqs.size() - 1);
    assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), seqs, () -> query + ": consecutive");
    assertEquals(acks(first, last), page.messages(), () -> query + ": as sent");
    if (query.startsWith("after=")) {
      assertEquals(Long.parseLong(query.substring(6, query.indexOf('&'))) + 1, first, query);
      assertEquals(last < HISTORY_SIZE, page.hasMore(), query);
    } else {
      long before = query.startsWith("before=") ? Long.parseLong(query.substring(7, query.indexOf('&'))) : 206;
      assertEquals(Math.min(before, HISTORY_SIZE + 1) - 1, last, query);
      assertEquals(first > 1, page.hasMore(), query);
    }
  }

  @Test
  void pagingBackwardsWithBeforeReadsEveryMessageOnce() {
    List<JsonNode> all = new ArrayList<>();
    Page page = history(alice, historyRoom, "limit=30");
    while (true) {
      assertFalse(page.messages().isEmpty(), page::toString);
      all.addAll(0, page.messages());
      if (!page.hasMore()) {
        break;
      }
      assertEquals(30, page.messages().size(), page::toString);
      page = history(alice, historyRoom, "limit=30&before=" + page.messages().get(0).get("seq").asLong());
    }
    assertEquals(seqsOf(historyAcks), seqsOf(all));
    assertEquals(historyAcks, all);
  }

  @Test
  void pagingForwardsWithAfterReadsEveryMessageOnce() {
    List<JsonNode> all = pageForward(bob, historyRoom, 30);
    assertEquals(seqsOf(historyAcks), seqsOf(all));
    assertEquals(historyAcks, all);
  }

  @Test
  void anEmptyRoomHasAnEmptyHistory() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    for (String query : List.of("", "after=0", "before=1", "before=100&limit=10", "after=0&limit=200")) {
      assertEquals(new Page(List.of(), false), history(carol, roomId, query), query);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "limit=0,             limit",
      "limit=-1,            limit",
      "limit=abc,           limit",
      "limit=1.5,           limit",
      "limit=,              limit",
      "before=-1,           before",
      "before=x,            before",
      "before=2.5,          before",
      "before=,             before",
      "after=x,             after",
      "after=-1,            after",
      "after=,              after",
      "after=0&limit=0,     limit",
      "before=10&limit=abc, limit"})
  void badPagingParametersAre400(String query, String field) {
    assertError(400, "VALIDATION_FAILED", field, api.history(alice.token(), historyRoom, query));
  }

  @ParameterizedTest
  @ValueSource(strings = {"before=10&after=1", "after=1&before=10", "before=10&after=1&limit=5"})
  void beforeAndAfterTogetherAre400(String query) {
    var error = assertError(400, "VALIDATION_FAILED", api.history(alice.token(), historyRoom, query));
    if (error.has("field")) {
      assertTrue(List.of("before", "after").contains(error.get("field").asText()), error::toString);
    }
  }

  @Test
  void onlyMembersReadHistory() {
    User outsider = newUser("outsider");
    assertError(403, "NOT_A_MEMBER", api.history(outsider.token(), historyRoom, ""));
    assertError(403, "NOT_A_MEMBER", api.history(outsider.token(), historyRoom, "after=0"));
    assertError(403, "NOT_A_MEMBER", api.history(outsider.token(), historyRoom, "before=10&limit=5"));
  }

  // ---- read marks ----

  private static long unread(User user, String roomId) {
    return room(user, roomId).get("unread").asLong();
  }

  @Test
  void theReadMarkMovesForwardOnlyAndNeverPastTheNewestMessage() {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    for (int i = 1; i <= 5; i++) {
      send(carol, roomId, "c" + i);
    }
    assertEquals(5, unread(alice, roomId));
    assertEquals(0, unread(carol, roomId), "own messages are not unread");

    Response read = assertStatus(204, api.markRead(alice.token(), roomId, 2));
    assertTrue(read.body().isEmpty(), read::toString);
    assertEquals(3, unread(alice, roomId));

    assertStatus(204, api.markRead(alice.token(), roomId, 1));
    assertEquals(3, unread(alice, roomId), "the mark never moves back");
    assertStatus(204, api.markRead(alice.token(), roomId, 0));
    assertEquals(3, unread(alice, roomId), "the mark never moves back");

    assertStatus(204, api.markRead(alice.token(), roomId, 5));
    assertEquals(0, unread(alice, roomId));
    assertEquals(0, unread(carol, roomId), "another member's mark is their own");

    assertStatus(204, api.markRead(alice.token(), roomId, 1000));
    assertEquals(0, unread(alice, roomId));
    send(carol, roomId, "c6");
    assertEquals(1, unread(alice, roomId), "a mark beyond the newest message stops at it");
    assertStatus(204, api.markRead(alice.token(), roomId, 6));
    assertEquals(0, unread(alice, roomId));
  }

  @Test
  void unreadCountsOnlyOthersMessagesAboveTheCallersMark() {
    User carol = newUser("carol");
    User dave = newUser("dave");
    befriend(alice, carol, dave);
    String roomId = roomIdOf(createRoom(alice, "three", carol, dave));
    send(carol, roomId, "c1");
    send(carol, roomId, "c2");
    assertEquals(2, unread(dave, roomId));
    assertStatus(204, api.markRead(dave.token(), roomId, 2));
    send(dave, roomId, "d3");

    assertEquals(3, unread(alice, roomId), "alice has read nothing");
    assertEquals(1, unread(carol, roomId), "dave's message; carol's own do not count");
    assertEquals(0, unread(dave, roomId), "dave read up to 2 and wrote 3");

    assertStatus(204, api.markRead(alice.token(), roomId, 1));
    assertEquals(2, unread(alice, roomId));
    assertEquals(1, unread(carol, roomId), "alice's mark is hers alone");
  }

  static Stream<ObjectNode> badReads() {
    return Stream.of(
        json(),
        json().putNull("seq"),
        json("seq", "3"),
        json().put("seq", 1.5),
        json().put("seq", true),
        json().put("seq", -1),
        (ObjectNode) json().set("seq", json("seq", "1")));
  }

  @ParameterizedTest
  @MethodSource("badReads")
  void aReadMarkNeedsAWholeSeq(ObjectNode body) {
    User carol = newUser("carol");
    String roomId = newRoom(carol);
    send(carol, roomId, "unread");
    assertError(400, "VALIDATION_FAILED", "seq", api.post("/api/rooms/" + roomId + "/read", alice.token(), body));
    assertEquals(1, unread(alice, roomId));
  }

  @Test
  void onlyMembersMarkRead() {
    User carol = newUser("carol");
    User outsider = newUser("outsider");
    String roomId = newRoom(carol);
    send(carol, roomId, "m");
    assertError(403, "NOT_A_MEMBER", api.markRead(outsider.token(), roomId, 1));
    assertNotEquals(0, unread(alice, roomId));
  }
}
