package chat.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The command line: {@code --name value} pairs, every one with a default. */
public record BenchOptions(Map<String, String> values) {

  public static final List<String> SCENARIOS = List.of("rest-burst", "ws-fanout", "connections", "jdbc-baseline",
      "ws-baseline", "hostile");

  /** Defaults sized so that the whole run stays well under 15 minutes on two cores. */
  private static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("scenario", "all");
    d.put("users", "200");
    d.put("room-size", "10");
    d.put("rate", "2000");
    d.put("warmup", "5");
    d.put("duration", "20");
    d.put("drain", "15");
    d.put("text-size", "100");
    d.put("rest-clients", "100");
    d.put("rest-messages", "10000");
    d.put("rest-warmup", "20000");
    d.put("connections", "5000");
    d.put("ping-sample", "100");
    d.put("ping-rounds", "10");
    d.put("jdbc-rows", "");
    d.put("jdbc-connections", "4");
    d.put("jdbc-batch", "200");
    // hostile: the attacks run while the normal users (users, rate, …) chat; see HostileRun.
    d.put("poison-rate", "20");
    d.put("slow-connections", "1100");
    d.put("random-subscribes", "3000");
    d.put("random-sends", "1000");
    d.put("history-messages", "1000");
    d.put("replays", "4");
    d.put("guesses", "100");
    d.put("warm-up-attacks", "no");
    d.put("db-url", "jdbc:postgresql://127.0.0.1:5432/chat_bench");
    d.put("db-user", "chat");
    d.put("db-password", "chat");
    d.put("node-jar", "http-edge/target/chat-node.jar");
    d.put("node-jvm-flags", String.join(" ", JvmFlags.RECOMMENDED));
    d.put("out", "bench/results");
    return d;
  }

  public static BenchOptions parse(String... args) {
    BenchOptions options = new BenchOptions(Map.copyOf(overDefaults(DEFAULTS, args)));
    options.scenarios(); // validates the list
    return options;
  }

  /** {@code --name value} pairs over {@code defaults}, which name every option there is. */
  public static Map<String, String> overDefaults(Map<String, String> defaults, String... args) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete option '" + args[i] + "'; options (with defaults): "
            + defaults);
      }
      values.put(name, args[++i]);
    }
    return values;
  }

  /** The values in the order of the defaults, for the results file. */
  public Map<String, String> asMap() {
    Map<String, String> ordered = new LinkedHashMap<>();
    DEFAULTS.keySet().forEach(k -> ordered.put(k, k.equals("db-password") ? "***" : values.get(k)));
    return ordered;
  }

  public Set<String> scenarios() {
    String list = values.get("scenario");
    if (list.equals("all")) {
      return new TreeSet<>(SCENARIOS);
    }
    Set<String> chosen = new TreeSet<>(Arrays.asList(list.split(",")));
    if (!SCENARIOS.containsAll(chosen)) {
      throw new IllegalArgumentException("--scenario takes 'all' or a comma-separated list of " + SCENARIOS);
    }
    return chosen;
  }

  public boolean runs(String scenario) {
    return scenarios().contains(scenario);
  }

  public int integer(String name) {
    return Integer.parseInt(values.get(name));
  }

  public double number(String name) {
    return Double.parseDouble(values.get(name));
  }

  public Duration seconds(String name) {
    return Duration.ofMillis((long) (number(name) * 1000));
  }

  public String text(String name) {
    return values.get(name);
  }

  public Path path(String name) {
    return Path.of(values.get(name));
  }

  /** Rows of the JDBC baseline: as many as the REST burst sends, unless given. */
  public int jdbcRows() {
    String rows = values.get("jdbc-rows");
    return rows.isEmpty() ? integer("rest-messages") : Integer.parseInt(rows);
  }

  public List<String> nodeJvmFlags() {
    String flags = values.get("node-jvm-flags").trim();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }
}
