package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chat.cluster.db.DatabaseSettings;
import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.Poll;
import chat.edge.TestNode;
import chat.edge.health.DatabaseWatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * /ready answers from the database: when the node's database stops accepting connections the
 * node reports itself unready (while staying alive), and ready again once the database is back.
 *
 * <p>The outage is real: the database is closed to new connections ({@code CONNECTION LIMIT 0},
 * which its owner may set and which binds every role but superusers) and the node's open
 * connections are terminated. The test keeps one connection of its own open inside that database
 * to reopen it. The outage must show in the node's log as two lines of {@link DatabaseWatch}: one when
 * the database stops answering, one when it is back.
 */
class ReadinessFollowsDatabaseTest {

  private static final Duration OUTAGE_DEADLINE = Duration.ofSeconds(15);
  private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);

  @Test
  void readyTurnsUnreadyWhileTheDatabaseRefusesConnectionsAndRecovers() throws Exception {
    Logger watchLog = (Logger) LoggerFactory.getLogger(DatabaseWatch.class);
    Level level = watchLog.getLevel();
    watchLog.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> watchLines = new ListAppender<>();
    watchLines.start();
    watchLog.addAppender(watchLines);
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      DatabaseSettings settings = db.settings();
      String name = databaseName(settings);
      try (TestNode node = TestNode.onPostgres(settings, "");
           Connection admin = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
        String ready = node.managementUrl() + "/ready";
        String alive = node.managementUrl() + "/alive";
        Poll.until("/ready 200 on a fresh database", RECOVERY_DEADLINE,
            () -> ApiClient.getUrl(ready), r -> r.status() == 200);

        try {
          closeDatabase(admin, name);
          Response unready = Poll.until("/ready non-200 while the database refuses connections",
              OUTAGE_DEADLINE, () -> ApiClient.getUrl(ready), r -> r.status() != 200);
          // Pekko Management answers a failed check with a 5xx (500 "Not Healthy"), not a 404 or the like.
          assertTrue(unready.status() >= 500 && unready.status() < 600, "/ready during the outage: " + unready);
          // A database outage is not a reason to restart the node.
          assertEquals(200, ApiClient.getUrl(alive).status(), "/alive during the outage");
          Poll.until("the watch says the database is gone", OUTAGE_DEADLINE,
              () -> linesOf(watchLines), all -> !all.isEmpty());
        } finally {
          reopenDatabase(admin, name);
        }
        Poll.until("/ready 200 after the database is back", RECOVERY_DEADLINE,
            () -> ApiClient.getUrl(ready), r -> r.status() == 200);
        // Ready again means it can persist again.
        Response registered = new ApiClient(node.baseUrl())
            .register("after-outage", "after-outage-password", "After Outage", "after@example.com");
        assertEquals(201, registered.status(), "register once ready again: " + registered);

        List<String> lines = Poll.until("the watch says the database is back", RECOVERY_DEADLINE,
            () -> linesOf(watchLines), all -> all.stream().anyMatch(line -> line.startsWith("INFO")));
        assertEquals(2, lines.size(), "one line when the database went, one when it came back: " + lines);
        assertTrue(lines.get(0).startsWith("WARN Database unreachable"), lines.toString());
        assertTrue(lines.get(1).startsWith("INFO Database reachable again after"), lines.toString());
      }
    } finally {
      watchLog.detachAppender(watchLines);
      watchLog.setLevel(level);
    }
  }

  private static List<String> linesOf(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) { // logback appends under the appender's lock
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  private static void closeDatabase(Connection admin, String name) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE \"" + name + "\" CONNECTION LIMIT 0");
    }
    try (PreparedStatement ps = admin.prepareStatement(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    }
  }

  private static void reopenDatabase(Connection admin, String name) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE \"" + name + "\" CONNECTION LIMIT -1");
    }
  }

  private static String databaseName(DatabaseSettings settings) throws SQLException {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
