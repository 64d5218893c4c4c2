package chat.edge.ws;

/** The WebSocket close codes this server uses (RFC 6455, section 7.4.1). */
final class CloseCodes {
  static final int NORMAL = 1000;
  static final int PROTOCOL_ERROR = 1002;
  static final int UNSUPPORTED_DATA = 1003;
  static final int INVALID_PAYLOAD = 1007;
  static final int POLICY_VIOLATION = 1008;
  static final int MESSAGE_TOO_BIG = 1009;
  static final int SERVICE_RESTART = 1012;

  private CloseCodes() {}
}
