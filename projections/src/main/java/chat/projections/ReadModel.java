package chat.projections;

import chat.cluster.room.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/** Queries on the read tables, run on a blocking executor. */
public final class ReadModel {

  private final DataSource dataSource;
  private final Executor blocking;

  public ReadModel(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /** At most {@code max} stored messages of the room with {@code fromSeq <= seq < toSeq}, ascending. */
  public CompletionStage<List<Message>> messages(String roomId, long fromSeq, long toSeq, int max) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = dataSource.getConnection();
           PreparedStatement ps = Sql.prepare(c, "SELECT \"seq\", \"sender_id\", \"text\", \"sent_at\", \"client_msg_id\""
               + " FROM \"room_message\" WHERE \"room_id\" = ? AND \"seq\" >= ? AND \"seq\" < ?"
               + " ORDER BY \"seq\" LIMIT ?", roomId, fromSeq, toSeq, max);
           ResultSet rs = ps.executeQuery()) {
        List<Message> found = new ArrayList<>();
        while (rs.next()) {
          found.add(new Message(roomId, rs.getLong(1), rs.getString(2), rs.getString(3),
              Sql.instant(rs.getLong(4)), rs.getString(5)));
        }
        return found;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the messages of room " + roomId, e);
      }
    }, blocking);
  }
}
