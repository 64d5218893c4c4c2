package chat.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Small JDBC helpers for the read tables. Identifiers are quoted in lower case, which Postgres
 * and H2 (whose tables are created quoted) both read the same way. Times are epoch nanoseconds.
 */
final class Sql {

  private Sql() {}

  static int update(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(connection, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /** The first column of the first row, or null when there is no row. */
  static Long queryLong(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(connection, sql, params); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }

  static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /** The entity id of a persistence id {@code Type|id}. */
  static String entityId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }
}
