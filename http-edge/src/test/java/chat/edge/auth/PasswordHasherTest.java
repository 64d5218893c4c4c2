package chat.edge.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(4); // low cost keeps tests fast

    @Test
    void hashMatchesItsPasswordOnly() {
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("$2a$04$"), hash);
        assertTrue(hasher.matches("correct horse battery", hash));
        assertFalse(hasher.matches("correct horse batterY", hash));
        assertFalse(hasher.matches("", hash));
    }

    @Test
    void hashIsSaltedAndNeverThePassword() {
        String a = hasher.hash("password123");
        String b = hasher.hash("password123");
        assertNotEquals(a, b);
        assertFalse(a.contains("password123"));
        assertTrue(hasher.matches("password123", a));
        assertTrue(hasher.matches("password123", b));
    }

    @Test
    void charactersBeyondByte72StillCount() {
        String prefix = "p".repeat(80);
        String one = prefix + "A".repeat(20);
        String other = prefix + "B".repeat(20);
        assertEquals(100, one.length());
        String hash = hasher.hash(one);
        assertTrue(hasher.matches(one, hash));
        assertFalse(hasher.matches(other, hash));
        // Last of 128 characters differs.
        String max = "x".repeat(127) + "1";
        assertFalse(hasher.matches("x".repeat(127) + "2", hasher.hash(max)));
        assertTrue(hasher.matches(max, hasher.hash(max)));
    }

    @Test
    void multiByteCharactersRoundTrip() {
        String pw = "\u00e9t\u00e9-\u4e2d\u6587-\ud83d\ude00".repeat(10); // well over 72 UTF-8 bytes
        String hash = hasher.hash(pw);
        assertTrue(hasher.matches(pw, hash));
        assertFalse(hasher.matches(pw.substring(0, pw.length() - 2), hash));
    }

    @Test
    void matchesNothingIsAlwaysFalse() {
        assertFalse(hasher.matchesNothing("anything at all"));
        assertFalse(hasher.matchesNothing(""));
        assertFalse(hasher.matchesNothing(null));
    }

    @Test
    void malformedInputNeverThrows() {
        assertFalse(hasher.matches("pw", "not a bcrypt hash"));
        assertFalse(hasher.matches("pw", ""));
        assertFalse(hasher.matches("pw", "$2a$04$tooShort"));
        assertFalse(hasher.matches(null, hasher.hash("pw")));
        assertFalse(hasher.matches("pw", null));
    }

    @Test
    void hashFromAnotherCostStillVerifies() {
        String hash = new PasswordHasher(5).hash("secret-pass");
        assertTrue(hash.startsWith("$2a$05$"));
        assertTrue(hasher.matches("secret-pass", hash));
    }

    @Test
    void costOutsideBcryptRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(3));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(32));
        assertEquals(PasswordHasher.DEFAULT_COST, 10);
    }
}
