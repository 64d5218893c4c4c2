package chat.cluster.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

/**
 * Answers "is the database reachable?" for the node's readiness check by running {@code SELECT 1}.
 *
 * <p>Keeps at most one connection (in a pool of its own, so a busy persistence pool does not make
 * the node look unready) and bounds every check by the timeout. {@link #isReachable()} blocks:
 * call it from a blocking dispatcher. Close the probe when the node stops.
 */
public final class DatabaseProbe implements AutoCloseable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final long MIN_TIMEOUT_MS = 250; // HikariCP's lower bound

  private final HikariDataSource dataSource;
  private final int queryTimeoutSeconds;

  public DatabaseProbe(DatabaseSettings settings, Duration timeout) {
    long timeoutMs = Math.max(MIN_TIMEOUT_MS, timeout.toMillis());
    this.queryTimeoutSeconds = (int) Math.max(1, (timeoutMs + 999) / 1000);

    HikariConfig hc = settings.poolConfig("chat-db-probe", 1);
    hc.setMinimumIdle(0);
    hc.setIdleTimeout(Duration.ofMinutes(1).toMillis());
    hc.setConnectionTimeout(timeoutMs);
    hc.setValidationTimeout(timeoutMs);
    hc.setInitializationFailTimeout(-1); // construct even while the database is down
    if (settings.dialect() == DatabaseSettings.Dialect.POSTGRES) {
      String seconds = Integer.toString(queryTimeoutSeconds);
      hc.addDataSourceProperty("connectTimeout", seconds);
      hc.addDataSourceProperty("loginTimeout", seconds);
      hc.addDataSourceProperty("socketTimeout", Integer.toString(queryTimeoutSeconds + 1));
    }
    this.dataSource = new HikariDataSource(hc);
  }

  public static DatabaseProbe create(DatabaseSettings settings) {
    return new DatabaseProbe(settings, DEFAULT_TIMEOUT);
  }

  /** {@code true} if {@code SELECT 1} succeeded within the timeout; never throws. */
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(queryTimeoutSeconds);
      return s.execute("SELECT 1");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
