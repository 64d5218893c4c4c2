package chat.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The packaged node that the bench and fault tests start: http-edge's jar, or {@code -Dchat.node.jar}. */
public final class PackagedNode {

  private static final Path JAR = Path.of(System.getProperty("chat.node.jar", "../http-edge/target/chat-node.jar"))
      .toAbsolutePath();

  private PackagedNode() {
  }

  /** The jar; fails the calling test with what to do when it has not been built. */
  public static Path jar() {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: package http-edge first");
    return JAR;
  }
}
