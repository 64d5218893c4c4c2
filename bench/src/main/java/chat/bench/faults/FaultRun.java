package chat.bench.faults;

import chat.bench.LatencyRecorder;
import chat.bench.LatencyRecorder.Latencies;
import chat.bench.NodeProcess.Database;
import chat.bench.Provisioning;
import chat.bench.Provisioning.Population;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import chat.bench.RestClient;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One scenario: a fresh cluster, users in rooms spread over its nodes sending at a steady rate,
 * the fault in the middle, then a drain and the checks. Stops everything it started.
 */
final class FaultRun {

  /** How a run is shaped; {@code before} and {@code after} are load time around the fault. */
  record Settings(int nodes, int users, int roomSize, double rate, Duration before, Duration after, Duration drain,
      int textSize, Path nodeJar, List<String> nodeJvmFlags, Fault.Settings fault) {}

  /**
   * What the clients lived through. A message is lost if acked and not shown by a member of its
   * room at the end; shown twice if the room delivered it under two seqs; redeliveries are
   * deliveries of a seq already shown (harmless to a client that shows by seq). The pause is, per
   * client, the longest time without a new message once the fault began; longPausesEndedAt counts
   * the clients whose pause passed 10 s by the second it ended, to find its cause in the nodes'
   * logs. Held back: messages the load would have sent from a client that already had
   * {@link ReconnectingClient#MAX_PENDING} pending.
   * The Kafka topic is checked only when the nodes published to Kafka (null otherwise).
   */
  record Result(String scenario, long sent, long heldBack, long acked, long unanswered, Map<String, Long> refused, long retried,
      long lostMessages, long lostDeliveries, long shownTwice, long redelivered, long outOfOrder, long seqConflicts,
      long ackConflicts, long reconnects, long notDeliveringAtEnd, Latencies pause,
      Map<String, Integer> longPausesEndedAt, double faultSeconds,
      Map<String, String> seen, Map<String, Boolean> promises, ReadTableCheck readTable,
      @JsonInclude(JsonInclude.Include.NON_NULL) KafkaTopicCheck kafkaTopic, List<NodeHealth> nodes) {}

  private static final long LONG_PAUSE_NANOS = 10_000_000_000L;

  private FaultRun() {
  }

  /** Faults one after the other on the same cluster and clients, each followed by {@code after} of load. */
  static Result run(List<Fault> faults, Settings s, Database db, Path out) throws Exception {
    String scenario = String.join("+", faults.stream().map(f -> f.scenario).toList());
    boolean kafka = faults.stream().anyMatch(Fault::needsKafka);
    log(scenario + ": starting " + s.nodes() + " nodes" + (kafka ? " publishing to a Kafka broker" : "")
        + " (logs in " + out + ")");
    try (LocalCluster cluster = LocalCluster.start(s.nodeJar(), s.nodeJvmFlags(), db, out, s.nodes(), kafka)) {
      log(scenario + ": " + s.users() + " users in rooms of " + s.roomSize());
      Population people = Provisioning.create(new RestClient(cluster.baseUrl(0)), s.users(), s.roomSize(),
          userPrefix(scenario));
      Ledger ledger = new Ledger();
      ExecutorService connector = Executors.newFixedThreadPool(16);
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      List<ReconnectingClient> clients = new ArrayList<>();
      int next = 0;
      for (Room room : people.rooms()) {
        for (User user : room.members()) {
          clients.add(new ReconnectingClient(room, user, cluster.wsBaseUrls(), next++ % s.nodes(), ledger, connector,
              s.textSize()));
        }
      }
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicLong heldBack = new AtomicLong();
      Thread sender = new Thread(() -> send(clients, s.rate(), sending, heldBack), "fault-run-sender");
      try {
        clients.forEach(ReconnectingClient::start);
        ticker.scheduleAtFixedRate(() -> clients.forEach(c -> c.tick(System.nanoTime())), 200, 200,
            TimeUnit.MILLISECONDS);
        sender.start();
        Thread.sleep(s.before().toMillis());

        long faultAt = System.nanoTime();
        clients.forEach(c -> c.faultBegins(faultAt));
        Map<String, String> seen = new LinkedHashMap<>();
        Map<String, Boolean> promises = new LinkedHashMap<>();
        double faultSeconds = 0;
        for (Fault fault : faults) {
          // The wall-clock time, to line the fault up with the nodes' logs.
          log(fault.scenario + ": fault at " + LocalTime.now().truncatedTo(ChronoUnit.MILLIS));
          long at = System.nanoTime();
          Fault.Seen fromFault = fault.inject(cluster, s.fault());
          faultSeconds += (System.nanoTime() - at) / 1e9;
          seen.putAll(fromFault.notes());
          promises.putAll(fromFault.promises());
          log(fault.scenario + ": fault over after " + Math.round((System.nanoTime() - at) / 1e9) + " s "
              + fromFault.notes());
          Thread.sleep(s.after().toMillis());
        }
        sending.set(false);
        sender.join();
        long loadEnd = System.nanoTime();

        drain(clients, ledger, s.drain());
        clients.forEach(ReconnectingClient::stop);
        ticker.shutdownNow();
        log(scenario + ": checking the read table");
        ReadTableCheck table = ReadTableCheck.await(db, ledger, Duration.ofSeconds(30));
        KafkaTopicCheck topic = null;
        if (kafka) {
          log(scenario + ": checking the Kafka topic " + KafkaTopicCheck.TOPIC);
          topic = KafkaTopicCheck.await(cluster.kafka().bootstrapServers(), ledger, Duration.ofMinutes(3));
        }
        List<NodeHealth> health = new ArrayList<>();
        for (int i = 0; i < s.nodes(); i++) {
          health.add(NodeHealth.of(cluster, i));
        }
        return result(scenario, clients, ledger, heldBack.get(), loadEnd, faultSeconds, seen, promises, table, topic,
            health);
      } finally {
        sending.set(false);
        clients.forEach(ReconnectingClient::stop);
        ticker.shutdownNow();
        connector.shutdownNow();
        log(scenario + ": stopping the nodes");
      }
    }
  }

