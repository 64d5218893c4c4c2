package chat.projections.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.RoomEvent;
import chat.cluster.user.UserEvent;
import chat.projections.kafka.KafkaRecords.Record;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaRecordsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-11-24T10:00:00.123456Z");
  private static final Instant WHOLE_SECOND = Instant.parse("2026-11-24T10:00:00Z");

  private final KafkaRecords records = new KafkaRecords(TopicNames.DEFAULT);

  private static Record one(List<Record> records) {
    assertEquals(1, records.size(), "records of the event");
    return records.get(0);
  }

  @Test
  void aMessageStoredAloneGoesToTheMessagesTopicKeyedByRoomWithTheEventsId() throws Exception {
    Record r = one(records.room("Room|r1", 7, new RoomEvent.MessagePosted(3, "u1", "c-9", "hi", AT)));
    assertEquals("chat.messages", r.topic());
    assertEquals("r1", r.key());
    JsonNode json = MAPPER.readTree(r.value());
    assertEquals("Room|r1#7", json.get("eventId").asText());
    assertEquals("r1", json.get("roomId").asText());
    assertEquals(3, json.get("seq").asLong());
    assertEquals("u1", json.get("senderId").asText());
    assertEquals("hi", json.get("text").asText());
    assertEquals("2026-11-24T10:00:00.123Z", json.get("sentAt").asText());
    assertEquals("c-9", json.get("clientMsgId").asText());
    assertFalse(json.has("type"));
  }

  @Test
  void messagesPostedTogetherAreOneRecordEachInOrderWithTheirOwnEventIds() throws Exception {
    List<Record> posted = records.room("Room|r1", 9, new RoomEvent.MessagesPosted(List.of(
        new RoomEvent.MessagePosted(4, "u1", "c-1", "one", AT),
        new RoomEvent.MessagePosted(5, "u2", "c-1", "two", AT))));
    assertEquals(2, posted.size());
    JsonNode first = MAPPER.readTree(posted.get(0).value());
    JsonNode second = MAPPER.readTree(posted.get(1).value());
    assertEquals(List.of("Room|r1#9:4", "Room|r1#9:5"),
        List.of(first.get("eventId").asText(), second.get("eventId").asText()));
    assertEquals(List.of(4L, 5L), List.of(first.get("seq").asLong(), second.get("seq").asLong()));
    assertEquals(List.of("u1", "u2"), List.of(first.get("senderId").asText(), second.get("senderId").asText()));
    assertEquals("two", second.get("text").asText());
    assertEquals("2026-11-24T10:00:00.123Z", second.get("sentAt").asText());
    assertTrue(posted.stream().allMatch(r -> r.topic().equals("chat.messages") && r.key().equals("r1")));
  }

  @Test
  void roomMembershipGoesToTheRoomsTopic() throws Exception {
    Record created = one(records.room("Room|r1", 1,
        new RoomEvent.RoomCreated("r1", "Lobby", "u1", List.of("u1", "u2"), WHOLE_SECOND)));
    assertEquals("chat.rooms", created.topic());
    assertEquals("r1", created.key());
    JsonNode json = MAPPER.readTree(created.value());
    assertEquals("created", json.get("type").asText());
    assertEquals("u1", json.get("userId").asText());
    assertEquals("Lobby", json.get("name").asText());
    assertEquals(2, json.get("members").size());
    assertEquals("2026-11-24T10:00:00.000Z", json.get("at").asText());
    assertEquals("Room|r1#1", json.get("eventId").asText());

    JsonNode joined = MAPPER.readTree(
        one(records.room("Room|r1", 2, new RoomEvent.MemberJoined("u3", "u1", AT))).value());
    assertEquals("joined", joined.get("type").asText());
    assertEquals("u3", joined.get("userId").asText());
    assertEquals("u1", joined.get("invitedBy").asText());

    Record left = one(records.room("Room|r1", 3, new RoomEvent.MemberLeft("u3", AT)));
    assertEquals("chat.rooms", left.topic());
    JsonNode leftJson = MAPPER.readTree(left.value());
    assertEquals("left", leftJson.get("type").asText());
    assertEquals("u3", leftJson.get("userId").asText());
    assertEquals("r1", leftJson.get("roomId").asText());
  }

  @Test
  void aRoomNamedAfterItsMembersHasANullName() throws Exception {
    JsonNode json = MAPPER.readTree(one(records.room("Room|r2", 1,
        new RoomEvent.RoomCreated("r2", null, "u1", List.of("u1", "u2"), AT))).value());
    assertTrue(json.get("name").isNull());
  }

  @Test
  void roomBookkeepingIsNotPublished() {
    assertTrue(records.room("Room|r1", 4, new RoomEvent.ReadMarkMoved("u1", 3, AT)).isEmpty());
    assertTrue(records.room("Room|r1", 5, new RoomEvent.MembershipSynced("u1", true, AT)).isEmpty());
  }

  @Test
  void userEventsGoToTheUsersTopicKeyedByUser() throws Exception {
    Record registered = one(records.user("User|u1", 1,
        new UserEvent.Registered("u1", "Ann", "ann@example.com", "$2a$hash", AT)));
    assertEquals("chat.users", registered.topic());
    assertEquals("u1", registered.key());
    JsonNode json = MAPPER.readTree(registered.value());
    assertEquals("User|u1#1", json.get("eventId").asText());
    assertEquals("u1", json.get("userId").asText());
    assertEquals("registered", json.get("type").asText());
    assertEquals("Ann", json.get("name").asText());
    assertEquals("2026-11-24T10:00:00.123Z", json.get("at").asText());
    assertFalse(registered.value().contains("ann@example.com"), "no e-mail in Kafka");
    assertFalse(registered.value().contains("hash"), "no password hash in Kafka");

    JsonNode profile = MAPPER.readTree(one(records.user("User|u1", 2,
        new UserEvent.ProfileChanged("Ann B", "away", AT))).value());
    assertEquals("profile-changed", profile.get("type").asText());
    assertEquals("Ann B", profile.get("name").asText());
    assertEquals("away", profile.get("statusMessage").asText());

    JsonNode added = MAPPER.readTree(one(records.user("User|u1", 3,
        new UserEvent.FriendAdded("u2", true, 1, AT))).value());
    assertEquals("friend-added", added.get("type").asText());
    assertEquals("u2", added.get("friendId").asText());

    JsonNode removed = MAPPER.readTree(one(records.user("User|u1", 4,
        new UserEvent.FriendRemoved("u2", false, 2, AT))).value());
    assertEquals("friend-removed", removed.get("type").asText());
    assertEquals("u2", removed.get("friendId").asText());
  }

  @Test
  void userBookkeepingIsNotPublished() {
    assertTrue(records.user("User|u1", 5, new UserEvent.SessionStarted("f", "h", AT, AT)).isEmpty());
    assertTrue(records.user("User|u1", 6, new UserEvent.SessionRotated("f", "h", AT, AT)).isEmpty());
    assertTrue(records.user("User|u1", 7, new UserEvent.SessionEnded("f", AT)).isEmpty());
    assertTrue(records.user("User|u1", 8, new UserEvent.AllSessionsRevoked(AT)).isEmpty());
    assertTrue(records.user("User|u1", 9, new UserEvent.FriendSyncConfirmed("u2", 1, AT)).isEmpty());
    assertTrue(records.user("User|u1", 10, new UserEvent.RoomMembershipChanged("r1", true, AT)).isEmpty());
  }

  @Test
  void entityIdsWithTheSeparatorKeepTheirRest() {
    assertEquals("a|b", KafkaRecords.entityId("Room|a|b"));
  }
}
