package chat.cluster.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the node keeps its data: an embedded H2 file database or a Postgres server.
 *
 * <p>Read with {@link #fromConfig(Config)} from {@code chat.data-dir} and {@code chat.db.*}.
 * {@link #persistenceConfig()} points pekko-persistence-jdbc at this database; the schema is
 * created by {@link SchemaMigrations#migrate(DatabaseSettings)}.
 */
public record DatabaseSettings(Dialect dialect, String jdbcUrl, String user, String password, int poolSize) {

  public enum Dialect {
    H2("org.h2.Driver", "slick.jdbc.H2Profile$", "h2"),
    POSTGRES("org.postgresql.Driver", "slick.jdbc.PostgresProfile$", "postgres");

    private final String driverClassName;
    private final String slickProfile;
    private final String migrationFolder;

    Dialect(String driverClassName, String slickProfile, String migrationFolder) {
      this.driverClassName = driverClassName;
      this.slickProfile = slickProfile;
      this.migrationFolder = migrationFolder;
    }

    public String driverClassName() {
      return driverClassName;
    }

    public String slickProfile() {
      return slickProfile;
    }

    /** Flyway location of this dialect's migrations. */
    public String migrationLocation() {
      return "classpath:db/migration/" + migrationFolder;
    }
  }

  public static final String POSTGRES_URL_PREFIX = "jdbc:postgresql:";
  /** File name (without H2's .mv.db suffix) of the embedded database inside the data directory. */
  public static final String H2_DATABASE_NAME = "chat";
  /** pekko-persistence-jdbc's shared database for the journal and snapshot writes. */
  static final String WRITE_DB_NAME = "writes";
  /** pekko-persistence-jdbc's shared database for the read journal's queries. */
  static final String READ_DB_NAME = "reads";

  /**
   * How long Postgres lets a journal or snapshot session sit idle inside a transaction before it
   * ends the session and rolls the transaction back. A journal row takes its ordering number when
   * inserted but is seen only once committed, and the read journal waits a bounded time for such a
   * gap before it skips it for good (persistence.conf, journal-sequence-retrieval): a transaction
   * that committed later than that would be missing from every projection. This bounds how late a
   * write can commit, e.g. when its node freezes between insert and commit; a node frozen longer
   * finds its write refused when it wakes, as a downed node's must be.
   */
  public static final Duration IDLE_TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

  private static final String DEFAULT_H2_USER = "sa";
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  public DatabaseSettings {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /**
   * Reads {@code chat.data-dir} and {@code chat.db.*} from a root config (missing keys fall back
   * to this module's reference.conf). An empty {@code chat.db.url} selects the embedded H2
   * database under the data directory, which is created if missing; any other value must be a
   * {@code jdbc:postgresql:} URL.
   *
   * @throws ConfigException.BadValue for an unsupported URL or a pool size below 1
   */
  public static DatabaseSettings fromConfig(Config config) {
    Config c = config.withFallback(ConfigFactory.defaultReference(DatabaseSettings.class.getClassLoader()));
    String url = c.getString("chat.db.url").trim();
    String user = c.getString("chat.db.user");
    String password = c.getString("chat.db.password");
    int poolSize = c.getInt("chat.db.pool-size");
    if (poolSize < 1) {
      throw new ConfigException.BadValue(c.origin(), "chat.db.pool-size", "must be at least 1, was " + poolSize);
    }
    if (url.isEmpty()) {
      return h2(Path.of(c.getString("chat.data-dir")), user, password, poolSize);
    }
    if (!url.startsWith(POSTGRES_URL_PREFIX)) {
      throw new ConfigException.BadValue(c.origin(), "chat.db.url",
          "only PostgreSQL is supported: the URL must start with '" + POSTGRES_URL_PREFIX
              + "' (or be empty for the embedded H2 database), but it is '" + maskUrl(url) + "'");
    }
    return postgres(url, user, password, poolSize);
  }

  public static DatabaseSettings postgres(String jdbcUrl, String user, String password, int poolSize) {
    if (!jdbcUrl.startsWith(POSTGRES_URL_PREFIX)) {
      throw new IllegalArgumentException("not a " + POSTGRES_URL_PREFIX + " URL: " + maskUrl(jdbcUrl));
    }
    return new DatabaseSettings(Dialect.POSTGRES, jdbcUrl, user, password, poolSize);
  }

  /**
   * The embedded H2 file database {@code <dataDir>/chat.mv.db}; creates {@code dataDir}, readable
   * by this user only (H2 writes its files with the process's umask, usually world-readable).
   * An empty user means H2's customary {@code sa}.
   */
  public static DatabaseSettings h2(Path dataDir, String user, String password, int poolSize) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      createPrivateDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    // DB_CLOSE_ON_EXIT=FALSE: the connection pool closes the database when the actor system
    // terminates; H2's own JVM shutdown hook would otherwise close it while coordinated
    // shutdown may still be persisting.
    String url = "jdbc:h2:file:" + dir.resolve(H2_DATABASE_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
    String u = user == null || user.isEmpty() ? DEFAULT_H2_USER : user;
    return new DatabaseSettings(Dialect.H2, url, u, password, poolSize);
  }

  /** Creates {@code dir} and any missing parents; a directory that exists already keeps its permissions. */
  public static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      if (dir.getParent() != null) {
        Files.createDirectories(dir.getParent());
      }
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Config overlay for pekko-persistence-jdbc on this database: the journal and snapshot store
   * share one connection pool, the read journal has another, so the projections' polling and
   * history queries never make a message wait for a connection to be written. Put it in front of
   * the application config: {@code settings.persistenceConfig().withFallback(ConfigFactory.load())}.
   */
  public Config persistenceConfig() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pekko.persistence.journal.plugin", "jdbc-journal");
    m.put("pekko.persistence.snapshot-store.plugin", "jdbc-snapshot-store");
    m.put("jdbc-journal.use-shared-db", WRITE_DB_NAME);
    m.put("jdbc-snapshot-store.use-shared-db", WRITE_DB_NAME);
    m.put("jdbc-read-journal.use-shared-db", READ_DB_NAME);
    // Pekko Projections' offset store lives in the same database; its JDBC work runs on a
    // dispatcher no larger than the connections it can get.
    m.put("pekko.projection.jdbc.dialect", dialect.migrationFolder + "-dialect");
    m.put("pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", poolSize);
    sharedDatabase(m, WRITE_DB_NAME, "chat-persistence");
    sharedDatabase(m, READ_DB_NAME, "chat-read-journal");
    if (dialect == Dialect.POSTGRES) {
      m.put("pekko-persistence-jdbc.shared-databases." + WRITE_DB_NAME + ".db.connectionInitSql",
          "SET idle_in_transaction_session_timeout = " + IDLE_TRANSACTION_TIMEOUT.toMillis());
    }
    return ConfigFactory.parseMap(m, "chat database settings");
  }

  private void sharedDatabase(Map<String, Object> m, String name, String poolName) {
    String db = "pekko-persistence-jdbc.shared-databases." + name;
    m.put(db + ".profile", dialect.slickProfile());
    m.put(db + ".db.connectionPool", "HikariCP");
    m.put(db + ".db.poolName", poolName);
    m.put(db + ".db.driver", dialect.driverClassName());
    m.put(db + ".db.url", jdbcUrl);
    if (!user.isEmpty()) {
      m.put(db + ".db.user", user);
    }
    if (!password.isEmpty()) {
      m.put(db + ".db.password", password);
    }
    // Slick wants numThreads == maxConnections; a fixed-size pool.
    m.put(db + ".db.numThreads", poolSize);
    m.put(db + ".db.maxConnections", poolSize);
    m.put(db + ".db.minConnections", poolSize);
    m.put(db + ".db.queueSize", 10000);
    // While the database is down, a query waits this long for a connection before it fails. With
    // HikariCP's 30 s every journal call queued behind a few stuck ones, and after a restart the
    // queue of long-abandoned writes and recoveries kept rooms refusing sends for minutes; an ask
    // gives up after 5 s (chat.ask-timeout) anyway.
    m.put(db + ".db.connectionTimeout", 3000);
    m.put(db + ".db.validationTimeout", 5000);
    m.put(db + ".db.idleTimeout", 600000);
    m.put(db + ".db.maxLifetime", 1800000);
    m.put(db + ".db.leakDetectionThreshold", 0);
    m.put(db + ".db.keepAliveConnection", "on");
  }

  /**
   * A new HikariCP pool on this database, e.g. for a projection's JDBC session or a read-model
   * query. The caller owns it and must close it.
   */
  public HikariDataSource createDataSource(String poolName, int maxPoolSize) {
    return new HikariDataSource(poolConfig(poolName, maxPoolSize));
  }

  /** The settings of a pool on this database, for a caller that tunes them further. */
  public HikariConfig poolConfig(String poolName, int maxPoolSize) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setDriverClassName(dialect.driverClassName());
    hc.setJdbcUrl(jdbcUrl);
    if (!user.isEmpty()) {
      hc.setUsername(user);
    }
    if (!password.isEmpty()) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(maxPoolSize);
    return hc;
  }

  /** Never shows the password, neither the field nor a {@code password=} URL parameter. */
  @Override
  public String toString() {
    return "DatabaseSettings[dialect=" + dialect + ", jdbcUrl=" + maskUrl(jdbcUrl) + ", user=" + user
        + ", password=" + (password.isEmpty() ? "(none)" : "****") + ", poolSize=" + poolSize + "]";
  }

  static String maskUrl(String url) {
    return URL_PASSWORD.matcher(url).replaceAll("$1****");
  }
}
