package chat.bench;

import chat.bench.LatencyRecorder.Latencies;
import chat.bench.Provisioning.User;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorSystem;

/**
 * Many idle WebSockets held open on one node: how fast they connect, what each costs the node in
 * memory, and how quickly a ping is answered while they are all open.
 */
public final class Connections {

  /**
   * Loopback source addresses 127.0.0.2, 127.0.0.3, …: one address has about 28,000 ephemeral
   * ports, so this many connections go out from each before the next address is used.
   */
  private static final int CONNECTIONS_PER_SOURCE = 20_000;
  private static final int IN_FLIGHT = 200;

  public record Settings(int connections, int pingSample, int pingRounds) {}

  public record Result(int requested, int connected, int failed, double seconds, double connectsPerSecond,
      int sourceAddresses, long heapBytesPerConnection, long rssBytesPerConnection, Latencies pingPong) {}

  private Connections() {
  }

  public static Result run(ActorSystem system, NodeProcess node, List<User> users, Settings settings) throws Exception {
    RestClient api = new RestClient(node.baseUrl());
    String wsBase = node.baseUrl().replaceFirst("^http", "ws") + "/ws?access_token=";
    NodeMemory.Sample before = NodeMemory.afterGc(api, node.pid());

    LatencyRecorder pingPong = new LatencyRecorder();
    List<ConcurrentLinkedQueue<Long>> pingsInFlight = new ArrayList<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<WsConnection>> pending = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < settings.connections(); i++) {
      inFlight.acquire();
      Consumer<String> onText = frame -> { };
      if (i < settings.pingSample()) {
        ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
        pingsInFlight.add(sentAt);
        onText = frame -> {
          Long sent = frame.contains("\"pong\"") ? sentAt.poll() : null;
          if (sent != null) {
            pingPong.record(System.nanoTime() - sent);
          }
        };
      }
      InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + i / CONNECTIONS_PER_SOURCE), 0);
      CompletableFuture<WsConnection> connected = WsConnection.open(system,
          wsBase + users.get(i % users.size()).accessToken(), Optional.of(source), onText).toCompletableFuture();
      connected.whenComplete((c, e) -> inFlight.release());
      pending.add(connected);
    }
    List<WsConnection> open = new ArrayList<>();
    for (CompletableFuture<WsConnection> c : pending) {
      try {
        open.add(c.join());
      } catch (RuntimeException refused) {
        open.add(null); // keeps the indexes of the ping sample
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int connected = (int) open.stream().filter(c -> c != null).count();
    try {
      NodeMemory.Sample after = NodeMemory.afterGc(api, node.pid());
      ping(open, pingsInFlight, settings.pingRounds());
      return new Result(settings.connections(), connected, settings.connections() - connected, seconds,
          connected / seconds, 1 + (settings.connections() - 1) / CONNECTIONS_PER_SOURCE,
          connected == 0 ? 0 : (after.heapUsedBytes() - before.heapUsedBytes()) / connected,
          connected == 0 ? 0 : (after.rssBytes() - before.rssBytes()) / connected, pingPong.summary());
    } finally {
      open.stream().filter(c -> c != null).forEach(WsConnection::close);
    }
  }

  /** Rounds of one ping on every connection of the sample, 100 ms apart, then waits for the pongs. */
  private static void ping(List<WsConnection> open, List<ConcurrentLinkedQueue<Long>> sentAt, int rounds)
      throws InterruptedException {
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < sentAt.size(); i++) {
        if (open.get(i) != null) {
          sentAt.get(i).add(System.nanoTime());
          open.get(i).send("{\"type\":\"ping\"}");
        }
      }
      Thread.sleep(100);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && sentAt.stream().anyMatch(q -> !q.isEmpty())) {
      Thread.sleep(50);
    }
  }
}
