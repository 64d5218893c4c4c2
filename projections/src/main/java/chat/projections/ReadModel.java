package chat.projections;

import chat.cluster.room.Message;
import chat.cluster.room.RoomEntity;
import chat.cluster.room.RoomView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.persistence.typed.PersistenceId;

/** Queries on the read tables, run on a blocking executor. */
public final class ReadModel {

  private final DataSource dataSource;
  private final Executor blocking;

  public ReadModel(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /**
   * A room of a user's list as the tables show it. {@code current}: the tables had applied every
   * event of the room's journal when they were read, so the row is exactly what the room entity
   * would answer; otherwise the room has events the projection has yet to apply.
   */
  public record ListedRoom(RoomView room, boolean current) {}

  private static final String ROOM_PERSISTENCE_ID_PREFIX = RoomEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();

  /**
   * The rooms the tables list {@code userId} as a member of. One statement reads the rows and the
   * journal's newest sequence number of each room, so "current" holds for the rows as read.
   */
  public CompletionStage<List<ListedRoom>> roomsOf(String userId) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = dataSource.getConnection();
           PreparedStatement ps = Sql.prepare(c, "SELECT s.\"room_id\", s.\"name\", s.\"created_by\", s.\"created_at\","
               + " s.\"last_seq\", s.\"last_sender_id\", s.\"last_text\", s.\"last_sent_at\", s.\"last_client_msg_id\","
               + " m.\"unread\", s.\"event_seq_nr\", (SELECT MAX(j.\"sequence_number\") FROM \"event_journal\" j"
               + " WHERE j.\"persistence_id\" = ? || s.\"room_id\"), o.\"user_id\""
               + " FROM \"room_member\" m JOIN \"room_summary\" s ON s.\"room_id\" = m.\"room_id\""
               + " JOIN \"room_member\" o ON o.\"room_id\" = m.\"room_id\""
               + " WHERE m.\"user_id\" = ? ORDER BY s.\"room_id\", o.\"member_no\"",
               ROOM_PERSISTENCE_ID_PREFIX, userId);
           ResultSet rs = ps.executeQuery()) {
        Map<String, RoomRows> rooms = new LinkedHashMap<>();
        while (rs.next()) {
          rooms.computeIfAbsent(rs.getString(1), roomId -> RoomRows.read(roomId, rs)).members.add(rs.getString(13));
        }
        return rooms.values().stream().map(RoomRows::listed).toList();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the rooms of user " + userId, e);
      }
    }, blocking);
  }

  /** One room's columns and the members collected from its rows. */
  private record RoomRows(String roomId, String name, String createdBy, long createdAt, long lastSeq,
      Message lastMessage, long unread, boolean current, List<String> members) {

    static RoomRows read(String roomId, ResultSet rs) {
      try {
        long lastSeq = rs.getLong(5);
        Message last = lastSeq == 0 ? null
            : new Message(roomId, lastSeq, rs.getString(6), rs.getString(7), Sql.instant(rs.getLong(8)), rs.getString(9));
        long applied = rs.getLong(11);
        long newest = rs.getLong(12);
        return new RoomRows(roomId, rs.getString(2), rs.getString(3), rs.getLong(4), lastSeq, last, rs.getLong(10),
            applied == newest, new ArrayList<>());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    ListedRoom listed() {
      return new ListedRoom(new RoomView(roomId, RoomView.shownName(name, members), List.copyOf(members), createdBy, Sql.instant(createdAt),
          lastSeq, lastMessage, unread), current);
    }
  }

  /**
   * Messages of a room as far as the tables hold them. The projection stores a room's messages
   * in seq order together with its summary, so the tables hold every message up to
   * {@code lastSeq}, and {@code eventSeqNr} is the newest journal event applied to the room: newer
   * messages are in the journal after it. Both 0 when the room has no row yet.
   */
  public record StoredMessages(List<Message> messages, long lastSeq, long eventSeqNr) {}

  /**
   * At most {@code max} stored messages of the room with {@code fromSeq <= seq < toSeq},
   * ascending. The summary is read first and the rows only up to its {@code last_seq}: rows are
   * only ever added, each committed with or before the summary that counts it, so the rows and the
   * summary agree although they are two statements.
   */
  public CompletionStage<StoredMessages> messages(String roomId, long fromSeq, long toSeq, int max) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = dataSource.getConnection()) {
        long lastSeq = 0;
        long eventSeqNr = 0;
        try (PreparedStatement ps = Sql.prepare(c, "SELECT \"last_seq\", \"event_seq_nr\" FROM \"room_summary\""
            + " WHERE \"room_id\" = ?", roomId); ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            lastSeq = rs.getLong(1);
            eventSeqNr = rs.getLong(2);
          }
        }
        List<Message> found = new ArrayList<>();
        long end = Math.min(toSeq, lastSeq + 1);
        if (max > 0 && fromSeq < end) {
          try (PreparedStatement ps = Sql.prepare(c, "SELECT \"seq\", \"sender_id\", \"text\", \"sent_at\","
              + " \"client_msg_id\" FROM \"room_message\" WHERE \"room_id\" = ? AND \"seq\" >= ? AND \"seq\" < ?"
              + " ORDER BY \"seq\" LIMIT ?", roomId, fromSeq, end, max); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.add(new Message(roomId, rs.getLong(1), rs.getString(2), rs.getString(3),
                  Sql.instant(rs.getLong(4)), rs.getString(5)));
            }
          }
        }
        return new StoredMessages(List.copyOf(found), lastSeq, eventSeqNr);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the messages of room " + roomId, e);
      }
    }, blocking);
  }
}
