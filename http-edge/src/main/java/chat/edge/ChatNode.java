package chat.edge;

import chat.cluster.db.DatabaseSettings;
import chat.cluster.db.PersistenceWarmUp;
import chat.cluster.db.SchemaMigrations;
import chat.cluster.live.LiveFeed;
import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.JwtSecret;
import chat.edge.auth.Operators;
import chat.edge.auth.PasswordHasher;
import chat.edge.auth.RefreshTokens;
import chat.edge.auth.Sessions;
import chat.edge.health.DatabaseWatch;
import chat.edge.http.ApiRoutes;
import chat.edge.http.AuthRoutes;
import chat.edge.http.ClientAddress;
import chat.edge.http.ClusterRoutes;
import chat.edge.http.FriendRoutes;
import chat.edge.http.HttpServer;
import chat.edge.http.OpsRoutes;
import chat.edge.http.RoomRoutes;
import chat.edge.http.UserRoutes;
import chat.edge.limits.KeyedBuckets;
import chat.edge.limits.LoginThrottle;
import chat.edge.metrics.EdgeMetrics;
import chat.edge.metrics.NodeMetrics;
import chat.edge.ops.ClusterOps;
import chat.edge.rooms.Rooms;
import chat.edge.users.Users;
import chat.edge.web.WebPages;
import chat.edge.ws.ConnectionHub;
import chat.edge.ws.WebSocketRoute;
import chat.projections.MessageHistory;
import chat.projections.ReadModel;
import chat.projections.RoomHistory;
import chat.projections.ReadSide;
import chat.projections.kafka.KafkaPublishing;
import chat.projections.status.ProjectionStatusRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: database schema, cluster, sharded entities, the HTTP API and WebSockets,
 * then management
 * (so /ready never answers before the API serves). {@link Main} runs one; tests run several.
 */
public final class ChatNode {

