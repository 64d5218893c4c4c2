package chat.bench;

import chat.bench.NodeProcess.Database;
import chat.bench.Provisioning.Population;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;

/**
 * The load generator: starts a chat node on the given Postgres database, creates users, friends
 * and rooms through its API, runs the chosen scenarios and their baselines, stops everything it
 * started, and writes a table, a JSON file and a latency chart.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(options);
    System.exit(0); // the Pekko client may keep non-daemon threads a moment longer
  }

  /** Runs the benchmark; returns what it measured after writing the result files. */
  public static Report run(BenchOptions options) throws Exception {
    Path out = options.path("out");
    Files.createDirectories(out);
    Database db = new Database(options.text("db-url"), options.text("db-user"), options.text("db-password"));
    Report report = new Report();
    long start = System.nanoTime();
    ActorSystem system = ActorSystem.create("bench");
    try {
      if (options.runs("rest-burst") || options.runs("ws-fanout") || options.runs("connections")) {
        runOnNode(options, db, system, report, out);
      }
      if (options.runs("jdbc-baseline")) {
        log("jdbc-baseline: " + options.jdbcRows() + " rows");
        report.jdbcBaseline = JdbcBaseline.run(db, new JdbcBaseline.Settings(options.jdbcRows(),
            options.integer("jdbc-connections"), options.integer("jdbc-batch")));
      }
      if (options.runs("ws-baseline")) {
        report.wsBaseline = runWsBaseline(options, system, report, out);
      }
      if (options.runs("hostile")) {
        log("hostile: " + options.text("users") + " users at " + options.text("rate")
            + " msgs/s, quiet and then under attack (log: " + out.resolve("hostile-node.log") + ")");
        report.hostile = HostileRun.run(new HostileRun.Settings(options.integer("users"), options.integer("room-size"),
                fanoutSettings(options), options.integer("poison-rate"), options.integer("slow-connections"),
                options.integer("random-subscribes"), options.integer("random-sends"),
                options.integer("history-messages"), options.integer("replays"),
                options.integer("guesses"), options.text("warm-up-attacks").equals("yes")),
            options.path("node-jar"), options.nodeJvmFlags(), db, out.resolve("hostile-node.log"));
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    double runSeconds = (System.nanoTime() - start) / 1e9;
    System.out.print(ResultsTable.render(report.metrics()));
    Path json = out.resolve("latest.json");
    Path svg = out.resolve("latency.svg");
    ResultsJson.write(json, options.asMap(), report, runSeconds);
    SvgChart.write(svg, "Latency percentiles (ms, log scale)", report.latencies());
    log(String.format("done in %.0f s; results in %s and %s", runSeconds, json, svg));
    return report;
  }

  private static void runOnNode(BenchOptions options, Database db, ActorSystem system, Report report, Path out)
      throws Exception {
    int roomSize = options.integer("room-size");
    int users = options.integer("users");
    int restClients = options.integer("rest-clients");
    // REST clients are users too; round up to whole rooms.
    int population = ((Math.max(users, restClients) + roomSize - 1) / roomSize) * roomSize;
    log("starting the node " + options.nodeJvmFlags() + " on " + db.url() + " (log: " + out.resolve("node.log") + ")");
    try (NodeProcess node = NodeProcess.start(options.path("node-jar"), options.nodeJvmFlags(), db,
        out.resolve("node.log"))) {
      RestClient api = new RestClient(node.baseUrl());
      log("provisioning " + population + " users in rooms of " + roomSize);
      Population p = Provisioning.create(api, population, roomSize);
      if (options.runs("rest-burst")) {
        int textSize = options.integer("text-size");
        log("rest-burst: warm-up of " + options.integer("rest-warmup") + " messages");
        RestBurst.run(node.baseUrl(), p.rooms(), restClients, options.integer("rest-warmup"), textSize, "w");
        log("rest-burst: " + options.integer("rest-messages") + " messages from " + restClients + " clients");
        Runnable cpu = report.meterCpu("rest-burst", node.pid());
        report.restBurst = RestBurst.run(node.baseUrl(), p.rooms(), restClients, options.integer("rest-messages"),
            textSize, "r");
        cpu.run();
        saveMetrics(api, out, "rest-burst");
      }
      if (options.runs("ws-fanout")) {
        List<Room> rooms = p.rooms().subList(0, (users + roomSize - 1) / roomSize);
        String wsBase = node.baseUrl().replaceFirst("^http", "ws") + "/ws?access_token=";
        log("ws-fanout: " + users + " users, rooms of " + roomSize + ", " + options.text("rate") + " msgs/s");
        Runnable cpu = report.meterCpu("ws-fanout", node.pid());
        report.wsFanout = new WsFanout(fanoutSettings(options), rooms, u -> wsBase + u.accessToken()).run();
        cpu.run();
        saveMetrics(api, out, "ws-fanout");
      }
      if (options.runs("connections")) {
        log("connections: " + options.integer("connections") + " idle WebSockets");
        Runnable cpu = report.meterCpu("connections", node.pid());
        report.connections = Connections.run(system, node, p.users(), new Connections.Settings(
            options.integer("connections"), options.integer("ping-sample"), options.integer("ping-rounds")));
        cpu.run();
        saveMetrics(api, out, "connections");
      }
      log("stopping the node");
    }
  }

  /** The same fan-out client against {@link BroadcastServer} in its own JVM, with the node's flags. */
  private static WsFanout.Result runWsBaseline(BenchOptions options, ActorSystem system, Report report, Path out)
      throws Exception {
    int port = JvmProcess.freePorts(1)[0];
    List<String> arguments = List.of("-cp", System.getProperty("java.class.path"), BroadcastServer.class.getName(),
        Integer.toString(port));
    log("ws-baseline: broadcast server on port " + port);
    try (JvmProcess server = JvmProcess.start("broadcast server", options.nodeJvmFlags(), arguments, Map.of(),
        out.resolve("broadcast-server.log"))) {
      server.awaitOk("http://127.0.0.1:" + port + "/ready", Duration.ofSeconds(60));
      int roomSize = options.integer("room-size");
      int users = options.integer("users");
      List<Room> rooms = new ArrayList<>();
      for (int first = 0; first < users; first += roomSize) {
        List<User> members = new ArrayList<>();
        for (int i = first; i < Math.min(users, first + roomSize); i++) {
          String userId = String.format("bench%06d", i);
          members.add(new User(userId, userId));
        }
        rooms.add(new Room("room-" + first / roomSize, members));
      }
      String wsBase = "ws://127.0.0.1:" + port + "/ws?access_token=";
      Runnable cpu = report.meterCpu("ws-baseline", server.pid());
      WsFanout.Result result = new WsFanout(fanoutSettings(options), rooms, u -> wsBase + u.accessToken()).run();
      cpu.run();
      return result;
    }
  }

  /** The node's own counters after a scenario (persist latency, deliveries, GC), for reading the results. */
  private static void saveMetrics(RestClient api, Path out, String scenario) throws IOException {
    Files.writeString(out.resolve("node-metrics-after-" + scenario + ".txt"), api.get("/metrics").body());
  }

  private static WsFanout.Settings fanoutSettings(BenchOptions options) {
    return new WsFanout.Settings(options.number("rate"), options.seconds("warmup"), options.seconds("duration"),
        options.seconds("drain"), options.integer("text-size"));
  }

  private static void log(String line) {
    System.out.println("bench: " + line);
  }
}
