package chat.edge.it;

import chat.edge.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new node on the same embedded data directory finds everything the previous node wrote,
 * including the generated signing key, so access tokens survive too.
 */
class RestartOnH2Test {

  @Test
  void newNodeOnTheSameDataDirectoryKeepsUsersFriendshipsAndSessions(@TempDir Path dataDir) throws Exception {
    RestartScenario.run(() -> TestNode.onH2(dataDir));
  }
}
