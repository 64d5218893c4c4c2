package chat.bench;

/**
 * Reads single fields out of the server's compact JSON frames without building a tree: the
 * client shares two cores with the node, so decoding must stay cheap. Only for the bench's own
 * data (ids and texts without quotes or escapes).
 */
public final class Frames {

  private Frames() {
  }

  /** The value of a string field, or null. */
  public static String text(String frame, String field) {
    int start = valueStart(frame, field);
    if (start < 0 || start >= frame.length() || frame.charAt(start) != '"') {
      return null;
    }
    int end = frame.indexOf('"', start + 1);
    return end < 0 ? null : frame.substring(start + 1, end);
  }

  /** The value of a non-negative integer field, or -1. */
  public static long number(String frame, String field) {
    int i = valueStart(frame, field);
    if (i < 0) {
      return -1;
    }
    long value = 0;
    int digits = 0;
    for (; i < frame.length() && Character.isDigit(frame.charAt(i)); i++, digits++) {
      value = value * 10 + (frame.charAt(i) - '0');
    }
    return digits == 0 ? -1 : value;
  }

  private static int valueStart(String frame, String field) {
    String key = "\"" + field + "\"";
    int at = frame.indexOf(key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    while (i < frame.length() && (frame.charAt(i) == ':' || Character.isWhitespace(frame.charAt(i)))) {
      i++;
    }
    return i;
  }
}
