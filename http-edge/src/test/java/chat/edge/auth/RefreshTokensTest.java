package chat.edge.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefreshTokensTest {

    private final RefreshTokens tokens = new RefreshTokens();

    @Test
    void tokenHasDocumentedFormat() {
        String token = tokens.newToken("alice").token();
        String[] parts = token.split("\\.", -1);
        assertEquals(2, parts.length);
        assertEquals("alice", new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        assertEquals(32, Base64.getUrlDecoder().decode(parts[1]).length);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}"), token);
    }

    @Test
    void userIdRoundTrips() {
        for (String id : new String[] {"alice", "a.b-c_d", "x", "ABCdef_123.-", "\u00e9l\u00e8ve"}) {
            assertEquals(Optional.of(id), RefreshTokens.userIdOf(tokens.newToken(id).token()), id);
        }
    }

    @Test
    void issuedHashIsSha256HexOfTheToken() {
        RefreshTokens.Issued issued = tokens.newToken("alice");
        assertEquals(RefreshTokens.hash(issued.token()), issued.hash());
        assertTrue(issued.hash().matches("[0-9a-f]{64}"), issued.hash());
        // Known vector: SHA-256("abc").
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RefreshTokens.hash("abc"));
    }

    @Test
    void everyTokenIsDifferent() {
        RefreshTokens.Issued a = tokens.newToken("alice");
        RefreshTokens.Issued b = tokens.newToken("alice");
        assertNotEquals(a.token(), b.token());
        assertNotEquals(a.hash(), b.hash());
    }

    @Test
    void toStringDoesNotRevealTheToken() {
        RefreshTokens.Issued issued = tokens.newToken("alice");
        String secretPart = issued.token().substring(issued.token().indexOf('.') + 1);
        assertFalse(issued.toString().contains(secretPart));
    }

    @Test
    void malformedTokensYieldNoUser() {
        String good = tokens.newToken("alice").token();
        String id = good.substring(0, good.indexOf('.'));
        String secret = good.substring(good.indexOf('.') + 1);
        String[] bad = {
            null, "", ".", "..", "alice", id, id + ".", "." + secret, id + "." + secret + ".x",
            id + "." + secret.substring(1), id + "." + secret + "A", id + "=." + secret,
            id + "." + secret.substring(0, 42) + "=", "YWxp+2U." + secret, "YWxp/2U." + secret,
            id + " ." + secret, "\u00e9." + secret, "_w." + secret, // _w decodes to 0xFF: not UTF-8
            "A." + secret // a single base64 character cannot decode
        };
        for (String b : bad) {
            assertEquals(Optional.empty(), RefreshTokens.userIdOf(b), () -> "parsed: " + b);
        }
        assertEquals(Optional.of("alice"), RefreshTokens.userIdOf(good));
    }

    @Test
    void tamperingChangesTheHash() {
        String good = tokens.newToken("alice").token();
        String other = good.substring(0, good.length() - 2) + (good.charAt(good.length() - 2) == 'A' ? 'B' : 'A')
                + good.charAt(good.length() - 1);
        assertEquals(RefreshTokens.userIdOf(good), RefreshTokens.userIdOf(other));
        assertNotEquals(RefreshTokens.hash(good), RefreshTokens.hash(other));
    }

    @Test
    void emptyUserIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> tokens.newToken(""));
        assertThrows(IllegalArgumentException.class, () -> tokens.newToken(null));
    }
}
