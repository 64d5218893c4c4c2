package chat.edge.ws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames a session has handed to its connection's outgoing stream that the stream has not yet
 * taken towards the socket. The session adds; the stream, on its own thread, takes away. A replay
 * of history reads it so as to go no faster than the client reads.
 */
final class OutboundBacklog {

  private final AtomicLong pending = new AtomicLong();

  void handed() {
    pending.incrementAndGet();
  }

  void taken() {
    pending.decrementAndGet();
  }

  long pending() {
    return pending.get();
  }
}
