package chat.edge.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.edge.limits.KeyedBuckets;
import chat.edge.metrics.EdgeMetrics;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A session exists before its connection's stream runs: what it hears meanwhile waits for the stream. */
class ClientSessionAttachTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ClientSession.Settings SETTINGS = new ClientSession.Settings(
      50, 100, Duration.ofSeconds(30), Duration.ofSeconds(90), 1024, new Semaphore(8), new KeyedBuckets(2, 10));
  private static final Duration QUIET = Duration.ofMillis(300);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<ConnectionHub.Command> hub = testKit.createTestProbe();

  private ActorRef<ClientSession.Command> session() {
    return testKit.spawn(ClientSession.create(SETTINGS, "alice", hub.ref(), null, null, null, new EdgeMetrics()));
  }

  @Test
  void joinsTheHubAndLetsFramesInOnlyOnceItsStreamIsAttached() {
    ActorRef<ClientSession.Command> session = session();
    TestProbe<ClientSession.StreamAck> ack = testKit.createTestProbe();
    session.tell(new ClientSession.StreamStarted(ack.ref()));
    ack.expectNoMessage(QUIET);
    hub.expectNoMessage(Duration.ZERO);

    TestProbe<Outbound> out = testKit.createTestProbe();
    session.tell(new ClientSession.Attach(out.ref(), new OutboundBacklog()));
    ConnectionHub.Connected connected = hub.expectMessageClass(ConnectionHub.Connected.class);
    assertEquals("alice", connected.userId());
    assertEquals(session, connected.session());
    ack.expectMessage(ClientSession.StreamAck.INSTANCE);
  }

  @Test
  void aStreamThatEndedBeforeItWasAttachedEndsTheSessionOnceAttached() {
    ActorRef<ClientSession.Command> session = session();
    TestProbe<Object> watcher = testKit.createTestProbe();
    session.tell(ClientSession.StreamEnded.INSTANCE);

    session.tell(new ClientSession.Attach(testKit.<Outbound>createTestProbe().ref(), new OutboundBacklog()));
    // It was still there to join the hub, and then handled the end it had kept.
    hub.expectMessageClass(ConnectionHub.Connected.class);
    watcher.expectTerminated(session);
  }
}
