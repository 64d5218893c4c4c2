package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench's own WebSocket client against a Pekko HTTP WebSocket server, and a scripted socket. */
class LeanWebSocketTest {

  /** Over 65,535 bytes (a 64-bit length), with two-byte characters in it. */
  private static final String BIG = "0123456789abcdéf".repeat(5_000);
  /** Between 126 and 65,535 bytes: a 16-bit length. */
  private static final String MEDIUM = "m".repeat(200);

  private static ActorSystem system;
  private static int port;

  /** Echoes text; a few words ask for something else. Completes its side (a close frame) on "bye". */
  private static final class TestServer extends AllDirectives {
    private final Materializer materializer;

    TestServer(Materializer materializer) {
      this.materializer = materializer;
    }

    Route route() {
      return concat(
          path("plain", () -> complete("OK")),
          path("ws", () -> parameter("access_token", token -> handleWebSocketMessages(connection(token)))));
    }

    private Flow<Message, Message, NotUsed> connection(String token) {
      return Flow.<Message>create()
          .mapAsync(1, message -> message.asTextMessage().toStrict(5_000, materializer))
          .map(TextMessage::getStrictText)
          .takeWhile(text -> !text.equals("bye"))
          .mapConcat(text -> switch (text) {
            case "big" -> List.of(TextMessage.create(BIG), TextMessage.create(MEDIUM));
            case "token" -> List.of(TextMessage.create("token=" + token));
            case "parts" -> List.of(TextMessage.create(Source.from(List.of("par", "ts-", "é✓"))));
            case "binary" -> List.of(BinaryMessage.create(ByteString.fromString("ignored")),
                TextMessage.create("after-binary"));
            default -> List.of(TextMessage.create(text));
          });
    }
  }

  @BeforeAll
  static void startServer() {
    system = ActorSystem.create("lean-ws-test");
    TestServer server = new TestServer(Materializer.matFromSystem(system));
    port = Http.get(system).newServerAt("127.0.0.1", 0).bind(server.route()).toCompletableFuture().join()
        .localAddress().getPort();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** What one connection received, and the thread it was delivered on. */
  private static final class Received {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final AtomicReference<Thread> reader = new AtomicReference<>();

    void accept(String text) {
      reader.set(Thread.currentThread());
      texts.add(text);
    }

    String next() throws InterruptedException {
      String text = texts.poll(10, TimeUnit.SECONDS);
      assertNotNull(text, "no message within 10 s");
      return text;
    }
  }

  private static String url(String pathAndQuery) {
    return "ws://127.0.0.1:" + port + pathAndQuery;
  }

  @Test
  void echoesInOrderAndSendsTheQueryString() throws Exception {
    Received received = new Received();
    try (LeanWebSocket ws = LeanWebSocket.open(url("/ws?access_token=abc123"), received::accept)) {
      List<String> sent = List.of("token", "one", "two", "é✓", "three", "{\"type\":\"send\"}");
      for (String text : sent) {
        assertTrue(ws.send(text), "sent " + text);
      }
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        answers.add(received.next());
      }
      assertEquals(List.of("token=abc123", "one", "two", "é✓", "three", "{\"type\":\"send\"}"), answers);
      assertTrue(received.reader.get().getName().startsWith("ws-reader-"), received.reader.get().getName());
    }
  }

  @Test
  void readsLongAndFragmentedMessagesAndSkipsBinary() throws Exception {
    Received received = new Received();
    try (LeanWebSocket ws = LeanWebSocket.open(url("/ws?access_token=t"), received::accept)) {
      assertTrue(ws.send("big"));
      String big = received.next();
      assertTrue(big.getBytes(StandardCharsets.UTF_8).length > 65_535);
      assertEquals(BIG, big);
      assertEquals(MEDIUM, received.next());

      assertTrue(ws.send("parts"));
      assertEquals("parts-é✓", received.next());
      assertTrue(ws.send("binary"));
      assertEquals("after-binary", received.next());
      assertTrue(ws.send("last"));
      assertEquals("last", received.next());
    }
  }

  @Test
  void closingEndsTheReaderAndLaterSendsFail() throws Exception {
    Received received = new Received();
    LeanWebSocket ws = LeanWebSocket.open(url("/ws?access_token=t"), received::accept);
    assertTrue(ws.send("hello"));
    assertEquals("hello", received.next());
    ws.close();
    ws.close();
    assertFalse(ws.send("after close"));
    Thread reader = received.reader.get();
    reader.join(10_000);
    assertFalse(reader.isAlive(), "reader thread ended");
  }

