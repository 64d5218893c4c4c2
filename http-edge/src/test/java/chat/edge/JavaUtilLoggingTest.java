package chat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the Postgres driver logs through java.util.logging goes through logback and its levels. */
class JavaUtilLoggingTest {

  @Test
  void javaUtilLoggingReachesLogback() {
    Main.routeJavaUtilLogging();
    Logger logger = (Logger) LoggerFactory.getLogger("chat.edge.routed");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);

    java.util.logging.Logger.getLogger("chat.edge.routed").warning("could not close the stream");

    assertEquals(1, seen.list.size());
    assertEquals("could not close the stream", seen.list.get(0).getFormattedMessage());
  }

  @Test
  void theNodeDropsTheDriversWarningAboutAClosedSocketOnly() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Main.class.getResource("/logback.xml"));
    try {
      assertFalse(context.getLogger("org.postgresql.core.ConnectionFactory").isWarnEnabled());
      assertTrue(context.getLogger("org.postgresql.core.v3.QueryExecutorImpl").isWarnEnabled());
    } finally {
      context.stop();
    }
  }
}
