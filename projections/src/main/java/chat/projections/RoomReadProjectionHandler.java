package chat.projections;

import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MemberLeft;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps {@code room_message}, {@code room_summary} and {@code room_member} from room events, a
 * group of envelopes per transaction of the projection (one commit for many messages).
 * {@code room_summary.event_seq_nr} holds the journal sequence number of the newest event applied
 * to the room, so an event delivered again is skipped.
 * Read marks and unread counts follow {@code RoomState}: a newcomer starts at the room's last
 * seq, and a sender whose mark sits right below their own message moves past it.
 */
public final class RoomReadProjectionHandler
    extends JdbcHandler<List<EventEnvelope<RoomEvent>>, ChatJdbcSession> {

  @Override
  public void process(ChatJdbcSession session, List<EventEnvelope<RoomEvent>> envelopes) throws Exception {
    session.withConnection(connection -> {
      applyAll(connection, envelopes);
      return null;
    });
  }

  /**
   * Applies a group: each room's events in their order (rooms touch rows of their own, so rooms
   * need no order among them), and a room's consecutive message events together.
   */
  static void applyAll(Connection c, List<EventEnvelope<RoomEvent>> envelopes) throws SQLException {
    Map<String, List<EventEnvelope<RoomEvent>>> byRoom = new LinkedHashMap<>();
    for (EventEnvelope<RoomEvent> envelope : envelopes) {
      byRoom.computeIfAbsent(Sql.entityId(envelope.persistenceId()), room -> new ArrayList<>()).add(envelope);
    }
    for (Map.Entry<String, List<EventEnvelope<RoomEvent>>> room : byRoom.entrySet()) {
      List<EventEnvelope<RoomEvent>> events = room.getValue();
      int i = 0;
      while (i < events.size()) {
        int end = i;
        while (end < events.size() && !events.get(end).event().messages().isEmpty()) {
          end++;
        }
        if (end > i) {
          posted(c, room.getKey(), events.subList(i, end));
          i = end;
        } else {
          EventEnvelope<RoomEvent> one = events.get(i);
          apply(c, room.getKey(), one.sequenceNr(), one.event());
          i++;
        }
      }
    }
  }

  /** An event that posts no messages. */
  private static void apply(Connection c, String roomId, long seqNr, RoomEvent event) throws SQLException {
    Long applied = Sql.queryLong(c, "SELECT \"event_seq_nr\" FROM \"room_summary\" WHERE \"room_id\" = ?", roomId);
    if (applied != null && seqNr <= applied) {
      return;
    }
    if (event instanceof RoomCreated e) {
      Sql.update(c, "INSERT INTO \"room_summary\" (\"room_id\", \"name\", \"created_by\", \"created_at\","
          + " \"last_seq\", \"event_seq_nr\") VALUES (?, ?, ?, ?, 0, ?)",
          roomId, e.name(), e.createdBy(), Sql.nanos(e.at()), seqNr);
      for (String member : e.members()) {
        addMember(c, roomId, member, 0, e.at());
      }
    } else if (event instanceof MemberJoined e) {
      Long lastSeq = Sql.queryLong(c, "SELECT \"last_seq\" FROM \"room_summary\" WHERE \"room_id\" = ?", roomId);
      addMember(c, roomId, e.userId(), lastSeq == null ? 0 : lastSeq, e.at());
    } else if (event instanceof MemberLeft e) {
      Sql.update(c, "DELETE FROM \"room_member\" WHERE \"room_id\" = ? AND \"user_id\" = ?", roomId, e.userId());
    } else if (event instanceof ReadMarkMoved e) {
      Sql.update(c, "UPDATE \"room_member\" SET \"read_mark\" = ?, \"unread\" = (SELECT COUNT(*) FROM \"room_message\""
          + " WHERE \"room_id\" = ? AND \"seq\" > ? AND \"sender_id\" <> ?) WHERE \"room_id\" = ? AND \"user_id\" = ?",
          e.seq(), roomId, e.seq(), e.userId(), roomId, e.userId());
    }
    // Every event moves the mark, MembershipSynced too: the room list compares it with the
    // journal's newest sequence number to know the row is current.
    Sql.update(c, "UPDATE \"room_summary\" SET \"event_seq_nr\" = ? WHERE \"room_id\" = ?", seqNr, roomId);
  }

  /**
   * Message events of one room in a row, with the same outcome as one message after the other:
   * the rows inserted in one batch, the summary and the unread counts updated once, read marks
   * moved as each message in turn would move them. Events already applied are skipped.
   */
  private static void posted(Connection c, String roomId, List<EventEnvelope<RoomEvent>> run) throws SQLException {
    Long stored = Sql.queryLong(c, "SELECT \"event_seq_nr\" FROM \"room_summary\" WHERE \"room_id\" = ?", roomId);
    long applied = stored == null ? 0 : stored;
    List<MessagePosted> messages = new ArrayList<>();
    long lastSeqNr = applied;
    for (EventEnvelope<RoomEvent> envelope : run) {
      if (envelope.sequenceNr() > applied) {
        messages.addAll(envelope.event().messages());
        lastSeqNr = envelope.sequenceNr();
      }
    }
    if (messages.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO \"room_message\" (\"room_id\", \"seq\","
        + " \"sender_id\", \"text\", \"sent_at\", \"client_msg_id\") VALUES (?, ?, ?, ?, ?, ?)")) {
      for (MessagePosted m : messages) {
        insert.setString(1, roomId);
        insert.setLong(2, m.seq());
        insert.setString(3, m.senderId());
        insert.setString(4, m.text());
        insert.setLong(5, Sql.nanos(m.at()));
        insert.setString(6, m.clientMsgId());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    MessagePosted last = messages.get(messages.size() - 1);
    Sql.update(c, "UPDATE \"room_summary\" SET \"last_seq\" = ?, \"last_sender_id\" = ?, \"last_text\" = ?,"
        + " \"last_sent_at\" = ?, \"last_client_msg_id\" = ?, \"event_seq_nr\" = ? WHERE \"room_id\" = ?",
        last.seq(), last.senderId(), last.text(), Sql.nanos(last.at()), last.clientMsgId(), lastSeqNr, roomId);
    // Each member gains the messages of the others: all of them, less their own.
    Map<String, Long> ownCounts = new LinkedHashMap<>();
    messages.forEach(m -> ownCounts.merge(m.senderId(), 1L, Long::sum));
    Sql.update(c, "UPDATE \"room_member\" SET \"unread\" = \"unread\" + ? WHERE \"room_id\" = ?",
        (long) messages.size(), roomId);
    for (Map.Entry<String, Long> own : ownCounts.entrySet()) {
      Sql.update(c, "UPDATE \"room_member\" SET \"unread\" = \"unread\" - ? WHERE \"room_id\" = ? AND \"user_id\" = ?",
          own.getValue(), roomId, own.getKey());
    }
    // A sender's mark follows their message when it sat right below it.
    Map<String, Long> marks = new HashMap<>();
    try (PreparedStatement ps = Sql.prepare(c, "SELECT \"user_id\", \"read_mark\" FROM \"room_member\""
        + " WHERE \"room_id\" = ?", roomId); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        marks.put(rs.getString(1), rs.getLong(2));
      }
    }
    Map<String, Long> moved = new LinkedHashMap<>();
    for (MessagePosted m : messages) {
      Long mark = marks.get(m.senderId());
      if (mark != null && mark == m.seq() - 1) {
        marks.put(m.senderId(), m.seq());
        moved.put(m.senderId(), m.seq());
      }
    }
    for (Map.Entry<String, Long> mark : moved.entrySet()) {
      Sql.update(c, "UPDATE \"room_member\" SET \"read_mark\" = ? WHERE \"room_id\" = ? AND \"user_id\" = ?",
          mark.getValue(), roomId, mark.getKey());
    }
  }

  /** A member goes to the end of the room's member order, as in {@code RoomState}. */
  private static void addMember(Connection c, String roomId, String userId, long readMark, java.time.Instant at)
      throws SQLException {
    Sql.update(c, "DELETE FROM \"room_member\" WHERE \"room_id\" = ? AND \"user_id\" = ?", roomId, userId);
    Sql.update(c, "INSERT INTO \"room_member\" (\"room_id\", \"user_id\", \"read_mark\", \"unread\", \"joined_at\","
        + " \"member_no\") VALUES (?, ?, ?, 0, ?, (SELECT COALESCE(MAX(\"member_no\") + 1, 0) FROM \"room_member\""
        + " WHERE \"room_id\" = ?))", roomId, userId, readMark, Sql.nanos(at), roomId);
  }
}
