package chat.edge.ws;

import org.apache.pekko.util.ByteString;

/** What a session sends down its connection. */
sealed interface Outbound {

  /** A text frame; the same instance may go to many connections. */
  record Text(ByteString utf8) implements Outbound {
    static Text of(String json) {
      return new Text(ByteString.fromString(json));
    }
  }

  record Ping(ByteString payload) implements Outbound {}

  record Pong(ByteString payload) implements Outbound {}

  /** The last frame of a connection. */
  record Close(int code, String reason) implements Outbound {}

  /** Not a frame: ends the outgoing stream once what was sent before it is out. */
  record Complete() implements Outbound {}
}
