package chat.bench;

import chat.bench.NodeProcess.Database;
import chat.bench.Provisioning.Population;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Normal chat load on one node with its per-client limits on, measured quietly and then while
 * attackers do what once hurt other users: lone-surrogate posts into a shared room, connections
 * that never finish their request head (from 127.0.0.2), subscribes to random room ids, replays
 * of a long history, and password guessing (from 127.0.0.3). Reports how each attack was
 * answered, the normal users' figures in both phases, and the node's heap.
 */
public final class HostileRun {

  /** Where the attacks that limits count per address come from: not the normal users' address. */
  static final String SLOW_HEADS_ADDRESS = "127.0.0.2";
  static final String GUESSER_ADDRESS = "127.0.0.3";
  /** The node's chat.limits.sends-per-second. */
  private static final int SEND_BUDGET_PER_SECOND = 50;
  /** The node's chat.http.request-head-timeout. */
  private static final int HEAD_TIMEOUT_SECONDS = 10;
  private static final String LONE_SURROGATE = "\\ud800";

  /** {@code warmUpAttacks}: the attacks also run once, uncounted, during the unmeasured warm-up. */
  public record Settings(int users, int roomSize, WsFanout.Settings load, int poisonPerSecond,
      int slowConnections, int randomSubscribes, int randomSends, int historyMessages, int replays, int guesses,
      boolean warmUpAttacks) {}

  /**
   * {@code answers}: per attack, how many of its requests got each answer (an error code, a status,
   * "closed at once", "message"). Heap figures in bytes.
   */
  public record Result(WsFanout.Result quiet, WsFanout.Result attacked, Map<String, Map<String, Long>> answers,
      long heapBeforeBytes, long heapPeakQuietBytes, long heapPeakAttackedBytes, long heapAfterBytes) {}

  private final Settings settings;
  private final Map<String, Map<String, Long>> answers = new ConcurrentHashMap<>();

  private HostileRun(Settings settings) {
    this.settings = settings;
  }

  public static Result run(Settings settings, Path nodeJar, List<String> jvmFlags, Database db, Path log)
      throws Exception {
    return new HostileRun(settings).run(nodeJar, jvmFlags, db, log);
  }

  private Result run(Path nodeJar, List<String> jvmFlags, Database db, Path log) throws Exception {
    try (NodeProcess node = NodeProcess.startWithLimits(nodeJar, jvmFlags, db, log)) {
      RestClient api = new RestClient(node.baseUrl());
      int roomSize = settings.roomSize();
      // One more room than the load uses: its history is what the replay attack asks for.
      Population p = Provisioning.create(api, settings.users() + roomSize, roomSize, "hostile");
      List<Room> loadRooms = p.rooms().subList(0, settings.users() / roomSize);
      Room historyRoom = p.rooms().get(p.rooms().size() - 1);
      RestBurst.run(node.baseUrl(), List.of(historyRoom), roomSize, settings.historyMessages(), 4000, "h");
      String wsBase = node.baseUrl().replaceFirst("^http", "ws") + "/ws?access_token=";

      ExecutorService attackers = Executors.newCachedThreadPool();
      try {
        // Unmeasured: the first load on a fresh node mostly measures its JIT compiler; so does the
        // first attack, which is why it may run here too (and then is not counted).
        AtomicBoolean warmingUp = new AtomicBoolean(true);
        List<Future<?>> warmUpAttacks = settings.warmUpAttacks()
            ? attack(attackers, node.baseUrl(), wsBase, p, loadRooms, historyRoom, warmingUp)
            : List.of();
        new WsFanout(settings.load(), loadRooms, u -> wsBase + u.accessToken(), "w").run();
        warmingUp.set(false);
        for (Future<?> attack : warmUpAttacks) {
          attack.get(2, TimeUnit.MINUTES);
        }
        answers.clear();
        long heapBefore = NodeMemory.afterGc(api, node.pid()).heapUsedBytes();

        AtomicBoolean quietly = new AtomicBoolean(true);
        AtomicLong quietPeak = new AtomicLong();
        Future<?> quietSampler = attackers.submit(() -> sampleHeap(api, quietPeak, quietly));
        WsFanout.Result quiet = new WsFanout(settings.load(), loadRooms, u -> wsBase + u.accessToken(), "q").run();
        quietly.set(false);
        quietSampler.get(1, TimeUnit.MINUTES);

        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicLong heapPeak = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        running.add(attackers.submit(() -> sampleHeap(api, heapPeak, attacking)));
        // The attacks begin with the measured window, not with the phase's connects and warm-up.
        WsFanout.Result attacked = new WsFanout(settings.load(), loadRooms, u -> wsBase + u.accessToken(), "a")
            .run(() -> running.addAll(attack(attackers, node.baseUrl(), wsBase, p, loadRooms, historyRoom, attacking)));
        attacking.set(false);
        for (Future<?> attack : running) {
          attack.get(2, TimeUnit.MINUTES);
        }
        long heapAfter = NodeMemory.afterGc(api, node.pid()).heapUsedBytes();
        return new Result(quiet, attacked, Map.copyOf(answers), heapBefore, quietPeak.get(), heapPeak.get(), heapAfter);
      } finally {
        attackers.shutdownNow();
      }
    }
  }

