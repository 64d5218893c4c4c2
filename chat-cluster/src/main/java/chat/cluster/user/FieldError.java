package chat.cluster.user;

import chat.cluster.UnicodeText;
import java.util.Optional;

/** A refused input: which field was at fault and why, in words for a person. */
public record FieldError(String field, String message) {

  /** Text that cannot be written as UTF-8 (a lone surrogate) is refused, never stored. */
  public static Optional<FieldError> unlessWellFormed(String field, String text) {
    if (UnicodeText.isWellFormed(text)) {
      return Optional.empty();
    }
    return Optional.of(new FieldError(field, field + " must be valid Unicode text (it has an unpaired surrogate)"));
  }
}
