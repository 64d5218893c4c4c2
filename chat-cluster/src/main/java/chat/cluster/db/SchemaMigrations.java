package chat.cluster.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the database schema with Flyway; run it before starting the actor system.
 *
 * <p>Each dialect has its own folder of versioned SQL scripts on the class path,
 * {@code db/migration/postgres/} and {@code db/migration/h2/}, in the resources of the module that
 * owns the tables: V1 here (the pekko-persistence-jdbc journal and snapshot tables), the read
 * tables in the projections module. To change the schema, add the next version (numbered across
 * the modules) to <em>both</em> folders, named {@code V<n>__<description>.sql} (two underscores).
 * Never edit a migration that has been released: Flyway checks the checksums of applied ones.
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