  /** Starts every attack; the poison runs while {@code attacking}, the others until they are done. */
  private List<Future<?>> attack(ExecutorService attackers, String baseUrl, String wsBase, Population p,
      List<Room> loadRooms, Room historyRoom, AtomicBoolean attacking) {
    int roomSize = settings.roomSize();
    User poisoner = loadRooms.get(0).members().get(0);
    return List.of(
        attackers.submit(() -> poison(wsBase + poisoner.accessToken(), loadRooms.get(0).roomId(), attacking)),
        attackers.submit(() -> slowHeads(baseUrl)),
        attackers.submit(() -> randomIds("random-subscribes", wsBase + p.users().get(roomSize).accessToken(),
            settings.randomSubscribes(), 0, roomId -> "{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\"}")),
        // A user of no load room, at the pace its send budget refills: every send wakes a room.
        attackers.submit(() -> randomIds("random-sends", wsBase + historyRoom.members().get(2).accessToken(),
            settings.randomSends(), SEND_BUDGET_PER_SECOND, roomId -> "{\"type\":\"send\",\"roomId\":\"" + roomId
                + "\",\"clientMsgId\":\"" + roomId + "\",\"text\":\"hi\"}")),
        attackers.submit(() -> replays(wsBase + historyRoom.members().get(1).accessToken(), historyRoom.roomId())),
        attackers.submit(() -> guesses(baseUrl, loadRooms.get(0).members().get(1).userId())));
  }

  private void count(String attack, String answer) {
    answers.computeIfAbsent(attack, a -> new ConcurrentHashMap<>()).merge(answer, 1L, Long::sum);
  }

  /** A room member's second connection posts text with a lone surrogate, at a steady rate. */
  private Void poison(String url, String roomId, AtomicBoolean attacking) throws Exception {
    if (settings.poisonPerSecond() <= 0) {
      return null;
    }
    try (LeanWebSocket ws = LeanWebSocket.open(url, text -> {
      String answer = answerOf(text);
      // Presence and room notices come to this connection too: only answers to the sends count.
      if (!answer.equals("presence") && !answer.equals("room") && !answer.equals("typing")) {
        count("poison", answer);
      }
    })) {
      long interval = 1_000_000_000L / settings.poisonPerSecond();
      for (int i = 0; attacking.get(); i++) {
        ws.send("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"p" + i + "\",\"text\":\"x"
            + LONE_SURROGATE + "\"}");
        TimeUnit.NANOSECONDS.sleep(interval);
      }
      TimeUnit.SECONDS.sleep(1);
    }
    return null;
  }

  private record SlowHead(Socket socket, long openedNanos) {}

