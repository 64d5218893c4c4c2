package chat.edge;

import com.typesafe.config.ConfigFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Runs a chat node configured by the environment (see API.md, "Operations"). SIGTERM runs
 * coordinated shutdown through the JVM's shutdown hook.
 */
public final class Main {

  private Main() {}

  /**
   * Continuations on Pekko's asks (Scala-converted CompletionStages) always run asynchronously, on
   * the common pool; with a common pool of one thread (machines of two cores) the JDK starts a new
   * thread for each instead. At least two keeps them on the pool.
   */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    routeJavaUtilLogging();
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
    try {
      // When the cluster removes this node, the process should end so it can be restarted.
      ChatNode.start(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
    } catch (Exception e) {
      System.err.println("The chat node could not start: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * The Postgres driver logs through java.util.logging, which would print to stderr in its own
   * format, stack traces included, past logback.xml's levels; routed through SLF4J it obeys them.
   */
  static void routeJavaUtilLogging() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
