package chat.edge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own embedded node with settings of its own, on a fresh data directory:
 * {@code @RegisterExtension static final OwnNode node = new OwnNode(Map.of(…));}
 */
public final class OwnNode implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, Object> settings;
  private Path dataDir;
  private TestNode node;
  private ApiClient api;

  public OwnNode(Map<String, Object> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("chat-node");
    Map<String, Object> all = new HashMap<>(settings);
    all.put("chat.data-dir", dataDir.toString());
    node = TestNode.start(all);
    api = new ApiClient(node.baseUrl());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (node != null) {
      node.close();
    }
  }

  public String baseUrl() {
    return node.baseUrl();
  }

  public ApiClient api() {
    return api;
  }
}
