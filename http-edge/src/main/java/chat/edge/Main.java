package chat.edge;

import com.typesafe.config.ConfigFactory;

/**
 * Runs a chat node configured by the environment (see API.md, "Operations"). SIGTERM runs
 * coordinated shutdown through the JVM's shutdown hook.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    try {
      // When the cluster removes this node, the process should end so it can be restarted.
      ChatNode.start(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
    } catch (Exception e) {
      System.err.println("The chat node could not start: " + e.getMessage());
      System.exit(1);
    }
  }
}
