package chat.projections;

import chat.cluster.db.SchemaMigrations;
import chat.cluster.db.TestDatabases;
import chat.cluster.db.TestDatabases.TestDatabase;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;

/** A migrated database (fresh H2 file or Postgres), an actor system and a projection pool. */
final class ProjectionFixture implements AutoCloseable {

  enum Db { H2, POSTGRES }

  /** Small groups, so a test's few envelopes span several transactions. */
  static final RoomReadProjection.Grouping GROUPING = new RoomReadProjection.Grouping(2, Duration.ofMillis(10));

  final TestDatabase db;
  final ActorTestKit testKit;
  final ProjectionTestKit projectionTestKit;
  final HikariDataSource pool;
  final Supplier<ChatJdbcSession> sessions;

  ProjectionFixture(Db kind, Path tempDir) throws Exception {
    db = kind == Db.H2 ? TestDatabases.freshH2(tempDir) : TestDatabases.freshPostgres();
    SchemaMigrations.migrate(db.settings());
    testKit = ActorTestKit.create("projection-test",
        db.settings().persistenceConfig()
            .withFallback(ConfigFactory.parseResources("serialization.conf"))
            .withFallback(ConfigFactory.load()));
    projectionTestKit = ProjectionTestKit.create(testKit.system());
    pool = db.settings().createDataSource("test-projections", 4);
    sessions = () -> new ChatJdbcSession(pool);
    JdbcProjection.createTablesIfNotExists(sessions, testKit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <E> TestSourceProvider<Offset, EventEnvelope<E>> source(List<EventEnvelope<E>> envelopes) {
    return TestSourceProvider.create(Source.<EventEnvelope<E>>from(envelopes).mapMaterializedValue(m -> NotUsed.getInstance()),
        EventEnvelope::offset);
  }

  static <E> EventEnvelope<E> envelope(long offset, String persistenceId, long seqNr, E event) {
    return EventEnvelope.create(Offset.sequence(offset), persistenceId, seqNr, event, 0L);
  }

  /** Every row of a query, each as a list of its columns' values as strings. */
  List<List<String>> rows(String sql) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
    pool.close();
    db.close();
  }
}
