package chat.cluster;

/**
 * Whether a string can be stored and sent on. JSON's {@code \ud800} escape yields a Java string
 * with a lone surrogate, which no UTF-8 encoder (the journal's CBOR, the WebSocket's text frames)
 * can write: such text must be refused where it comes in, not fail where it goes out.
 */
public final class UnicodeText {

  private UnicodeText() {}

  /** True when every surrogate in {@code text} is half of a pair, in order. */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
