package chat.edge.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * bcrypt password hashing. Every method is CPU-bound and slow by design: call it on a blocking
 * dispatcher, never on the default one.
 *
 * <p>bcrypt only reads the first 72 bytes of its input, and passwords may be up to 128
 * characters (up to 512 UTF-8 bytes). Rather than rejecting long passwords, each password is
 * first reduced to base64(SHA-256(utf8(password))): 44 ASCII bytes that depend on every
 * character, contain no NUL byte (which some bcrypt implementations treat as a terminator) and
 * always fit bcrypt's limit. Stored hashes are therefore only comparable through this class.
 */
public final class PasswordHasher {

    public static final int DEFAULT_COST = 10;

    private final int cost;
    /** A real hash at our cost, so that checking an unknown user costs as much as a known one. */
    private final byte[] dummyHash;

    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    public PasswordHasher(int cost) {
        if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
            throw new IllegalArgumentException(
                    "bcrypt cost must be in " + BCrypt.MIN_COST + ".." + BCrypt.MAX_COST + ", got " + cost);
        }
        this.cost = cost;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.dummyHash = BCrypt.withDefaults().hash(cost, prehash(Base64.getEncoder().encodeToString(random)));
    }

    public int cost() {
        return cost;
    }

    /** A salted bcrypt hash in the usual {@code $2a$<cost>$...} text form. */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        return new String(BCrypt.withDefaults().hash(cost, prehash(password)), StandardCharsets.US_ASCII);
    }

    /** Whether the password matches the stored hash; false (never an exception) for a malformed hash. */
    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        return verify(password, hash.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Spends the same time as {@link #matches} and always returns false. Login calls this when
     * the user does not exist, so response time does not tell whether a userId is registered.
     */
    public boolean matchesNothing(String password) {
        verify(password == null ? "" : password, dummyHash);
        return false;
    }

    private static boolean verify(String password, byte[] hash) {
        try {
            return BCrypt.verifyer().verify(prehash(password), hash).verified;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
