package chat.cluster.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throw-away databases for integration tests; usable from other modules through chat-cluster's
 * test-jar.
 *
 * <pre>{@code
 * try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
 *   SchemaMigrations.migrate(db.settings());
 *   ...
 * }
 * }</pre>
 *
 * <p>Postgres: connects to the admin database given by {@code CHAT_TEST_DB_URL} (default
 * {@value #DEFAULT_ADMIN_URL}) as {@code CHAT_TEST_DB_USER}/{@code CHAT_TEST_DB_PASSWORD}
 * (default chat/chat), creates a new uniquely named database and drops it on close. When that
 * URL is not set and the server cannot be reached, it runs the repository's
 * {@code scripts/setup-postgres} once (which installs and starts Postgres when needed).
 */
public final class TestDatabases {

  public static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/chat_test";
  public static final String NAME_PREFIX = "chat_it_";
  private static final int POOL_SIZE = 4;

  private static final Object SETUP_LOCK = new Object();
  private static volatile boolean setupAttempted;

  private TestDatabases() {
  }

  /** A database that exists until {@link #close()}. */
  public interface TestDatabase extends AutoCloseable {
    DatabaseSettings settings();

    default String jdbcUrl() {
      return settings().jdbcUrl();
    }

    /** Drops the database (Postgres) or deletes its files (H2). */
    @Override
    void close();
  }

  public static TestDatabase freshPostgres() {
    String adminUrl = env("CHAT_TEST_DB_URL", null);
    boolean explicitUrl = adminUrl != null;
    if (!explicitUrl) {
      adminUrl = DEFAULT_ADMIN_URL;
    }
    String user = env("CHAT_TEST_DB_USER", "chat");
    String password = env("CHAT_TEST_DB_PASSWORD", "chat");
    String name = NAME_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    try (Connection admin = connectAdmin(adminUrl, user, password, !explicitUrl);
         Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + " via " + adminUrl, e);
    }
    DatabaseSettings settings = DatabaseSettings.postgres(withDatabase(adminUrl, name), user, password, POOL_SIZE);
    String admUrl = adminUrl;
    return new TestDatabase() {
      @Override
      public DatabaseSettings settings() {
        return settings;
      }

      @Override
      public void close() {
        dropPostgres(admUrl, user, password, name);
      }

      @Override
      public String toString() {
        return "TestDatabase[" + settings + "]";
      }
    };
  }

  /** A new embedded H2 database in a fresh sub-directory of {@code dir}, deleted on close. */
  public static TestDatabase freshH2(Path dir) {
    Path dataDir = dir.resolve("h2-" + UUID.randomUUID().toString().substring(0, 8));
    DatabaseSettings settings = DatabaseSettings.h2(dataDir, "", "", POOL_SIZE);
    return new TestDatabase() {
      @Override
      public DatabaseSettings settings() {
        return settings;
      }

      @Override
      public void close() {
        shutdownH2(settings);
        deleteRecursively(dataDir);
      }

      @Override
      public String toString() {
        return "TestDatabase[" + settings + "]";
      }
    };
  }

  private static Connection connectAdmin(String url, String user, String password, boolean mayRunSetup)
      throws SQLException {
    try {
      return DriverManager.getConnection(url, user, password);
    } catch (SQLException first) {
      if (!mayRunSetup || !runSetupScriptOnce()) {
        throw first;
      }
      return DriverManager.getConnection(url, user, password);
    }
  }

  private static boolean runSetupScriptOnce() {
    synchronized (SETUP_LOCK) {
      if (setupAttempted) {
        return true; // already ran (or failed) in this JVM: just retry the connection
      }
      setupAttempted = true;
      Path script = findSetupScript();
      if (script == null) {
        return false;
      }
      try {
        Process p = new ProcessBuilder(script.toString()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException(script + " did not finish within 10 minutes");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(script + " failed with exit code " + p.exitValue());
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + script, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + script, e);
      }
    }
  }

  /** {@code scripts/setup-postgres} in the working directory or one of its parents. */
  private static Path findSetupScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("scripts").resolve("setup-postgres");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Replaces the database of a {@code jdbc:postgresql://host[:port]/db[?params]} URL. */
  static String withDatabase(String url, String database) {
    String prefix = DatabaseSettings.POSTGRES_URL_PREFIX + "//";
    if (!url.startsWith(prefix)) {
      throw new IllegalArgumentException("expected " + prefix + "host[:port]/database, got " + url);
    }
    int query = url.indexOf('?');
    String params = query < 0 ? "" : url.substring(query);
    String base = query < 0 ? url : url.substring(0, query);
    int slash = base.indexOf('/', prefix.length());
    String hostPart = slash < 0 ? base : base.substring(0, slash);
    return hostPart + "/" + database + params;
  }

  private static void dropPostgres(String adminUrl, String user, String password, String name) {
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password)) {
      try (PreparedStatement ps = admin.prepareStatement(
          // Only this role's sessions: an autovacuum worker on the database runs as a superuser, which
          // this role may not end (the DROP itself stops it).
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = ? AND pid <> pg_backend_pid() AND usename = current_user")) {
        ps.setString(1, name);
        ps.execute();
      }
      boolean force = admin.getMetaData().getDatabaseMajorVersion() >= 13;
      String drop = "DROP DATABASE IF EXISTS \"" + name + "\"" + (force ? " WITH (FORCE)" : "");
      SQLException last = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        try (Statement s = admin.createStatement()) {
          s.execute(drop);
          return;
        } catch (SQLException e) { // "is being accessed by other users": terminations still in flight
          last = e;
          sleep(100);
        }
      }
      throw last;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name, e);
    }
  }

  private static void shutdownH2(DatabaseSettings settings) {
    // Closes the database even if a pool still holds connections, so its files can be deleted.
    String url = settings.jdbcUrl() + ";IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
         Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // not created or already closed
    }
  }

  /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
