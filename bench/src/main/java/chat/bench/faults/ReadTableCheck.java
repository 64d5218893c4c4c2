package chat.bench.faults;

import chat.bench.NodeProcess.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The message history read table ({@code room_message}) against every ack: each acknowledged
 * message must be there once, under the seq its sender was told.
 */
record ReadTableCheck(long acked, long present, long missing, long otherMessageAtSeq, long storedTwice) {

  /** Checks until nothing is missing or {@code deadline} passed: the projection trails the journal. */
  static ReadTableCheck await(Database db, Ledger ledger, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    ReadTableCheck check = once(db, ledger);
    while (check.missing() > 0 && System.nanoTime() < end) {
      Thread.sleep(500);
      check = once(db, ledger);
    }
    return check;
  }

  private static ReadTableCheck once(Database db, Ledger ledger) {
    Set<String> roomIds = new HashSet<>();
    ledger.sent.values().forEach(s -> roomIds.add(s.roomId));
    Map<String, String> rows = new HashMap<>(); // roomId/seq → clientMsgId
    Map<String, Integer> copies = new HashMap<>(); // roomId/clientMsgId → rows
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(
            "SELECT room_id, seq, client_msg_id FROM room_message WHERE room_id = ANY (?)")) {
      Array rooms = c.createArrayOf("varchar", roomIds.toArray());
      ps.setArray(1, rooms);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1) + "/" + rs.getLong(2), rs.getString(3));
          copies.merge(rs.getString(1) + "/" + rs.getString(3), 1, Integer::sum);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading room_message", e);
    }
    Ledger.Copy copy = ledger.against(rows);
    long twice = copies.values().stream().filter(n -> n > 1).count();
    return new ReadTableCheck(copy.acked(), copy.present(), copy.missing(), copy.otherMessageAtSeq(), twice);
  }
}
