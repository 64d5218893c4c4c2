package chat.cluster.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseSettingsTest {

  private static Config config(Map<String, Object> values) {
    return ConfigFactory.parseMap(values);
  }

  @Test
  void emptyUrlMeansEmbeddedH2UnderTheDataDirectory(@TempDir Path tmp) throws Exception {
    Path dataDir = tmp.resolve("nested/data");
    DatabaseSettings s = DatabaseSettings.fromConfig(config(Map.of(
        "chat.data-dir", dataDir.toString(), "chat.db.url", "", "chat.db.pool-size", 3)));

    assertEquals(DatabaseSettings.Dialect.H2, s.dialect());
    assertTrue(Files.isDirectory(dataDir), "data directory is created");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)),
        "the database files inside are for this user only");
    assertTrue(s.jdbcUrl().startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chat")), s.jdbcUrl());
    assertEquals("sa", s.user());
    assertEquals(3, s.poolSize());
  }

  @Test
  void postgresUrlIsTakenAsIs() {
    DatabaseSettings s = DatabaseSettings.fromConfig(config(Map.of(
        "chat.db.url", "jdbc:postgresql://db.example:5432/chat",
        "chat.db.user", "app", "chat.db.password", "pw", "chat.db.pool-size", 7)));

    assertEquals(new DatabaseSettings(DatabaseSettings.Dialect.POSTGRES,
        "jdbc:postgresql://db.example:5432/chat", "app", "pw", 7), s);
  }

  @Test
  void rejectsUrlsOfOtherDatabases() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> DatabaseSettings.fromConfig(config(Map.of(
        "chat.db.url", "jdbc:mysql://localhost/chat?user=x&password=hunter2"))));
    assertTrue(e.getMessage().contains("chat.db.url"), e.getMessage());
    assertTrue(e.getMessage().contains("jdbc:postgresql:"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());

    assertThrows(ConfigException.BadValue.class, () -> DatabaseSettings.fromConfig(config(Map.of(
        "chat.db.url", "jdbc:h2:mem:x"))));
  }

  @Test
  void rejectsPoolSizeBelowOne() {
    assertThrows(ConfigException.BadValue.class, () -> DatabaseSettings.fromConfig(config(Map.of(
        "chat.db.url", "jdbc:postgresql://localhost/chat", "chat.db.pool-size", 0))));
  }

  @Test
  void toStringMasksThePassword() {
    DatabaseSettings s = DatabaseSettings.postgres(
        "jdbc:postgresql://localhost/chat?ssl=true&password=urlsecret", "app", "s3cret-pw", 10);
    String text = s.toString();
    assertFalse(text.contains("s3cret-pw"), text);
    assertFalse(text.contains("urlsecret"), text);
    assertTrue(text.contains("password=****"), text);
    assertTrue(text.contains("user=app"), text);
  }

  @Test
  void writesAndReadsOfThePersistencePluginHaveAPoolEach() {
    DatabaseSettings s = DatabaseSettings.postgres("jdbc:postgresql://localhost/chat", "app", "pw", 6);
    Config c = s.persistenceConfig().withFallback(ConfigFactory.load()).resolve();

    assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", c.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("writes", c.getString("jdbc-journal.use-shared-db"));
    assertEquals("writes", c.getString("jdbc-snapshot-store.use-shared-db"));
    assertEquals("reads", c.getString("jdbc-read-journal.use-shared-db"));
    for (String name : new String[] {"writes", "reads"}) {
      Config db = c.getConfig("pekko-persistence-jdbc.shared-databases." + name);
      assertEquals("slick.jdbc.PostgresProfile$", db.getString("profile"), name);
      assertEquals("jdbc:postgresql://localhost/chat", db.getString("db.url"), name);
      assertEquals("org.postgresql.Driver", db.getString("db.driver"), name);
      assertEquals("app", db.getString("db.user"), name);
      assertEquals("pw", db.getString("db.password"), name);
      assertEquals(6, db.getInt("db.numThreads"), name);
      assertEquals(6, db.getInt("db.maxConnections"), name);
    }
    assertNotEquals(c.getString("pekko-persistence-jdbc.shared-databases.writes.db.poolName"),
        c.getString("pekko-persistence-jdbc.shared-databases.reads.db.poolName"));
  }

  @Test
  void h2PersistenceConfigUsesTheH2Profile(@TempDir Path tmp) {
    Config db = DatabaseSettings.h2(tmp, "", "", 2).persistenceConfig()
        .getConfig("pekko-persistence-jdbc.shared-databases.reads");
    assertEquals("slick.jdbc.H2Profile$", db.getString("profile"));
    assertEquals("org.h2.Driver", db.getString("db.driver"));
    assertFalse(db.hasPath("db.password"));
    assertFalse(db.hasPath("db.connectionInitSql"), "a Postgres setting");
  }

  @Test
  void onlyTheWritesEndTransactionsLeftIdleOnPostgres() {
    Config c = DatabaseSettings.postgres("jdbc:postgresql://localhost/chat", "app", "pw", 6).persistenceConfig();
    assertEquals("SET idle_in_transaction_session_timeout = 5000",
        c.getString("pekko-persistence-jdbc.shared-databases.writes.db.connectionInitSql"));
    assertFalse(c.hasPath("pekko-persistence-jdbc.shared-databases.reads.db.connectionInitSql"));
  }

  @Test
  void theReadJournalWaitsForAGapLongerThanAWriteCanSitIdle() {
    Config c = ConfigFactory.parseResources("persistence.conf").withFallback(ConfigFactory.load()).resolve()
        .getConfig("jdbc-read-journal.journal-sequence-retrieval");
    Duration gapWait = c.getDuration("query-delay").multipliedBy(c.getInt("max-tries"));
    assertTrue(gapWait.compareTo(DatabaseSettings.IDLE_TRANSACTION_TIMEOUT.multipliedBy(3)) >= 0,
        "a gap is waited for " + gapWait + ", a transaction may sit idle " + DatabaseSettings.IDLE_TRANSACTION_TIMEOUT);
  }
}
