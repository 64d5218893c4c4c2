package chat.edge.ws;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import scala.Option;

/**
 * WebSocket frames to and from {@link Inbound}/{@link Outbound}. Pekko HTTP's public WebSocket API
 * cannot close a connection with a chosen status code, and the contract needs 1009, 1003 and
 * 1012; its frame-level handler can, at the price of doing here what the message API would:
 * unmasking, reassembling fragments, the size limit, UTF-8 checks and control frames. This class
 * is the only one that touches those internal types.
 *
 * <p>A decoder holds one connection's parsing state: use one per connection, from one stream stage.
 */
final class FrameCodec {

  private static final byte CONTINUATION = 0;
  private static final byte TEXT = 1;
  private static final byte BINARY = 2;
  private static final byte CLOSE = 8;
  private static final byte PING = 9;
  private static final byte PONG = 10;
  private static final int MAX_CONTROL_PAYLOAD = 125;

  private final int maxMessageBytes;

  // The frame being read.
  private byte opcode;
  private boolean fin;
  private int maskKey;
  private long maskOffset;
  private final ByteStringBuilder control = new ByteStringBuilder();
  // The text message being assembled from one or more frames.
  private boolean inMessage;
  private final ByteStringBuilder message = new ByteStringBuilder();
  private boolean broken;

  FrameCodec(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Feeds one frame event; returns what it completed. After a violation, nothing more. */
  List<Inbound> decode(FrameEvent event) {
    if (broken) {
      return List.of();
    }
    List<Inbound> out = new ArrayList<>(1);
    if (event instanceof FrameStart start) {
      Inbound refused = startFrame(start.header());
      if (refused != null) {
        return fail(refused);
      }
    }
    Inbound refused = append(unmask(event.data()));
    if (refused != null) {
      return fail(refused);
    }
    if (event.lastPart()) {
      Inbound completed = endFrame();
      if (completed instanceof Inbound.Violation) {
        return fail(completed);
      }
      if (completed != null) {
        out.add(completed);
      }
    }
    return out;
  }

  private Inbound startFrame(FrameHeader header) {
    opcode = header.opcode().code();
    fin = header.fin();
    maskOffset = 0;
    Option<Object> mask = header.mask();
    if (mask.isEmpty()) {
      return new Inbound.Violation(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
    }
    maskKey = (Integer) mask.get();
    switch (opcode) {
      case TEXT -> {
        if (inMessage) {
          return new Inbound.Violation(CloseCodes.PROTOCOL_ERROR, "a new message started inside another");
        }
        inMessage = true;
      }
      case CONTINUATION -> {
        if (!inMessage) {
          return new Inbound.Violation(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
        }
      }
      case BINARY -> {
        return new Inbound.Violation(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported");
      }
      case CLOSE, PING, PONG -> {
        if (!fin || header.length() > MAX_CONTROL_PAYLOAD) {
          return new Inbound.Violation(CloseCodes.PROTOCOL_ERROR, "invalid control frame");
        }
        control.clear();
      }
      default -> {
        return new Inbound.Violation(CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
      }
    }
    if (isDataFrame() && message.length() + header.length() > maxMessageBytes) {
      return tooBig();
    }
    return null;
  }

  private Inbound append(ByteString data) {
    if (isDataFrame()) {
      if (message.length() + data.length() > maxMessageBytes) {
        return tooBig();
      }
      message.append(data);
    } else {
      control.append(data);
    }
    return null;
  }

  private Inbound endFrame() {
    switch (opcode) {
      case PING:
        return new Inbound.Ping(control.result());
      case PONG:
        return new Inbound.Pong();
      case CLOSE:
        ByteString payload = control.result();
        int code = payload.length() >= 2 ? ((payload.apply(0) & 0xFF) << 8) | (payload.apply(1) & 0xFF) : CloseCodes.NORMAL;
        return new Inbound.Close(code);
      default:
        if (!fin) {
          return null;
        }
        inMessage = false;
        ByteString bytes = message.result();
        message.clear();
        try {
          String text = StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes.asByteBuffer())
              .toString();
          return new Inbound.Text(text);
        } catch (CharacterCodingException e) {
          return new Inbound.Violation(CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8");
        }
    }
  }

  private boolean isDataFrame() {
    return opcode == TEXT || opcode == CONTINUATION;
  }

  private Inbound tooBig() {
    return new Inbound.Violation(CloseCodes.MESSAGE_TOO_BIG, "messages are limited to " + maxMessageBytes + " bytes");
  }

  private List<Inbound> fail(Inbound violation) {
    broken = true;
    return List.of(violation);
  }

  /** Client-to-server payloads are XOR-masked with a 4-byte key that runs on across parts. */
  private ByteString unmask(ByteString data) {
    if (data.isEmpty()) {
      return data;
    }
    byte[] bytes = data.toArray();
    for (int i = 0; i < bytes.length; i++) {
      int shift = 24 - 8 * (int) ((maskOffset + i) & 3);
      bytes[i] ^= (byte) (maskKey >>> shift);
    }
    maskOffset += bytes.length;
    return ByteString.fromArrayUnsafe(bytes);
  }

  static FrameEvent encode(Outbound outbound) {
    if (outbound instanceof Outbound.Text text) {
      return frame(TEXT, text.utf8());
    } else if (outbound instanceof Outbound.Ping ping) {
      return frame(PING, ping.payload());
    } else if (outbound instanceof Outbound.Pong pong) {
      return frame(PONG, pong.payload());
    }
    Outbound.Close close = (Outbound.Close) outbound;
    return FrameEvent.closeFrame(close.code(), close.reason(), Option.empty());
  }

  private static FrameEvent frame(byte code, ByteString payload) {
    return FrameEvent.fullFrame(Protocol.Opcode$.MODULE$.forCode(code), Option.empty(), payload, true, false, false, false);
  }


}
