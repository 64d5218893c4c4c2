package chat.edge.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.IncomingConnection;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * The node's HTTP listener, with what Pekko HTTP's own bind lacks against clients that hold
 * connections without using them (slowloris): a connection must send its first request head
 * within {@code chat.http.request-head-timeout}, and one client address may hold at most
 * {@code chat.http.max-connections-per-address} connections still speaking HTTP. So the
 * node-wide {@code pekko.http.server.max-connections} cannot be filled from one address.
 */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  /** Refusals are logged at most this often: one line per attack, not one per connection. */
  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

  private final Flow<HttpRequest, HttpResponse, NotUsed> handler;
  private final Materializer materializer;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final Duration headTimeout;
  private final int maxPerAddress;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicLong lastRefusalLog = new AtomicLong();
  private final AtomicLong refusedSinceLog = new AtomicLong();

  private HttpServer(ActorSystem<?> system, Flow<HttpRequest, HttpResponse, NotUsed> handler,
      Materializer materializer, Duration headTimeout, int maxPerAddress) {
    this.handler = handler;
    this.materializer = materializer;
    this.scheduler = system.scheduler();
    this.executor = system.executionContext();
    this.headTimeout = headTimeout;
    this.maxPerAddress = maxPerAddress;
  }

  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Config config, Route route) {
    Config http = config.getConfig("chat.http");
    Materializer materializer = Materializer.matFromSystem(system);
    // Behind a proxy every connection comes from the proxy, which holds slow clients itself.
    boolean behindProxy = ClientAddress.parse(config.getString("chat.limits.client-address")).behindProxy();
    int maxPerAddress = behindProxy ? Integer.MAX_VALUE : http.getInt("max-connections-per-address");
    HttpServer server = new HttpServer(system, route.flow(system), materializer,
        http.getDuration("request-head-timeout"), maxPerAddress);
    return Http.get(system).newServerAt(http.getString("interface"), http.getInt("port"))
        .connectionSource()
        .mapAsyncUnordered(config.getInt("pekko.http.server.max-connections"), server::serve)
        .to(Sink.ignore())
        .run(materializer);
  }

  /** Serves one connection; completes when it closes. */
  private CompletionStage<Done> serve(IncomingConnection connection) {
    String address = connection.remoteAddress().getAddress().getHostAddress();
    if (!tryOpen(address)) {
      logRefusal(address);
      connection.handleWith(Flow.fromSinkAndSourceCoupled(Sink.cancelled(), Source.<HttpResponse>empty()),
          materializer);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    CompletableFuture<Done> closed = new CompletableFuture<>();
    AtomicBoolean headArrived = new AtomicBoolean();
    UniqueKillSwitch cutOff = connection.handleWith(Flow.<HttpRequest>create()
        .viaMat(KillSwitches.single(), Keep.right())
        .map(request -> {
          headArrived.set(true);
          return request;
        })
        .via(handler)
        .watchTermination((killSwitch, done) -> {
          done.whenComplete((ok, failure) -> {
            close(address);
            closed.complete(Done.getInstance());
          });
          return killSwitch;
        }), materializer);
    // No head in time: the connection ends as if the client had gone, with nothing to log.
    scheduler.scheduleOnce(headTimeout, () -> {
      if (!headArrived.get()) {
        cutOff.shutdown();
      }
    }, executor);
    return closed;
  }

  private boolean tryOpen(String address) {
    boolean[] opened = {false};
    open.compute(address, (key, count) -> {
      int current = count == null ? 0 : count;
      if (current >= maxPerAddress) {
        return count;
      }
      opened[0] = true;
      return current + 1;
    });
    return opened[0];
  }

  private void close(String address) {
    open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }

  private void logRefusal(String address) {
    long refused = refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last > REFUSAL_LOG_INTERVAL.toNanos() && lastRefusalLog.compareAndSet(last, now)) {
      refusedSinceLog.addAndGet(-refused);
      log.warn("Refused {} connection(s) over the limit of {} per address, the last from {}",
          refused, maxPerAddress, address);
    }
  }
}
