package chat.bench;

import chat.bench.NodeProcess.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage baseline: one journal row per message the product stored, each the size of one
 * message as the journal holds it and with as many tag rows as an event, inserted with plain
 * batched JDBC into scratch copies of the journal tables in the same database. What the disk and
 * Postgres allow before any of the node's work. (The node stores a room's batch of messages as one
 * event, so its rows are fewer and larger; the baseline keeps the plain one row per message.)
 */
public final class JdbcBaseline {

  /** Used when the database holds no room events to copy the shape from. */
  private static final int DEFAULT_PAYLOAD_BYTES = 200;
  private static final int DEFAULT_TAGS_PER_EVENT = 1;
  private static final int ROOMS = 100;

  public record Settings(int rows, int connections, int batchSize) {}

  public record Result(int rows, int payloadBytes, int tagsPerRow, int connections, int batchSize, double seconds,
      double rowsPerSecond) {}

  private JdbcBaseline() {
  }

  public static Result run(Database db, Settings settings) throws Exception {
    int payloadBytes;
    int tagsPerRow;
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      payloadBytes = messagePayloadBytes(s);
      tagsPerRow = tagsPerEvent(s);
      s.execute("DROP TABLE IF EXISTS bench_event_tag");
      s.execute("DROP TABLE IF EXISTS bench_event_journal");
      // The journal's columns, keys and indexes (see V1__journal_and_snapshot.sql), ids chosen by the writer.
      s.execute("CREATE TABLE bench_event_journal (ordering BIGINT NOT NULL, persistence_id VARCHAR(255) NOT NULL,"
          + " sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL,"
          + " write_timestamp BIGINT, adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL,"
          + " event_ser_manifest VARCHAR(255) NOT NULL, event_payload BYTEA NOT NULL, meta_ser_id INTEGER,"
          + " meta_ser_manifest VARCHAR(255), meta_payload BYTEA, PRIMARY KEY(persistence_id, sequence_number))");
      s.execute("CREATE UNIQUE INDEX bench_event_journal_ordering_idx ON bench_event_journal(ordering)");
      s.execute("CREATE TABLE bench_event_tag (event_id BIGINT, tag VARCHAR(256), PRIMARY KEY(event_id, tag),"
          + " FOREIGN KEY(event_id) REFERENCES bench_event_journal(ordering) ON DELETE CASCADE)");
    }
    byte[] payload = new byte[payloadBytes];
    new Random(1).nextBytes(payload);
    AtomicLong nextOrdering = new AtomicLong(1);
    ExecutorService pool = Executors.newFixedThreadPool(settings.connections());
    try {
      List<Future<?>> writers = new ArrayList<>();
      long start = System.nanoTime();
      for (int w = 0; w < settings.connections(); w++) {
        int share = settings.rows() / settings.connections() + (w < settings.rows() % settings.connections() ? 1 : 0);
        int writer = w;
        writers.add(pool.submit(() -> {
          write(db, writer, share, settings.batchSize(), payload, tagsPerRow, nextOrdering);
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(settings.rows(), payloadBytes, tagsPerRow, settings.connections(), settings.batchSize(),
          seconds, settings.rows() / seconds);
    } finally {
      pool.shutdownNow();
      try (Connection c = connect(db); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS bench_event_tag");
        s.execute("DROP TABLE IF EXISTS bench_event_journal");
      }
    }
  }

  /** One transaction per batch: the journal rows, then their tag rows. */
  private static void write(Database db, int writer, int rows, int batchSize, byte[] payload, int tagsPerRow,
      AtomicLong nextOrdering) throws SQLException {
    try (Connection c = connect(db);
         PreparedStatement journal = c.prepareStatement("INSERT INTO bench_event_journal (ordering, persistence_id,"
             + " sequence_number, deleted, writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
             + " event_payload) VALUES (?, ?, ?, false, ?, ?, '', 33, 'M', ?)");
         PreparedStatement tag = c.prepareStatement("INSERT INTO bench_event_tag (event_id, tag) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      long[] seqByRoom = new long[ROOMS];
      for (int done = 0; done < rows; ) {
        int n = Math.min(batchSize, rows - done);
        for (int i = 0; i < n; i++, done++) {
          int room = (done * 7 + writer) % ROOMS;
          long ordering = nextOrdering.getAndIncrement();
          journal.setLong(1, ordering);
          journal.setString(2, "Room|bench-" + writer + "-" + room);
          journal.setLong(3, ++seqByRoom[room]);
          journal.setString(4, "bench-writer-" + writer);
          journal.setLong(5, System.currentTimeMillis());
          journal.setBytes(6, payload);
          journal.addBatch();
          for (int t = 0; t < tagsPerRow; t++) {
            tag.setLong(1, ordering);
            tag.setString(2, "room-" + t);
            tag.addBatch();
          }
        }
        journal.executeBatch();
        if (tagsPerRow > 0) {
          tag.executeBatch();
        }
        c.commit();
      }
    }
  }

  /** The room events' bytes per message the rooms hold (messages counted by the read table's room summaries). */
  private static int messagePayloadBytes(Statement s) throws SQLException {
    if (!journalExists(s)) {
      return DEFAULT_PAYLOAD_BYTES;
    }
    try (ResultSet r = s.executeQuery("SELECT (SELECT sum(octet_length(event_payload)) FROM event_journal"
        + " WHERE persistence_id LIKE 'Room|%')::float / nullif((SELECT sum(last_seq) FROM room_summary), 0)")) {
      r.next();
      double perMessage = r.getDouble(1);
      return r.wasNull() ? DEFAULT_PAYLOAD_BYTES : (int) Math.round(perMessage);
    }
  }

  private static int tagsPerEvent(Statement s) throws SQLException {
    if (!journalExists(s)) {
      return DEFAULT_TAGS_PER_EVENT;
    }
    try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM event_tag)::float"
        + " / nullif((SELECT count(*) FROM event_journal), 0)")) {
      r.next();
      double ratio = r.getDouble(1);
      return r.wasNull() ? DEFAULT_TAGS_PER_EVENT : (int) Math.round(ratio);
    }
  }

  /** False before a node has run on this database (the bench may run this scenario alone). */
  private static boolean journalExists(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT to_regclass('event_journal') IS NOT NULL")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  private static Connection connect(Database db) throws SQLException {
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }
}
