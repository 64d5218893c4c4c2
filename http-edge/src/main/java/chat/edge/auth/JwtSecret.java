package chat.edge.auth;

import chat.cluster.db.DatabaseSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The HMAC key for access tokens. Every node of a cluster must use the same key, so with a shared
 * Postgres database it has to be configured; a single embedded node may generate its own and keep
 * it in the data directory so tokens survive a restart. The key's value is never put in a message.
 */
public final class JwtSecret {

    public static final String ENV = "CHAT_JWT_SECRET";
    public static final String FILE_NAME = "jwt-secret";
    static final int GENERATED_BYTES = 48;

    /** Where the key came from; safe to log. */
    public enum Source { CONFIGURED, FILE_EXISTING, FILE_GENERATED }

    private final byte[] key;
    private final Source source;

    private JwtSecret(byte[] key, Source source) {
        this.key = key;
        this.source = source;
    }

    public byte[] key() {
        return Arrays.copyOf(key, key.length);
    }

    public Source source() {
        return source;
    }

    @Override
    public String toString() {
        return "JwtSecret[" + source + ", " + key.length + " bytes]";
    }

    /**
     * @param configured the value of {@value #ENV}; null or blank means not configured
     * @param embedded   true for the embedded H2 database, false for Postgres
     * @param dataDir    the node's data directory, where an embedded node keeps a generated key
     * @throws IllegalStateException when the configuration cannot yield a usable key
     */
    public static JwtSecret resolve(String configured, boolean embedded, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < AccessTokens.MIN_SECRET_BYTES) {
                throw new IllegalStateException(ENV + " is too short: it must be at least "
                        + AccessTokens.MIN_SECRET_BYTES + " bytes (UTF-8), it has " + bytes.length);
            }
            return new JwtSecret(bytes, Source.CONFIGURED);
        }
        if (!embedded) {
            // Nodes sharing a database must share the key too; a generated one would differ per node.
            throw new IllegalStateException(ENV + " is required when CHAT_DB_URL is set (Postgres): "
                    + "set it to the same value of at least " + AccessTokens.MIN_SECRET_BYTES
                    + " bytes on every node");
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return new JwtSecret(readKeyFile(file), Source.FILE_EXISTING);
            }
            return new JwtSecret(generateKeyFile(file), Source.FILE_GENERATED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the JWT secret file " + file
                    + "; set " + ENV + " instead", e);
        }
    }

    private static byte[] readKeyFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        // A damaged file is an operator's problem to look at, not something to silently replace.
        if (key.length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalStateException("the JWT secret file " + file + " is not valid base64 of at least "
                    + AccessTokens.MIN_SECRET_BYTES + " bytes; delete it to generate a new one or set " + ENV);
        }
        return key;
    }

    private static byte[] generateKeyFile(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        DatabaseSettings.createPrivateDirectory(dir);
        byte[] key = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(key);

        // Write to a private temp file first and move it into place, so a crash never leaves a
        // half-written key behind and the key is never readable by other users, even briefly.
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, FILE_NAME + ".", ".tmp", attrs);
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } catch (FileAlreadyExistsException e) {
            // Another process created it meanwhile: use that one so both agree.
            return readKeyFile(file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        // Read back what is on disk: if a concurrent start replaced our file, its key wins for both.
        return readKeyFile(file);
    }
}
