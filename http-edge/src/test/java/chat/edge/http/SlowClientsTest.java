package chat.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.OwnNode;
import chat.edge.RawHttp;
import chat.edge.WsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that open connections and trickle half a request head (slowloris), from 127.0.0.2,
 * while a normal client on 127.0.0.1 goes on being served.
 */
class SlowClientsTest {

  private static final int PER_ADDRESS = 20;

  @RegisterExtension
  static final OwnNode node = new OwnNode(Map.of(
        "chat.http.request-head-timeout", "2 s",
        "chat.http.max-connections-per-address", PER_ADDRESS,
        "chat.limits.login-failures-per-address.burst", 5));

  /** A connection from 127.0.0.2 that sends the start of a request head and no more. */
  private static Socket slowClient() throws IOException {
    URI uri = URI.create(node.baseUrl());
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    socket.getOutputStream().write("GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Whether the server closed the socket within {@code millis}, whatever it said before. */
  private static boolean closedWithin(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      byte[] said = socket.getInputStream().readAllBytes();
      assertEquals("", new String(said, StandardCharsets.ISO_8859_1), "nothing is answered to a head never finished");
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void slowClientsAreCutOffAndOthersKeepBeingServed() throws Exception {
    String token = node.api().newUser(ApiClient.uniqueId("slow")).accessToken();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * PER_ADDRESS; i++) {
        slow.add(slowClient());
      }
      // While they hold their connections, a client on another address is served.
      for (int i = 0; i < 20; i++) {
        assertEquals(200, node.api().me(token).status());
      }
      int refusedAtOnce = 0;
      for (Socket socket : slow.subList(PER_ADDRESS, slow.size())) {
        if (closedWithin(socket, 500)) {
          refusedAtOnce++;
        }
      }
      assertEquals(2 * PER_ADDRESS, refusedAtOnce, "connections over the limit per address are closed at once");
      for (Socket socket : slow.subList(0, PER_ADDRESS)) {
        assertTrue(closedWithin(socket, 10_000), "a head that never ends is cut off");
      }
      // Their connections are counted no more: the address may connect again.
      Socket again = slowClient();
      slow.add(again);
      assertTrue(!closedWithin(again, 500), "the address is under its limit again");
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  private static int wrongPasswordFrom(String address, String userId) throws IOException {
    String body = ApiClient.json("userId", userId, "password", "not-the-password").toString();
    return RawHttp.exchange(node.baseUrl(), "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, address).status();
  }

  /** The limits per address see each connection's own peer (no proxy here). */
  @Test
  void eachPeerAddressHasItsOwnLimits() throws Exception {
    String userId = ApiClient.uniqueId("peer");
    node.api().registered(userId);
    int status = 401;
    for (int i = 0; i < 30 && status == 401; i++) {
      status = wrongPasswordFrom("127.0.0.4", userId);
    }
    assertEquals(429, status, "failed logins from 127.0.0.4 are throttled");
    assertEquals(401, wrongPasswordFrom("127.0.0.5", userId), "127.0.0.5 has a budget of its own");
  }

  @Test
  void aWebSocketOutlivesTheHeadTimeout() throws Exception {
    String token = node.api().newUser(ApiClient.uniqueId("slow")).accessToken();
    try (WsClient ws = WsClient.connect(node.baseUrl(), token)) {
      Thread.sleep(3_000);
      ws.send(ApiClient.json("type", "ping"));
      assertEquals("pong", ws.next("pong").get("type").asText());
    }
  }

  @Test
  void upgradedWebSocketsDoNotCountAgainstTheLimitPerAddress() throws Exception {
    String token = node.api().newUser(ApiClient.uniqueId("slow")).accessToken();
    List<WsClient> sockets = new ArrayList<>();
    try {
      // More WebSockets from 127.0.0.1 than the address may hold HTTP connections: all stay open.
      for (int i = 0; i < PER_ADDRESS + 5; i++) {
        sockets.add(WsClient.connect(node.baseUrl(), token));
      }
      for (WsClient ws : sockets) {
        ws.send(ApiClient.json("type", "ping"));
        assertEquals("pong", ws.next("pong").get("type").asText());
      }
      assertEquals(200, node.api().me(token).status(), "and plain requests still come through");
    } finally {
      sockets.forEach(WsClient::close);
    }
  }

  /**
   * Clients of a lost node reconnect at once: past the listen backlog the kernel drops their SYNs,
   * and each waits a 1 s retransmission. For a listening socket, {@code ss} shows the backlog as Send-Q.
   */
  @Test
  void listensWithABacklogForAReconnectingCrowd() throws Exception {
    int port = URI.create(node.baseUrl()).getPort();
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
    String listening = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, ss.waitFor(), listening);
    int backlog = Integer.parseInt(listening.split("\\s+")[2]);
    int kernelCap = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
    assertEquals(Math.min(4096, kernelCap), backlog, listening);
  }
}
