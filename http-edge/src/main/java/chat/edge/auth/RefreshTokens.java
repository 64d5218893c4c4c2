package chat.edge.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Opaque refresh tokens: {@code base64url(userId) "." base64url(32 random bytes)}, no padding.
 * The userId prefix only routes the lookup to the right user; the random part is the secret.
 * Only {@link #hash} of a token is ever stored, so a leaked table cannot be replayed. Never log
 * a token.
 */
public final class RefreshTokens {

    /** A freshly minted token and the SHA-256 hash (lowercase hex) to store for it. */
    public record Issued(String token, String hash) {
        @Override
        public String toString() {
            return "Issued[token=<redacted>, hash=" + hash + "]"; // keep the token out of logs
        }
    }

    static final int RANDOM_BYTES = 32;
    /** base64url without padding of 32 bytes. */
    private static final int RANDOM_CHARS = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random;

    public RefreshTokens() {
        this(new SecureRandom());
    }

    public RefreshTokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public Issued newToken(String userId) {
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("userId must not be empty");
        }
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        String token = ENCODER.encodeToString(userId.getBytes(StandardCharsets.UTF_8))
                + "." + ENCODER.encodeToString(secret);
        return new Issued(token, hash(token));
    }

    /** The userId a well-formed token names; empty for anything malformed. Does not prove validity. */
    public static Optional<String> userIdOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String idPart = token.substring(0, dot);
        String secretPart = token.substring(dot + 1);
        if (secretPart.length() != RANDOM_CHARS || !isBase64Url(idPart) || !isBase64Url(secretPart)) {
            return Optional.empty();
        }
        try {
            if (DECODER.decode(secretPart).length != RANDOM_BYTES) {
                return Optional.empty();
            }
            byte[] id = DECODER.decode(idPart);
            // Strict decoding: bytes that are not valid UTF-8 mean the token was not made by us.
            String userId = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(id))
                    .toString();
            return userId.isEmpty() ? Optional.empty() : Optional.of(userId);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the token's UTF-8 bytes, lowercase hex: the only form a token is stored in. */
    public static String hash(String token) {
        Objects.requireNonNull(token, "token");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Only the unpadded URL-safe alphabet; the JDK decoder alone would also accept '='. */
    private static boolean isBase64Url(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
