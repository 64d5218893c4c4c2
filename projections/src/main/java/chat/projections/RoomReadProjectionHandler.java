package chat.projections;

import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MemberLeft;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps {@code room_message}, {@code room_summary} and {@code room_member} from room events, a
 * group of envelopes per transaction of the projection (one commit for many messages). {@code room_summary.event_seq_nr} holds the journal sequence
 * number of the newest event applied to the room, so an event delivered again is skipped.
 * Read marks and unread counts follow {@code RoomState}: a newcomer starts at the room's last
 * seq, and a sender whose mark sits right below their own message moves past it.
 */
public final class RoomReadProjectionHandler
    extends JdbcHandler<List<EventEnvelope<RoomEvent>>, ChatJdbcSession> {

  @Override
  public void process(ChatJdbcSession session, List<EventEnvelope<RoomEvent>> envelopes) throws Exception {
    session.withConnection(connection -> {
      for (EventEnvelope<RoomEvent> envelope : envelopes) {
        apply(connection, Sql.entityId(envelope.persistenceId()), envelope.sequenceNr(), envelope.event());
      }
      return null;
    });
  }

  static void apply(Connection c, String roomId, long seqNr, RoomEvent event) throws SQLException {
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
    } else if (event instanceof MessagePosted e) {
      posted(c, roomId, e);
    } else if (event instanceof ReadMarkMoved e) {
      Sql.update(c, "UPDATE \"room_member\" SET \"read_mark\" = ?, \"unread\" = (SELECT COUNT(*) FROM \"room_message\""
          + " WHERE \"room_id\" = ? AND \"seq\" > ? AND \"sender_id\" <> ?) WHERE \"room_id\" = ? AND \"user_id\" = ?",
          e.seq(), roomId, e.seq(), e.userId(), roomId, e.userId());
    }
    // Every event moves the mark, MembershipSynced too: the room list compares it with the
    // journal's newest sequence number to know the row is current.
    Sql.update(c, "UPDATE \"room_summary\" SET \"event_seq_nr\" = ? WHERE \"room_id\" = ?", seqNr, roomId);
  }

  private static void posted(Connection c, String roomId, MessagePosted e) throws SQLException {
    long sentAt = Sql.nanos(e.at());
    Sql.update(c, "INSERT INTO \"room_message\" (\"room_id\", \"seq\", \"sender_id\", \"text\", \"sent_at\","
        + " \"client_msg_id\") VALUES (?, ?, ?, ?, ?, ?)",
        roomId, e.seq(), e.senderId(), e.text(), sentAt, e.clientMsgId());
    Sql.update(c, "UPDATE \"room_summary\" SET \"last_seq\" = ?, \"last_sender_id\" = ?, \"last_text\" = ?,"
        + " \"last_sent_at\" = ?, \"last_client_msg_id\" = ? WHERE \"room_id\" = ?",
        e.seq(), e.senderId(), e.text(), sentAt, e.clientMsgId(), roomId);
    Sql.update(c, "UPDATE \"room_member\" SET \"unread\" = \"unread\" + 1 WHERE \"room_id\" = ? AND \"user_id\" <> ?",
        roomId, e.senderId());
    Sql.update(c, "UPDATE \"room_member\" SET \"read_mark\" = ? WHERE \"room_id\" = ? AND \"user_id\" = ?"
        + " AND \"read_mark\" = ?", e.seq(), roomId, e.senderId(), e.seq() - 1);
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
