package chat.cluster.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events persisted by one actor system are recovered by a new one on the same database. */
class PersistenceRoundTripTest {

  @Test
  void postgres() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      roundTrip(db.settings());
    }
  }

  @Test
  void h2(@TempDir Path tmp) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshH2(tmp)) {
      roundTrip(db.settings());
    }
  }

  /** A local actor system on {@code settings}, with the node's persistence settings. */
  static Config systemConfig(DatabaseSettings settings) {
    return ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
            pekko.loglevel = WARNING
            """)
        .withFallback(settings.persistenceConfig())
        .withFallback(ConfigFactory.parseResources("persistence.conf"))
        .withFallback(ConfigFactory.load());
  }

  private static void roundTrip(DatabaseSettings settings) throws Exception {
    SchemaMigrations.migrate(settings);
    Config config = systemConfig(settings);
    String id = "entity-1";

    ActorTestKit first = ActorTestKit.create("first", config);
    try {
      ActorRef<TestEntity.Command> entity = first.spawn(TestEntity.create(id));
      TestProbe<Done> acks = first.createTestProbe();
      for (String value : List.of("a", "b", "c")) {
        entity.tell(new TestEntity.Append(value, acks.getRef()));
        acks.expectMessage(Done.getInstance());
      }
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("second", config);
    try {
      ActorRef<TestEntity.Command> entity = second.spawn(TestEntity.create(id));
      TestProbe<String> state = second.createTestProbe();
      entity.tell(new TestEntity.Get(state.getRef()));
      state.expectMessage("a,b,c");

      JdbcReadJournal readJournal = PersistenceQuery.get(second.system())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      List<EventEnvelope> tagged = readJournal.currentEventsByTag(TestEntity.TAG, Offset.noOffset())
          .runWith(Sink.seq(), second.system())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of("a", "b", "c"), tagged.stream().map(e -> (String) e.event()).toList());
    } finally {
      second.shutdownTestKit();
    }

    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(quote(settings, "SELECT COUNT(*) FROM %snapshot%"))) {
      assertTrue(rs.next());
      assertTrue(rs.getLong(1) >= 1, "a snapshot was stored");
    }
  }

  /** H2 table names are quoted lower case; Postgres folds unquoted names to lower case. */
  private static String quote(DatabaseSettings settings, String sql) {
    return sql.replace("%", settings.dialect() == DatabaseSettings.Dialect.H2 ? "\"" : "");
  }
}