  /**
   * Connections that send half a request head and wait, each watched until the node closes it or
   * well past the head timeout. One closed before the head timeout could have cut it was refused
   * on arrival (however busy the node was when it got to it); one closed later was held, then cut.
   */
  private Void slowHeads(String baseUrl) throws Exception {
    URI uri = URI.create(baseUrl);
    List<SlowHead> open = new ArrayList<>();
    try {
      for (int i = 0; i < settings.slowConnections(); i++) {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(SLOW_HEADS_ADDRESS), 0));
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.getOutputStream().write("GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII));
        open.add(new SlowHead(socket, System.nanoTime()));
      }
      long refusedBefore = TimeUnit.SECONDS.toNanos(HEAD_TIMEOUT_SECONDS - 1);
      long watchFor = TimeUnit.SECONDS.toNanos(HEAD_TIMEOUT_SECONDS + 5);
      while (!open.isEmpty()) {
        for (Iterator<SlowHead> it = open.iterator(); it.hasNext(); ) {
          SlowHead head = it.next();
          long age = System.nanoTime() - head.openedNanos();
          if (closedWithin(head.socket(), 1)) {
            if (age < refusedBefore) {
              count("slow-heads", "refused on arrival");
            } else {
              count("slow-heads", "held");
              count("slow-heads", "held, then cut at the head timeout");
            }
            head.socket().close();
            it.remove();
          } else if (age > watchFor) {
            count("slow-heads", "held");
            count("slow-heads", "still held after it");
            head.socket().close();
            it.remove();
          }
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    } finally {
      for (SlowHead head : open) {
        head.socket().close();
      }
    }
    return null;
  }

  /**
   * Sends {@code count} frames, each naming a random room id, {@code perSecond} a second (0: as
   * fast as the connection takes them).
   */
  private Void randomIds(String attack, String url, int count, int perSecond, Function<String, String> frameFor)
      throws Exception {
    AtomicLong answered = new AtomicLong();
    try (LeanWebSocket ws = LeanWebSocket.open(url, text -> {
      count(attack, answerOf(text));
      answered.incrementAndGet();
    })) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (perSecond > 0) {
          TimeUnit.NANOSECONDS.sleep(start + i * 1_000_000_000L / perSecond - System.nanoTime());
        }
        ws.send(frameFor.apply(UUID.randomUUID().toString()));
      }
      awaitCount(answered, count);
    }
    return null;
  }

  /** Connections that each ask for the long room's whole history at once, and read it all. */
  private Void replays(String url, String roomId) throws Exception {
    AtomicLong messages = new AtomicLong();
    List<LeanWebSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < settings.replays(); i++) {
        LeanWebSocket ws = LeanWebSocket.open(url, text -> {
          String answer = answerOf(text);
          if (answer.equals("message")) {
            messages.incrementAndGet();
          } else {
            count("replays", answer);
          }
        });
        sockets.add(ws);
        ws.send("{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\",\"afterSeq\":0}");
      }
      awaitCount(messages, (long) settings.replays() * settings.historyMessages());
      answers.computeIfAbsent("replays", a -> new ConcurrentHashMap<>()).put("message", messages.get());
    } finally {
      sockets.forEach(LeanWebSocket::close);
    }
    return null;
  }

  /** Wrong passwords for a real user, from an address of their own. */
  private Void guesses(String baseUrl, String victim) throws Exception {
    URI uri = URI.create(baseUrl);
    for (int i = 0; i < settings.guesses(); i++) {
      String body = "{\"userId\":\"" + victim + "\",\"password\":\"guess-" + i + "-wrong\"}";
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(GUESSER_ADDRESS), 0));
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        count("guesses", head.length() == 12 ? head.substring(9, 12) : "no answer");
      }
    }
    return null;
  }

  private Void sampleHeap(RestClient api, AtomicLong peak, AtomicBoolean attacking) throws Exception {
    while (attacking.get()) {
      for (String line : api.get("/metrics").body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          long used = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          peak.accumulateAndGet(used, Math::max);
        }
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    return null;
  }

  /** A frame's type, or an error frame's code. */
  private static String answerOf(String text) {
    try {
      JsonNode frame = RestClient.MAPPER.readTree(text);
      String type = frame.path("type").asText();
      return type.equals("error") ? frame.path("code").asText() : type;
    } catch (IOException e) {
      return "not JSON";
    }
  }

  private static boolean closedWithin(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static void awaitCount(AtomicLong counter, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (counter.get() < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