  @Test
  void aCloseFromTheServerIsAnsweredAndEndsTheReader() throws Exception {
    Received received = new Received();
    try (LeanWebSocket ws = LeanWebSocket.open(url("/ws?access_token=t"), received::accept)) {
      assertTrue(ws.send("hello"));
      assertEquals("hello", received.next());
      assertTrue(ws.send("bye"));
      Thread reader = received.reader.get();
      reader.join(10_000);
      assertFalse(reader.isAlive(), "reader thread ended on the server's close");
      assertFalse(ws.send("after the server closed"));
    }
  }

  @Test
  void refusesWhatIsNotAWebSocket() {
    IOException notFound = assertThrows(IOException.class,
        () -> LeanWebSocket.open(url("/nowhere?access_token=t"), text -> { }));
    assertTrue(notFound.getMessage().contains("404"), notFound.getMessage());
    IOException plain = assertThrows(IOException.class, () -> LeanWebSocket.open(url("/plain"), text -> { }));
    assertTrue(plain.getMessage().contains("200"), plain.getMessage());
  }

  @Test
  void sendsAProperUpgradeAnswersPingsWithMaskedPongsAndChecksTheAcceptKey() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      String base = "ws://127.0.0.1:" + server.getLocalPort();

      CompletableFuture<List<String>> script = CompletableFuture.supplyAsync(() -> {
        try (Socket socket = server.accept()) {
          DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
          OutputStream out = socket.getOutputStream();
          List<String> request = readHead(in);
          String key = header(request, "sec-websocket-key");
          out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + LeanWebSocket.acceptFor(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] e = "é".getBytes(StandardCharsets.UTF_8);
          out.write(new byte[] {
              0x02, 3, 'b', 'i', 'n', (byte) 0x80, 3, 'a', 'r', 'y', // binary in two fragments: skipped
              0x01, 1, 'o', // text in three fragments, a ping between them
              (byte) 0x89, 2, 'h', 'i',
              0x00, 2, 'k', '-',
              (byte) 0x80, 2, e[0], e[1]});
          out.flush();
          List<String> seen = new ArrayList<>(request);
          seen.add(frame(in));
          seen.add(frame(in));
          return seen;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      Received received = new Received();
      try (LeanWebSocket ws = LeanWebSocket.open(base + "/raw?access_token=a%2Bb", received::accept)) {
        assertEquals("ok-é", received.next());
        assertTrue(ws.send("é"));
        List<String> seen = script.get(10, TimeUnit.SECONDS);
        assertEquals("GET /raw?access_token=a%2Bb HTTP/1.1", seen.get(0));
        assertEquals("127.0.0.1:" + server.getLocalPort(), header(seen, "host"));
        assertEquals("websocket", header(seen, "upgrade").toLowerCase(Locale.ROOT));
        assertEquals("upgrade", header(seen, "connection").toLowerCase(Locale.ROOT));
        assertEquals("13", header(seen, "sec-websocket-version"));
        assertEquals(16, Base64.getDecoder().decode(header(seen, "sec-websocket-key")).length);
        assertEquals("fin masked opcode=10 hi", seen.get(seen.size() - 2), "the pong");
        assertEquals("fin masked opcode=1 é", seen.get(seen.size() - 1), "the text frame");
      }

      CompletableFuture<Void> wrongAccept = CompletableFuture.runAsync(() -> {
        try (Socket socket = server.accept()) {
          readHead(new DataInputStream(new BufferedInputStream(socket.getInputStream())));
          socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
              + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + LeanWebSocket.acceptFor("another key")
              + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          socket.getInputStream().read(); // until the client gives up
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      IOException refused = assertThrows(IOException.class, () -> LeanWebSocket.open(base + "/raw", text -> { }));
      assertTrue(refused.getMessage().contains("Sec-WebSocket-Accept"), refused.getMessage());
      wrongAccept.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void acceptKeyIsTheOneFromTheRfc() {
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", LeanWebSocket.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        if (line.isEmpty()) {
          return lines;
        }
        lines.add(line.toString());
        line.setLength(0);
      } else if (b != '\r') {
        line.append((char) b);
      }
    }
    throw new IOException("closed before the end of the head");
  }

  private static String header(List<String> head, String name) {
    return head.stream().skip(1)
        .filter(l -> l.substring(0, l.indexOf(':')).trim().equalsIgnoreCase(name))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst().orElse(null);
  }

  /** One small client frame, described: "fin masked opcode=N payload". */
  private static String frame(DataInputStream in) throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    int length = second & 0x7F;
    byte[] mask = new byte[4];
    if ((second & 0x80) != 0) {
      in.readFully(mask);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    for (int i = 0; i < length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return ((first & 0x80) != 0 ? "fin " : "") + ((second & 0x80) != 0 ? "masked " : "") + "opcode=" + (first & 0x0F)
        + " " + new String(payload, StandardCharsets.UTF_8);
  }
}
