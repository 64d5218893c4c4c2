package chat.cluster.user;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The input rules for users, as the API contract states them. Lengths count Unicode code points. */
public final class UserValidation {

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  // Local part of the common unquoted form, then a dotted domain of letters, digits and hyphens.
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  static final int MAX_EMAIL = 254;
  static final int MAX_NAME = 64;
  static final int MAX_STATUS = 140;

  private UserValidation() {}

  public static Optional<FieldError> registration(
      String userId, String password, String name, String email) {
    return firstOf(
        () -> present("userId", userId),
        () -> present("password", password),
        () -> present("name", name),
        () -> present("email", email),
        () -> userId(userId),
        () -> password(password),
        () -> name(name),
        () -> email(email));
  }

  /** A profile change: absent fields stay as they are. */
  public static Optional<FieldError> profileChange(String name, String statusMessage) {
    return firstOf(
        () -> name == null ? Optional.empty() : name(name),
        () -> statusMessage == null ? Optional.empty() : statusMessage(statusMessage));
  }

  public static Optional<FieldError> userId(String userId) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      return fail("userId", "userId must be 3 to 32 characters of letters, digits, '_', '.' or '-'");
    }
    return Optional.empty();
  }

  static Optional<FieldError> password(String password) {
    int length = password.codePointCount(0, password.length());
    if (length < 8 || length > 128) {
      return fail("password", "password must be 8 to 128 characters");
    }
    return FieldError.unlessWellFormed("password", password);
  }

  static Optional<FieldError> name(String name) {
    String trimmed = name.strip();
    int length = trimmed.codePointCount(0, trimmed.length());
    if (length < 1 || length > MAX_NAME) {
      return fail("name", "name must be 1 to " + MAX_NAME + " characters");
    }
    if (hasControlCharacter(trimmed)) {
      return fail("name", "name must not contain control characters");
    }
    return FieldError.unlessWellFormed("name", trimmed);
  }

  static Optional<FieldError> statusMessage(String statusMessage) {
    String trimmed = statusMessage.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_STATUS) {
      return fail("statusMessage", "statusMessage must be at most " + MAX_STATUS + " characters");
    }
    if (hasControlCharacter(trimmed)) {
      return fail("statusMessage", "statusMessage must not contain control characters");
    }
    return FieldError.unlessWellFormed("statusMessage", trimmed);
  }

  static Optional<FieldError> email(String email) {
    if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
      return fail("email", "email must be a valid address such as name@example.com");
    }
    return Optional.empty();
  }

  private static Optional<FieldError> present(String field, String value) {
    if (value == null || value.isBlank()) {
      return fail(field, field + " is required");
    }
    return Optional.empty();
  }

  private static boolean hasControlCharacter(String text) {
    return text.codePoints().anyMatch(Character::isISOControl);
  }

  /** Runs the checks in order and stops at the first failure, so later checks may assume earlier ones. */
  @SafeVarargs
  private static Optional<FieldError> firstOf(Supplier<Optional<FieldError>>... checks) {
    for (Supplier<Optional<FieldError>> check : checks) {
      Optional<FieldError> error = check.get();
      if (error.isPresent()) {
        return error;
      }
    }
    return Optional.empty();
  }

  private static Optional<FieldError> fail(String field, String message) {
    return Optional.of(new FieldError(field, message));
  }
}
