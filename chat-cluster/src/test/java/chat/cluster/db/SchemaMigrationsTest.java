package chat.cluster.db;

import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigrationsTest {

  private static final List<String> V1_TABLES = List.of("event_journal", "event_tag", "snapshot");

  @Test
  void migratesAFreshPostgresDatabaseOnceAndOnlyOnce() throws SQLException {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      assertMigratesOnce(db.settings());
    }
  }

  @Test
  void migratesAFreshH2DatabaseOnceAndOnlyOnce(@TempDir Path tmp) throws SQLException {
    try (TestDatabases.TestDatabase db = TestDatabases.freshH2(tmp)) {
      assertMigratesOnce(db.settings());
    }
  }

  /** Every schema version must exist for both dialects. */
  @Test
  void bothDialectsHaveTheSameMigrationVersions() {
    Set<String> postgres = versions("db/migration/postgres");
    Set<String> h2 = versions("db/migration/h2");
    assertFalse(postgres.isEmpty());
    assertEquals(postgres, h2);
  }

  private static void assertMigratesOnce(DatabaseSettings settings) throws SQLException {
    int applied = SchemaMigrations.migrate(settings);
    assertEquals(versions("db/migration/" + folder(settings)).size(), applied);
    assertEquals(0, SchemaMigrations.migrate(settings), "second run applies nothing");

    MigrationInfo[] pending = SchemaMigrations.flyway(settings).info().pending();
    assertEquals(0, pending.length);

    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
      for (String table : V1_TABLES) {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE", "BASE TABLE"})) {
          assertTrue(rs.next(), "table " + table + " exists in " + settings.dialect());
        }
      }
    }
  }

  private static String folder(DatabaseSettings settings) {
    return settings.dialect() == DatabaseSettings.Dialect.H2 ? "h2" : "postgres";
  }

  private static Set<String> versions(String resourceDir) {
    URL url = Objects.requireNonNull(SchemaMigrationsTest.class.getClassLoader().getResource(resourceDir), resourceDir);
    String[] names = Objects.requireNonNull(new File(url.getPath()).list(), resourceDir);
    return Arrays.stream(names)
        .filter(n -> n.matches("V\\d+__.+\\.sql"))
        .map(n -> n.substring(0, n.indexOf("__")))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
