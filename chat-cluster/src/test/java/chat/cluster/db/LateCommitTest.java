package chat.cluster.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.junit.jupiter.api.Test;

/**
 * A journal write whose transaction commits after a later one has (a slow machine, a node frozen
 * between insert and commit) still reaches everything that reads events by tag, i.e. every
 * projection; and the journal's sessions carry the idle-transaction timeout that bounds how late a
 * write can commit. Real Postgres: a trigger holds one entity's insert for longer than the read
 * journal once waited for a gap.
 */
class LateCommitTest {

  /** Longer than Pekko's 10 tries of the gap at our 200 ms query delay, shorter than the wait now. */
  private static final int HELD_SECONDS = 5;

  @Test
  void anEventCommittedAfterALaterOneIsStillReadByTag() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      DatabaseSettings settings = db.settings();
      SchemaMigrations.migrate(settings);
      execute(settings, """
          CREATE TABLE journal_session (idle_timeout TEXT NOT NULL);
          CREATE FUNCTION hold_late_write() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            INSERT INTO journal_session VALUES (current_setting('idle_in_transaction_session_timeout'));
            IF NEW.persistence_id = 'late' THEN
              PERFORM pg_sleep(%d);
            END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER hold_late_write BEFORE INSERT ON event_journal
            FOR EACH ROW EXECUTE FUNCTION hold_late_write();
          """.formatted(HELD_SECONDS));

      ActorTestKit kit = ActorTestKit.create("late-commit", PersistenceRoundTripTest.systemConfig(settings));
      try {
        JdbcReadJournal readJournal = PersistenceQuery.get(kit.system())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        List<String> read = new CopyOnWriteArrayList<>();
        readJournal.eventsByTag(TestEntity.TAG, Offset.noOffset())
            .runForeach(envelope -> read.add((String) envelope.event()), kit.system());

        TestProbe<Done> acks = kit.createTestProbe();
        ActorRef<TestEntity.Command> late = kit.spawn(TestEntity.create("late"));
        late.tell(new TestEntity.Append("written first, committed last", acks.getRef()));
        awaitOrderingTaken(settings); // the late row holds ordering 1 from here on
        ActorRef<TestEntity.Command> early = kit.spawn(TestEntity.create("early"));
        early.tell(new TestEntity.Append("written second, committed first", acks.getRef()));
        acks.expectMessage(Duration.ofSeconds(HELD_SECONDS + 10), Done.getInstance());
        acks.expectMessage(Duration.ofSeconds(HELD_SECONDS + 10), Done.getInstance());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (read.size() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(List.of("written first, committed last", "written second, committed first"), read,
            "events by tag, in ordering");
      } finally {
        kit.shutdownTestKit();
      }

      assertEquals(List.of(DatabaseSettings.IDLE_TRANSACTION_TIMEOUT.toSeconds() + "s"),
          query(settings, "SELECT DISTINCT idle_timeout FROM journal_session"),
          "the journal's sessions end a transaction left idle");
    }
  }

  /** Until the journal's ordering sequence has handed out its first number (not transactional). */
  private static void awaitOrderingTaken(DatabaseSettings settings) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!query(settings, "SELECT is_called FROM event_journal_ordering_seq").equals(List.of("t"))) {
      assertTrue(System.nanoTime() < deadline, "the late write never reached the journal");
      Thread.sleep(20);
    }
  }

  private static void execute(DatabaseSettings settings, String sql) throws SQLException {
    try (Connection c = connect(settings); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> query(DatabaseSettings settings, String sql) throws SQLException {
    try (Connection c = connect(settings); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  private static Connection connect(DatabaseSettings settings) throws SQLException {
    return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
  }
}
