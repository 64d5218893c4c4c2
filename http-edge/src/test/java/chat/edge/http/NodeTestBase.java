package chat.edge.http;

import chat.edge.ApiClient;
import chat.edge.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded node per test class, on a fresh data directory, with a client for it. A subclass
 * may add its own {@code @BeforeAll} (under another name), which runs once the node is up.
 *
 * <p>The fields are static and so shared by every subclass: test classes must not run in parallel.
 */
abstract class NodeTestBase {

  @TempDir static Path dataDir;
  static TestNode node;
  static ApiClient api;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.onH2(dataDir);
    api = new ApiClient(node.baseUrl());
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
      node = null;
    }
  }
}
