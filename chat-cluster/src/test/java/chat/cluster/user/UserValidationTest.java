package chat.cluster.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserValidationTest {

  private static Optional<String> fieldOf(String userId, String password, String name, String email) {
    return UserValidation.registration(userId, password, name, email).map(FieldError::field);
  }

  @Test
  void acceptsAValidRegistration() {
    assertTrue(fieldOf("alice_1.x-y", "correct horse", " Alice ", "alice@example.com").isEmpty());
  }

  @Test
  void namesTheFirstMissingOrBlankField() {
    assertEquals(Optional.of("userId"), fieldOf(null, "password1", "A", "a@b.co"));
    assertEquals(Optional.of("password"), fieldOf("alice", "   ", "A", "a@b.co"));
    assertEquals(Optional.of("name"), fieldOf("alice", "password1", "", "a@b.co"));
    assertEquals(Optional.of("email"), fieldOf("alice", "password1", "A", null));
  }

  @Test
  void checksUserIdLengthAndCharacters() {
    assertEquals(Optional.of("userId"), fieldOf("ab", "password1", "A", "a@b.co"));
    assertTrue(fieldOf("abc", "password1", "A", "a@b.co").isEmpty());
    assertTrue(fieldOf("a".repeat(32), "password1", "A", "a@b.co").isEmpty());
    assertEquals(Optional.of("userId"), fieldOf("a".repeat(33), "password1", "A", "a@b.co"));
    assertEquals(Optional.of("userId"), fieldOf("al ice", "password1", "A", "a@b.co"));
    assertEquals(Optional.of("userId"), fieldOf("alice!", "password1", "A", "a@b.co"));
    assertEquals(Optional.of("userId"), fieldOf("alicé", "password1", "A", "a@b.co"));
  }

  @Test
  void checksPasswordLengthInCharacters() {
    assertEquals(Optional.of("password"), fieldOf("alice", "1234567", "A", "a@b.co"));
    assertTrue(fieldOf("alice", "12345678", "A", "a@b.co").isEmpty());
    assertTrue(fieldOf("alice", "p".repeat(128), "A", "a@b.co").isEmpty());
    assertEquals(Optional.of("password"), fieldOf("alice", "p".repeat(129), "A", "a@b.co"));
    // 8 characters outside the basic plane count as 8, not 16.
    assertTrue(fieldOf("alice", "😀".repeat(8), "A", "a@b.co").isEmpty());
  }

  @Test
  void checksNameAfterTrimming() {
    assertTrue(fieldOf("alice", "password1", "x".repeat(64), "a@b.co").isEmpty());
    assertTrue(fieldOf("alice", "password1", "  " + "x".repeat(64) + "  ", "a@b.co").isEmpty());
    assertEquals(Optional.of("name"), fieldOf("alice", "password1", "x".repeat(65), "a@b.co"));
    assertEquals(Optional.of("name"), fieldOf("alice", "password1", "a\u0000b", "a@b.co"));
  }

  @Test
  void refusesTextThatCannotBeWrittenAsUtf8() {
    assertEquals(Optional.of("name"), fieldOf("alice", "password1", "Al\ud800ice", "a@b.co"));
    assertEquals(Optional.of("password"), fieldOf("alice", "password\udc00", "A", "a@b.co"));
    assertEquals(Optional.of("statusMessage"),
        UserValidation.profileChange(null, "away \ud83d").map(FieldError::field));
    assertTrue(UserValidation.profileChange("\ud83d\ude00", "\ud83d\ude00 away").isEmpty(), "a pair is fine");
  }

  @Test
  void checksEmailSyntax() {
    assertTrue(fieldOf("alice", "password1", "A", "first.last+tag@mail.example.org").isEmpty());
    for (String bad :
        new String[] {"alice", "alice@", "@example.com", "a b@example.com", "alice@example", "a@@b.co",
            "alice@exa mple.com", "alice@-example.com", "alice@example.com "}) {
      assertEquals(Optional.of("email"), fieldOf("alice", "password1", "A", bad), bad);
    }
  }

  @Test
  void profileChangeChecksOnlyWhatIsGiven() {
    assertTrue(UserValidation.profileChange(null, null).isEmpty());
    assertTrue(UserValidation.profileChange("Bob", "").isEmpty());
    assertEquals("name", UserValidation.profileChange("  ", null).orElseThrow().field());
    assertEquals("statusMessage", UserValidation.profileChange(null, "s".repeat(141)).orElseThrow().field());
    assertTrue(UserValidation.profileChange(null, "s".repeat(140)).isEmpty());
  }
}
