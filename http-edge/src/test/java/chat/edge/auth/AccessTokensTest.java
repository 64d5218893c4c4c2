package chat.edge.auth;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTokensTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AccessTokens tokens = new AccessTokens(SECRET, AccessTokens.DEFAULT_TTL, clock);

    @Test
    void issuedTokenVerifiesToItsUser() {
        String token = tokens.issue("alice");
        assertEquals(3, token.split("\\.").length);
        assertEquals(Optional.of("alice"), tokens.verify(token));
        assertEquals(Optional.of("bob"), tokens.verify(tokens.issue("bob")));
    }

    @Test
    void tokenCarriesExpectedClaims() {
        String payload = decode(tokens.issue("alice").split("\\.")[1]);
        long iat = T0.getEpochSecond();
        assertTrue(payload.contains("\"sub\":\"alice\""), payload);
        assertTrue(payload.contains("\"iss\":\"chat\""), payload);
        assertTrue(payload.contains("\"iat\":" + iat), payload);
        assertTrue(payload.contains("\"exp\":" + (iat + 900)), payload);
        assertTrue(decode(tokens.issue("alice").split("\\.")[0]).contains("\"HS256\""));
    }

    @Test
    void defaultTtlIsFifteenMinutes() {
        assertEquals(900, new AccessTokens(SECRET).ttlSeconds());
        assertEquals(60, new AccessTokens(SECRET, Duration.ofMinutes(1), clock).ttlSeconds());
    }

    @Test
    void tokenExpiresAfterTtl() {
        String token = tokens.issue("alice");
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertEquals(Optional.of("alice"), tokens.verify(token));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), tokens.verify(token));
        clock.advance(Duration.ofDays(1));
        assertEquals(Optional.empty(), tokens.verify(token));
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String forged = new AccessTokens(OTHER_SECRET, AccessTokens.DEFAULT_TTL, clock).issue("alice");
        assertEquals(Optional.empty(), tokens.verify(forged));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String[] parts = tokens.issue("alice").split("\\.");
        String payload = decode(parts[1]).replace("\"alice\"", "\"admin\"");
        assertNotEquals(decode(parts[1]), payload);
        String tampered = parts[0] + "." + encode(payload) + "." + parts[2];
        assertEquals(Optional.empty(), tokens.verify(tampered));
    }

    @Test
    void tamperedSignatureIsRejected() {
        String token = tokens.issue("alice");
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertEquals(Optional.empty(), tokens.verify(tampered));
    }

    @Test
    void aVerifiedTokenVouchesForNoAlteredCopy() {
        String token = tokens.issue("alice");
        assertEquals(Optional.of("alice"), tokens.verify(token));
        String[] parts = token.split("\\.");
        String otherUser = parts[0] + "." + encode(decode(parts[1]).replace("\"alice\"", "\"admin\"")) + "." + parts[2];
        assertEquals(Optional.empty(), tokens.verify(otherUser));
        assertEquals(Optional.empty(), tokens.verify(token + "x"));
        assertEquals(Optional.of("alice"), tokens.verify(" " + token + " "));
    }

    @Test
    void tokensStillVerifyOnceMoreThanCanBeRememberedWereSeen() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i <= AccessTokens.MAX_REMEMBERED; i++) {
            issued.add(tokens.issue("user-" + i));
        }
        for (int i = 0; i < issued.size(); i++) {
            assertEquals(Optional.of("user-" + i), tokens.verify(issued.get(i)));
        }
        assertEquals(Optional.of("user-0"), tokens.verify(issued.get(0)));
        clock.advance(AccessTokens.DEFAULT_TTL);
        assertEquals(Optional.empty(), tokens.verify(issued.get(issued.size() - 1)));
    }

    @Test
    void handBuiltHs256TokenIsAcceptedSoTheRejectionsBelowAreMeaningful() {
        String token = handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", validClaims("alice"), SECRET);
        assertEquals(Optional.of("alice"), tokens.verify(token));
    }

    @Test
    void unsignedAlgNoneTokenIsRejected() {
        String body = encode(validClaims("alice"));
        assertEquals(Optional.empty(), tokens.verify(encode("{\"alg\":\"none\"}") + "." + body + "."));
        assertEquals(Optional.empty(), tokens.verify(encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + body + "."));
        assertEquals(Optional.empty(), tokens.verify(encode("{\"alg\":\"NONE\"}") + "." + body + "."));
        // alg none but with a genuine HS256 signature attached must not pass either.
        String realSig = tokens.issue("alice").split("\\.")[2];
        assertEquals(Optional.empty(), tokens.verify(encode("{\"alg\":\"none\"}") + "." + body + "." + realSig));
    }

    @Test
    void otherHmacAlgorithmsAreRejectedEvenWithTheRightKey() {
        byte[] longSecret = new byte[64];
        for (int i = 0; i < longSecret.length; i++) longSecret[i] = (byte) (i * 7 + 1);
        AccessTokens strong = new AccessTokens(longSecret, AccessTokens.DEFAULT_TTL, clock);
        String claims = validClaims("alice");
        assertEquals(Optional.of("alice"),
                strong.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", claims, longSecret)));
        assertEquals(Optional.empty(),
                strong.verify(handSigned("HmacSHA512", "{\"alg\":\"HS512\"}", claims, longSecret)));
        assertEquals(Optional.empty(),
                strong.verify(handSigned("HmacSHA384", "{\"alg\":\"HS384\"}", claims, longSecret)));
        // Header claims RS256 but carries an HMAC: the classic key-confusion shape.
        assertEquals(Optional.empty(),
                strong.verify(handSigned("HmacSHA256", "{\"alg\":\"RS256\"}", claims, longSecret)));
    }

    @Test
    void missingSubjectIsRejected() {
        long now = T0.getEpochSecond();
        String claims = "{\"iss\":\"chat\",\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", claims, SECRET)));
        String blankSub = "{\"sub\":\" \",\"iss\":\"chat\",\"exp\":" + (now + 60) + "}";
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", blankSub, SECRET)));
    }

    @Test
    void wrongOrMissingIssuerIsRejected() {
        long now = T0.getEpochSecond();
        String wrong = "{\"sub\":\"alice\",\"iss\":\"evil\",\"exp\":" + (now + 60) + "}";
        String missing = "{\"sub\":\"alice\",\"exp\":" + (now + 60) + "}";
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", wrong, SECRET)));
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", missing, SECRET)));
    }

    @Test
    void tokenWithoutExpiryIsRejected() {
        String claims = "{\"sub\":\"alice\",\"iss\":\"chat\",\"iat\":" + T0.getEpochSecond() + "}";
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", "{\"alg\":\"HS256\"}", claims, SECRET)));
    }

    @Test
    void onlyTheExactSpellingOfATokenVerifies() {
        String token = tokens.issue("alice");
        String[] parts = token.split("\\.");
        assertEquals(Optional.of("alice"), tokens.verify(token));
        assertEquals(Optional.empty(), tokens.verify(token + "="));
        assertEquals(Optional.empty(), tokens.verify(token + "=="));
        assertEquals(Optional.empty(), tokens.verify(parts[0] + "=." + parts[1] + "." + parts[2]));
        assertEquals(Optional.empty(), tokens.verify(token + "."));
        // An HS256 signature is 32 bytes: 43 characters whose last carries 2 unused bits.
        String signature = parts[2];
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String respelled = parts[0] + "." + parts[1] + "." + signature.substring(0, signature.length() - 1) + sameBytes;
        assertEquals(decode(signature), decode(respelled.split("\\.")[2]), "the same signature bytes");
        assertEquals(Optional.empty(), tokens.verify(respelled));
    }

    @Test
    void tokensIssuedInTheFutureOrNotValidYetAreRejected() {
        long now = T0.getEpochSecond();
        String header = "{\"alg\":\"HS256\"}";
        String issuedSoon = "{\"sub\":\"alice\",\"iss\":\"chat\",\"iat\":" + (now + 20) + ",\"exp\":" + (now + 600) + "}";
        String issuedLater = "{\"sub\":\"alice\",\"iss\":\"chat\",\"iat\":" + (now + 3600) + ",\"exp\":" + (now + 7200) + "}";
        String notYet = "{\"sub\":\"alice\",\"iss\":\"chat\",\"nbf\":" + (now + 3600) + ",\"exp\":" + (now + 7200) + "}";
        assertEquals(Optional.of("alice"), tokens.verify(handSigned("HmacSHA256", header, issuedSoon, SECRET)),
                "another node's clock a few seconds ahead");
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", header, issuedLater, SECRET)));
        assertEquals(Optional.empty(), tokens.verify(handSigned("HmacSHA256", header, notYet, SECRET)));
    }

    @Test
    void garbageIsRejectedWithoutThrowing() {
        String valid = tokens.issue("alice");
        String[] garbage = {
            null, "", " ", "abc", "a.b", "a.b.c", "a.b.c.d", "..", "...", "Bearer " + valid,
            valid + ".extra", valid.substring(0, valid.lastIndexOf('.')), "%%%.%%%.%%%",
            encode("{}") + "." + encode("{}") + ".", encode("not json") + "." + encode("nope") + ".sig",
            "\u00e9\u00e8.\u4e2d\u6587.\ud83d\ude00", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"
        };
        for (String g : garbage) {
            assertEquals(Optional.empty(), tokens.verify(g), () -> "accepted: " + g);
        }
    }

    @Test
    void shortSecretIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AccessTokens(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new AccessTokens(new byte[0]));
        new AccessTokens(new byte[32]); // exactly the minimum is fine
    }

    @Test
    void nonPositiveTtlIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AccessTokens(SECRET, Duration.ZERO, Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class,
                () -> new AccessTokens(SECRET, Duration.ofSeconds(-5), Clock.systemUTC()));
    }

    private static String validClaims(String sub) {
        long now = T0.getEpochSecond();
        return "{\"sub\":\"" + sub + "\",\"iss\":\"chat\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}";
    }

    private static String handSigned(String macAlg, String header, String claims, byte[] key) {
        String input = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance(macAlg);
            mac.init(new SecretKeySpec(key, macAlg));
            byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
