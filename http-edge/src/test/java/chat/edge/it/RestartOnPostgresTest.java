package chat.edge.it;

import chat.cluster.db.TestDatabases;
import chat.edge.TestNode;
import org.junit.jupiter.api.Test;

/** A new node on the same Postgres database finds everything the previous node wrote. */
class RestartOnPostgresTest {

  @Test
  void newNodeOnTheSameDatabaseKeepsUsersFriendshipsAndSessions() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.freshPostgres()) {
      RestartScenario.run(() -> TestNode.onPostgres(db.settings(), ""));
    }
  }
}
