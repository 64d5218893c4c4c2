package chat.cluster.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseProbeTest {

  @Test
  void reachablePostgres() {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres();
         DatabaseProbe probe = DatabaseProbe.create(db.settings())) {
      assertTrue(probe.isReachable());
      assertTrue(probe.isReachable(), "works again with the pooled connection");
    }
  }

  @Test
  void reachableH2(@TempDir Path tmp) {
    try (TestDatabases.TestDatabase db = TestDatabases.freshH2(tmp);
         DatabaseProbe probe = DatabaseProbe.create(db.settings())) {
      assertTrue(probe.isReachable());
    }
  }

  @Test
  void unreachablePostgresAnswersFalseInsteadOfHanging() {
    DatabaseSettings nowhere = DatabaseSettings.postgres("jdbc:postgresql://127.0.0.1:1/chat", "chat", "chat", 1);
    try (DatabaseProbe probe = new DatabaseProbe(nowhere, Duration.ofMillis(500))) {
      // The bound only catches a probe that never answers; it says nothing about speed.
      assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(30), probe::isReachable));
    }
  }
}
