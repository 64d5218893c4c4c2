package chat.projections.kafka;

import chat.cluster.room.RoomEvent;
import chat.cluster.user.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Which journal events are published, to which topic, under which key and as which JSON value.
 *
 * <p>Published: room creation, joins, leaves and messages; user registration, profile changes
 * and friendships added or removed. Internal bookkeeping is not published: read marks, the
 * room-user membership sync (both sides), friendship sync confirmations and login sessions. The
 * e-mail address and password hash of a registration stay out of Kafka.
 */
public final class KafkaRecords {

  /** One record to send: the topic, its key (room or user id) and the JSON value. */
  public record Record(String topic, String key, String value) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final TopicNames topics;

  public KafkaRecords(TopicNames topics) {
    this.topics = topics;
  }

  /** "Room|r1" → "r1": the entity id of a persistence id. */
  public static String entityId(String persistenceId) {
    int separator = persistenceId.indexOf('|');
    return separator < 0 ? persistenceId : persistenceId.substring(separator + 1);
  }

  /** Unique per event: the persistence id and the event's sequence number, e.g. "Room|r1#17". */
  public static String eventId(String persistenceId, long sequenceNr) {
    return persistenceId + "#" + sequenceNr;
  }

  /**
   * Unique per message of an event that posts several: the event's id and the message's seq,
   * e.g. "Room|r1#17:12".
   */
  public static String eventId(String persistenceId, long sequenceNr, long seq) {
    return eventId(persistenceId, sequenceNr) + ":" + seq;
  }

  public static String timestamp(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  /** The records of a room's event, in order: one per message, none when the event is not published. */
  public List<Record> room(String persistenceId, long sequenceNr, RoomEvent event) {
    String roomId = entityId(persistenceId);
    if (event instanceof RoomEvent.MessagePosted m) {
      // A message stored alone, by versions before batches: the event's own id.
      return List.of(message(eventId(persistenceId, sequenceNr), roomId, m));
    }
    if (event instanceof RoomEvent.MessagesPosted posted) {
      return posted.messages().stream()
          .map(m -> message(eventId(persistenceId, sequenceNr, m.seq()), roomId, m))
          .toList();
    }
    ObjectNode json = MAPPER.createObjectNode();
    json.put("eventId", eventId(persistenceId, sequenceNr));
    json.put("roomId", roomId);
    if (event instanceof RoomEvent.RoomCreated c) {
      json.put("type", "created");
      json.put("userId", c.createdBy());
      json.put("name", c.name());
      ArrayNode members = json.putArray("members");
      c.members().forEach(members::add);
    } else if (event instanceof RoomEvent.MemberJoined j) {
      json.put("type", "joined");
      json.put("userId", j.userId());
      json.put("invitedBy", j.invitedBy());
    } else if (event instanceof RoomEvent.MemberLeft l) {
      json.put("type", "left");
      json.put("userId", l.userId());
    } else {
      return List.of(); // ReadMarkMoved, MembershipSynced
    }
    json.put("at", timestamp(event.at()));
    return List.of(new Record(topics.rooms(), roomId, write(json)));
  }

  private Record message(String eventId, String roomId, RoomEvent.MessagePosted m) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("eventId", eventId);
    json.put("roomId", roomId);
    json.put("seq", m.seq());
    json.put("senderId", m.senderId());
    json.put("text", m.text());
    json.put("sentAt", timestamp(m.at()));
    json.put("clientMsgId", m.clientMsgId());
    return new Record(topics.messages(), roomId, write(json));
  }

  /** The record of a user's event, none when that kind of event is not published. */
  public List<Record> user(String persistenceId, long sequenceNr, UserEvent event) {
    String userId = entityId(persistenceId);
    ObjectNode json = MAPPER.createObjectNode();
    json.put("eventId", eventId(persistenceId, sequenceNr));
    json.put("userId", userId);
    if (event instanceof UserEvent.Registered r) {
      json.put("type", "registered");
      json.put("name", r.name());
    } else if (event instanceof UserEvent.ProfileChanged p) {
      json.put("type", "profile-changed");
      json.put("name", p.name());
      json.put("statusMessage", p.statusMessage());
    } else if (event instanceof UserEvent.FriendAdded f) {
      json.put("type", "friend-added");
      json.put("friendId", f.friendId());
    } else if (event instanceof UserEvent.FriendRemoved f) {
      json.put("type", "friend-removed");
      json.put("friendId", f.friendId());
    } else {
      return List.of(); // sessions, friendship sync confirmations, room membership sync
    }
    json.put("at", timestamp(event.at()));
    return List.of(new Record(topics.users(), userId, write(json)));
  }

  private static String write(ObjectNode json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
