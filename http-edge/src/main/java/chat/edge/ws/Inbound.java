package chat.edge.ws;

import org.apache.pekko.util.ByteString;

/** What a client's WebSocket frames amount to, once reassembled and checked. */
sealed interface Inbound {

  /** A whole text message. */
  record Text(String text) implements Inbound {}

  record Ping(ByteString payload) implements Inbound {}

  /** Any frame from the client: it is still there. */
  record Pong() implements Inbound {}

  /** The client closes; {@code code} is echoed as the protocol asks. */
  record Close(int code) implements Inbound {}

  /** The client broke a rule: close with {@code code}. */
  record Violation(int code, String reason) implements Inbound {}
}
