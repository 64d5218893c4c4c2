package chat.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A minimal RFC 6455 client WebSocket ({@code ws://} only; no TLS, extensions or compression) on a
 * plain socket, with one reader thread that hands each complete text message to {@code onText} in
 * arrival order. Deliberately small: the bench shares the machine's two cores with the node it
 * measures, and a general client's cost per frame took over a core at 20,000 deliveries/s.
 */
public final class LeanWebSocket implements Closeable {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int HANDSHAKE_TIMEOUT_MS = 30_000;
  private static final int MAX_MESSAGE_BYTES = 64 << 20;
  private static final int CONTINUATION = 0x0;
  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final AtomicInteger READERS = new AtomicInteger();
  private static final SecureRandom KEYS = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Consumer<String> onText;
  private final Runnable onClosed;
  private final ReentrantLock writing = new ReentrantLock();
  private boolean closeSent; // guarded by writing

  private LeanWebSocket(Socket socket, DataInputStream in, OutputStream out, Consumer<String> onText,
      Runnable onClosed) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.onText = onText;
    this.onClosed = onClosed;
  }

  /** Connects and upgrades; throws unless the server switched protocols with the right accept key. */
  public static LeanWebSocket open(String url, Consumer<String> onText) throws IOException {
    return open(url, onText, () -> { });
  }

  /** As above; {@code onClosed} runs once on the reader thread when the connection is over, whichever side ended it. */
  public static LeanWebSocket open(String url, Consumer<String> onText, Runnable onClosed) throws IOException {
    URI uri = URI.create(url);
    if (!"ws".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("only ws:// URLs: " + url);
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16384));
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      byte[] nonce = new byte[16];
      KEYS.nextBytes(nonce);
      String key = Base64.getEncoder().encodeToString(nonce);
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
          + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      readUpgrade(in, key);
      socket.setSoTimeout(0); // a member may wait long for its next frame
      LeanWebSocket ws = new LeanWebSocket(socket, in, out, onText, onClosed);
      Thread reader = new Thread(ws::readFrames, "ws-reader-" + READERS.incrementAndGet());
      reader.setDaemon(true);
      reader.start();
      return ws;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static void readUpgrade(DataInputStream in, String key) throws IOException {
    String statusLine = HttpConnection.readLine(in);
    String[] parts = statusLine.split(" ", 3);
    boolean switched = parts.length >= 2 && parts[0].startsWith("HTTP/1.") && parts[1].equals("101");
    String accept = null;
    for (String line = HttpConnection.readLine(in); !line.isEmpty(); line = HttpConnection.readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("sec-websocket-accept")) {
        accept = line.substring(colon + 1).trim();
      }
    }
    if (!switched) {
      throw new IOException("upgrade refused: " + statusLine);
    }
    if (!acceptFor(key).equals(accept)) {
      throw new IOException("wrong Sec-WebSocket-Accept: " + accept);
    }
  }

  static String acceptFor(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The reader thread: until the server closes or the socket fails. */
  private void readFrames() {
    ByteArrayOutputStream fragments = new ByteArrayOutputStream();
    boolean textFragments = false;
    try {
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        boolean fin = (first & 0x80) != 0;
        int opcode = first & 0x0F;
        long length = second & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        if (length < 0 || length > MAX_MESSAGE_BYTES) {
          throw new IOException("frame of " + length + " bytes");
        }
        byte[] mask = null;
        if ((second & 0x80) != 0) { // servers do not mask, but tolerate it
          mask = new byte[4];
          in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (mask != null) {
          applyMask(payload, mask);
        }
        switch (opcode) {
          case TEXT -> {
            if (fin) {
              onText.accept(new String(payload, StandardCharsets.UTF_8));
            } else {
              fragments.reset();
              fragments.write(payload);
              textFragments = true;
            }
          }
          case CONTINUATION -> {
            if (textFragments) {
              if (fragments.size() + payload.length > MAX_MESSAGE_BYTES) {
                throw new IOException("message over " + MAX_MESSAGE_BYTES + " bytes");
              }
              fragments.write(payload);
              if (fin) {
                textFragments = false;
                onText.accept(fragments.toString(StandardCharsets.UTF_8));
                fragments.reset();
              }
            }
          }
          case BINARY -> textFragments = false; // ignored, with its continuations
          case PING -> sendFrame(0xA, payload);
          case CLOSE -> {
            sendFrame(CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
            return;
          }
          default -> { } // pong
        }
      }
    } catch (IOException | RuntimeException e) {
      // closed by either side, or broken: the connection is over
    } finally {
      closeSocket();
      onClosed.run();
    }
  }

  /** Sends one text frame; any thread may. False if the connection is closed or the write failed. */
  public boolean send(String text) {
    return sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes one masked frame. The mask only has to keep intermediaries from reading the payload as
   * plain bytes; a fast random source is enough for that here.
   */
  private boolean sendFrame(int opcode, byte[] payload) {
    writing.lock();
    try {
      return writeFrame(opcode, payload);
    } finally {
      writing.unlock();
    }
  }

  private boolean writeFrame(int opcode, byte[] payload) {
    if (closeSent) {
      return false;
    }
    if (opcode == CLOSE) {
      closeSent = true;
    }
    try {
      byte[] header = new byte[14];
      int n = 0;
      header[n++] = (byte) (0x80 | opcode);
      if (payload.length < 126) {
        header[n++] = (byte) (0x80 | payload.length);
      } else if (payload.length <= 0xFFFF) {
        header[n++] = (byte) (0x80 | 126);
        header[n++] = (byte) (payload.length >>> 8);
        header[n++] = (byte) payload.length;
      } else {
        header[n++] = (byte) (0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          header[n++] = (byte) ((long) payload.length >>> shift);
        }
      }
      int key = ThreadLocalRandom.current().nextInt();
      byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
      System.arraycopy(mask, 0, header, n, 4);
      n += 4;
      applyMask(payload, mask);
      out.write(header, 0, n);
      out.write(payload);
      out.flush();
      return true;
    } catch (IOException e) {
      closeSent = true;
      closeSocket();
      return false;
    }
  }

  private static void applyMask(byte[] payload, byte[] mask) {
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
  }

  /**
   * Sends a close frame (best effort: not if another thread's write is stuck) and closes the
   * socket, which also ends the reader thread.
   */
  @Override
  public void close() {
    try {
      if (writing.tryLock(1, TimeUnit.SECONDS)) {
        try {
          writeFrame(CLOSE, new byte[] {0x03, (byte) 0xE8}); // 1000: normal closure
        } finally {
          writing.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeSocket();
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