  private static final Logger log = LoggerFactory.getLogger(ChatNode.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;

  private ChatNode(ActorSystem<Void> system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  /** Starts a node; {@code overrides} win over application.conf and the environment. */
  public static ChatNode start(Config overrides) throws Exception {
    Config base = overrides.withFallback(ConfigFactory.load());
    DatabaseSettings database = DatabaseSettings.fromConfig(base);
    ClusterDiscovery discovery = ClusterDiscovery.fromConfig(base);
    // Refuse to start before anything runs when the signing key is missing or weak.
    JwtSecret secret = JwtSecret.resolve(
        base.getString("chat.auth.jwt-secret"),
        database.dialect() == DatabaseSettings.Dialect.H2,
        Path.of(base.getString("chat.data-dir")));
    log.info("Database {}; JWT key from {}", database, secret.source());
    SchemaMigrations.migrate(database);

    Config config = database.persistenceConfig().withFallback(base);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "chat", config);
    try {
      // Before joining, so that no shard placed here waits for the journal and snapshot store to start.
      long warmUpStart = System.nanoTime();
      if (PersistenceWarmUp.run(system, START_TIMEOUT)) {
        log.info("Persistence ready in {} ms", (System.nanoTime() - warmUpStart) / 1_000_000);
      } else {
        log.warn("Persistence did not recover a first entity within {}; joining anyway", START_TIMEOUT);
      }
      if (discovery == ClusterDiscovery.SEED_NODES) {
        ClusterJoin.join(system, config);
      }
      ClusterSharding sharding = ClusterSharding.get(system);
      int slices = config.getInt("chat.projections.slices");
      ActorRef<Topic.Command<LiveFeed>> entityStarts =
          system.systemActorOf(LiveFeed.entityStarts(), "entity-starts", Props.empty());
      UserEntity.init(sharding, Clock.systemUTC(), slices, entityStarts);
      RoomEntity.init(sharding, Clock.systemUTC(), slices, entityStarts);
      DatabaseWatch.get(system); // probes the database from now on
      ReadModel tables = ReadSide.init(system, database);
      KafkaPublishing.init(system, database, config);

      EdgeMetrics metrics = new EdgeMetrics();
      ActorRef<ConnectionHub.Command> hub =
          system.systemActorOf(ConnectionHub.create(sharding, metrics, entityStarts), "connection-hub", Props.empty());
      closeWebSocketsOnShutdown(system, hub);
      ClusterOps clusterOps =
          ClusterOps.start(system, config, metrics, List.of(UserEntity.TYPE_KEY, RoomEntity.TYPE_KEY));

      ServerBinding binding = HttpServer.bind(system, config,
              routes(system, config, secret, hub, metrics, tables, clusterOps).route())
          .toCompletableFuture()
          .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      clusterOps.serveStats("http://" + config.getString("pekko.remote.artery.canonical.hostname") + ":"
          + binding.localAddress().getPort());
      // Last, so /ready cannot answer before the API serves.
      PekkoManagement.get(system).start().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (discovery == ClusterDiscovery.KUBERNETES_API) {
        KubernetesBootstrap.start(system);
      }
      log.info("Chat node serving HTTP on {}", binding.localAddress());
      return new ChatNode(system, binding);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  /** Before the HTTP port closes, every WebSocket gets 1012 so its client reconnects elsewhere. */
  private static void closeWebSocketsOnShutdown(ActorSystem<Void> system, ActorRef<ConnectionHub.Command> hub) {
    CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(), "close-websockets",
        () -> AskPattern.<ConnectionHub.Command, Done>ask(
            hub, ConnectionHub.CloseAll::new, Duration.ofSeconds(5), system.scheduler()));
  }

  private static ApiRoutes routes(
      ActorSystem<Void> system, Config config, JwtSecret secret, ActorRef<ConnectionHub.Command> hub,
      EdgeMetrics metrics, ReadModel tables, ClusterOps clusterOps) {
    Config auth = config.getConfig("chat.auth");
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.blocking-dispatcher"));
    AccessTokens accessTokens =
        new AccessTokens(secret.key(), auth.getDuration("access-token-ttl"), Clock.systemUTC());
    PasswordHasher hasher = new PasswordHasher(auth.getInt("bcrypt-cost"));
    EntityAsks asks = EntityAsks.fromConfig(config.getConfig("chat"));
    Users users = new Users(ClusterSharding.get(system), asks);
    Sessions sessions = new Sessions(users, accessTokens, new RefreshTokens(), hasher, blocking,
        auth.getDuration("refresh-token-ttl"), Clock.systemUTC());
    MessageHistory history = new MessageHistory(new RoomHistory(system), tables);
    Config limits = config.getConfig("chat.limits");
    KeyedBuckets sendBudget = new KeyedBuckets(limits.getDouble("sends-per-second"), limits.getInt("send-burst"));
    Rooms rooms = new Rooms(ClusterSharding.get(system), users, history, tables,
        asks, metrics, sendBudget);
    LoginThrottle throttle = LoginThrottle.fromConfig(limits);
    ClientAddress clientAddress = ClientAddress.parse(limits.getString("client-address"));
    Operators operators = Operators.parse(config.getString("chat.admin-users"));
    return new ApiRoutes(
        new UserRoutes(users, sessions, accessTokens, throttle, clientAddress),
        new AuthRoutes(sessions, accessTokens, throttle, clientAddress),
        new FriendRoutes(users, accessTokens),
        new RoomRoutes(rooms, accessTokens),
        new OpsRoutes(new NodeMetrics(metrics, ProjectionStatusRegistry.get(system),
            List.of(clusterOps.metrics()::render)), accessTokens, operators),
        new ClusterRoutes(clusterOps, accessTokens, operators, system),
        new WebSocketRoute(system, config, accessTokens, hub, users, rooms, history, metrics).route(),
        new WebPages());
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** Runs coordinated shutdown (unbind, hand off shards, leave the cluster) and waits for it. */
  public void stop() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    system.getWhenTerminated().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
