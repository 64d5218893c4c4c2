package chat.bench;

import chat.bench.LatencyRecorder.Latencies;
import chat.bench.Provisioning.Room;
import chat.bench.Provisioning.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of messages through {@code POST /api/rooms/{id}/messages} from concurrent
 * clients, each its own user sending into its own room one request after the other over a
 * keep-alive connection.
 */
public final class RestBurst {

  public record Result(long sent, long created, long failed, double seconds, double messagesPerSecond, Latencies latency) {}

  private RestBurst() {
  }

  /**
   * The first {@code clients} users of the rooms send {@code messages} in all; clientMsgIds start
   * with {@code idPrefix}, so that a second run sends new messages rather than retries.
   */
  public static Result run(String baseUrl, List<Room> rooms, int clients, int messages, int textSize, String idPrefix)
      throws Exception {
    List<Sender> senders = new ArrayList<>();
    for (Room room : rooms) {
      for (User user : room.members()) {
        if (senders.size() < clients) {
          senders.add(new Sender(user, room.roomId()));
        }
      }
    }
    if (senders.size() < clients) {
      throw new IllegalArgumentException(clients + " REST clients need as many users; there are " + senders.size());
    }
    String body = "\",\"text\":\"" + "x".repeat(textSize) + "\"}";
    LatencyRecorder latency = new LatencyRecorder();
    AtomicLong created = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Sender sender = senders.get(c);
        int share = messages / clients + (c < messages % clients ? 1 : 0);
        int client = c;
        running.add(pool.submit(() -> {
          try (HttpConnection connection = new HttpConnection(baseUrl)) {
            for (int i = 0; i < share; i++) {
              long sentAt = System.nanoTime();
              HttpConnection.Response response = connection.post("/api/rooms/" + sender.roomId() + "/messages",
                  sender.user().accessToken(), "{\"clientMsgId\":\"" + idPrefix + client + "-" + i + body);
              latency.record(System.nanoTime() - sentAt);
              (response.status() == 201 ? created : failed).incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(messages, created.get(), failed.get(), seconds, created.get() / seconds, latency.summary());
    } finally {
      pool.shutdownNow();
    }
  }

  private record Sender(User user, String roomId) {}
}
