package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The bench's own HTTP/1.1 client against a scripted server socket. */
class HttpConnectionTest {

  /** Answers each request on a connection with the next scripted answer; records what it read. */
  private static final class ScriptedServer implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<Integer> connections = new CopyOnWriteArrayList<>();
    private final Thread thread;

    ScriptedServer(List<String> answers) throws Exception {
      thread = new Thread(() -> serve(new ArrayList<>(answers)));
      thread.start();
    }

    private void serve(List<String> answers) {
      int connection = 0;
      while (!answers.isEmpty()) {
        connection++;
        try (Socket socket = server.accept()) {
          InputStream in = new BufferedInputStream(socket.getInputStream());
          OutputStream out = socket.getOutputStream();
          while (!answers.isEmpty()) {
            StringBuilder request = new StringBuilder();
            int length = 0;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
              request.append(line).append('\n');
              if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
              }
            }
            requests.add(request.append(new String(in.readNBytes(length), StandardCharsets.UTF_8)).toString());
            connections.add(connection);
            String answer = answers.remove(0);
            out.write(answer.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (answer.contains("Connection: close")) {
              break;
            }
          }
        } catch (Exception e) {
          return;
        }
      }
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("closed");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5000);
    }
  }

  @Test
  void readsLengthAndChunkedBodiesOnOneConnectionAndReconnectsAfterClose() throws Exception {
    try (ScriptedServer server = new ScriptedServer(List.of(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"a\":1}\n",
        "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"b\"\r\n3;x=y\r\n:2}\r\n0\r\n\r\n",
        "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"));
         HttpConnection connection = new HttpConnection(server.baseUrl())) {
      assertEquals(new HttpConnection.Response(201, "{\"a\":1}\n"), connection.post("/one", "t1", "{\"x\":\"é\"}"));
      assertEquals(new HttpConnection.Response(503, "{\"b\":2}"), connection.post("/two", "t1", "{}"));
      assertEquals(new HttpConnection.Response(413, "{}"), connection.post("/three", "t1", "{}"));
      assertEquals(new HttpConnection.Response(201, "ok"), connection.post("/four", "t2", "{}"));

      assertEquals(List.of(1, 1, 1, 2), server.connections, "one connection until the server closed it");
      String first = server.requests.get(0);
      assertTrue(first.startsWith("POST /one HTTP/1.1\n"), first);
      assertTrue(first.contains("Authorization: Bearer t1\n"), first);
      assertTrue(first.contains("Content-Length: 10\n"), "the length in bytes: " + first);
      assertTrue(first.endsWith("{\"x\":\"é\"}"), first);
    }
  }
}