  /** User ids start with the scenario's letters, so that scenarios can share a database. */
  private static String userPrefix(String scenario) {
    String letters = scenario.replaceAll("[^a-z]", "");
    return letters.substring(0, Math.min(16, letters.length()));
  }

  /** Round robin over the clients, so every user has the same share of the rate. */
  private static void send(List<ReconnectingClient> clients, double rate, AtomicBoolean sending, AtomicLong heldBack) {
    long start = System.nanoTime();
    long sent = 0;
    while (sending.get()) {
      long due = (long) ((System.nanoTime() - start) * rate / 1e9);
      for (; sent < due; sent++) {
        if (!clients.get((int) (sent % clients.size())).send("f" + sent)) {
          heldBack.incrementAndGet();
        }
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Until every send has its final answer and every acked message is shown by its whole room. */
  private static void drain(List<ReconnectingClient> clients, Ledger ledger, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (clients.stream().allMatch(c -> c.unanswered() == 0) && lostDeliveries(clients, ledger)[1] == 0) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /** {lost messages, lost deliveries}: acked messages some member of the room does not show. */
  private static long[] lostDeliveries(List<ReconnectingClient> clients, Ledger ledger) {
    Map<String, List<ReconnectingClient>> byRoom = new HashMap<>();
    clients.forEach(c -> byRoom.computeIfAbsent(c.room.roomId(), r -> new ArrayList<>()).add(c));
    long messages = 0;
    long deliveries = 0;
    for (Ledger.Sent sent : ledger.sent.values()) {
      if (sent.seq < 0) {
        continue;
      }
      long missing = byRoom.get(sent.roomId).stream().filter(c -> !c.shows(sent.seq)).count();
      deliveries += missing;
      messages += missing > 0 ? 1 : 0;
    }
    return new long[] {messages, deliveries};
  }

  private static Result result(String scenario, List<ReconnectingClient> clients, Ledger ledger, long heldBack,
      long loadEnd, double faultSeconds, Map<String, String> seen, Map<String, Boolean> promises, ReadTableCheck table,
      KafkaTopicCheck topic, List<NodeHealth> health) {
    LatencyRecorder pauses = new LatencyRecorder();
    Map<String, Integer> longPausesEndedAt = new TreeMap<>();
    long redelivered = 0;
    long outOfOrder = 0;
    long reconnects = 0;
    long stuck = 0;
    long unanswered = 0;
    for (ReconnectingClient c : clients) {
      synchronized (c) {
        ReconnectingClient.Counts n = c.counts;
        // A client silent since before the load ended has not recovered: its pause lasts to the end.
        long silentAtEnd = loadEnd - c.lastNews();
        if (silentAtEnd > 2_000_000_000L) {
          stuck++;
        }
        pauses.record(Math.max(n.longestPauseNanos, silentAtEnd));
        if (n.longestPauseNanos > LONG_PAUSE_NANOS) {
          longPausesEndedAt.merge(n.longestPauseEnded.truncatedTo(ChronoUnit.SECONDS).toString(), 1, Integer::sum);
        }
        redelivered += n.redelivered;
        outOfOrder += n.outOfOrder;
        reconnects += n.reconnects;
      }
      unanswered += c.unanswered();
    }
    long[] lost = lostDeliveries(clients, ledger);
    return new Result(scenario, ledger.sent.size(), heldBack, ledger.acked.get(), unanswered, ledger.refusalsByCode(),
        ledger.retried.get(), lost[0], lost[1], ledger.shownTwice(), redelivered, outOfOrder,
        ledger.seqConflicts.get(), ledger.ackConflicts.get(), reconnects, stuck, pauses.summary(), longPausesEndedAt, faultSeconds, seen,
        promises, table, topic, health);
  }

  private static void log(String line) {
    System.out.println("faults: " + line);
  }
}
