package chat.cluster.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the database schema with Flyway; run it before starting the actor system.
 *
 * <p>Each dialect has its own folder of versioned SQL scripts:
 * <ul>
 *   <li>{@code src/main/resources/db/migration/postgres/}</li>
 *   <li>{@code src/main/resources/db/migration/h2/}</li>
 * </ul>
 * To change the schema, add the next version to <em>both</em> folders, named
 * {@code V<n>__<description>.sql} (two underscores), e.g. {@code V2__read_tables.sql}. Never edit
 * a migration that has been released: Flyway checks the checksums of applied ones.
 * V1 holds the pekko-persistence-jdbc journal and snapshot tables.
 *
 * <p>Several nodes may migrate at the same time: on Postgres, Flyway serialises them with an
 * advisory lock.
 */
public final class SchemaMigrations {

  private SchemaMigrations() {
  }

  /**
   * Applies all pending migrations for the settings' dialect.
   *
   * @return the number of migrations applied by this call (0 when the schema is up to date)
   */
  public static int migrate(DatabaseSettings settings) {
    MigrateResult result = flyway(settings).migrate();
    return result.migrationsExecuted;
  }

  /** The configured Flyway instance, for callers that want {@code info()} or {@code validate()}. */
  public static Flyway flyway(DatabaseSettings settings) {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), emptyToNull(settings.user()), emptyToNull(settings.password()))
        .locations(settings.dialect().migrationLocation())
        .failOnMissingLocations(true)
        .validateMigrationNaming(true)
        .load();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
