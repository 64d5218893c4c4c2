package chat.edge.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtSecretTest {

    private static final String LONG = "a-configured-secret-of-enough-length!!";

    @TempDir
    Path tmp;

    @Test
    void configuredSecretIsUsedAsIs() {
        for (boolean embedded : new boolean[] {true, false}) {
            JwtSecret s = JwtSecret.resolve(LONG, embedded, tmp);
            assertArrayEquals(LONG.getBytes(StandardCharsets.UTF_8), s.key());
            assertEquals(JwtSecret.Source.CONFIGURED, s.source());
        }
        assertFalse(Files.exists(tmp.resolve("jwt-secret")));
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        String elevenChars = "\u4e2d".repeat(11); // 33 bytes in UTF-8
        assertEquals(33, JwtSecret.resolve(elevenChars, false, tmp).key().length);
        String asciiShort = "x".repeat(31);
        assertThrows(IllegalStateException.class, () -> JwtSecret.resolve(asciiShort, false, tmp));
    }

    @Test
    void shortConfiguredSecretFailsWithoutRevealingIt() {
        String shortSecret = "tooShortSecretValue";
        for (boolean embedded : new boolean[] {true, false}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JwtSecret.resolve(shortSecret, embedded, tmp));
            assertTrue(e.getMessage().contains("CHAT_JWT_SECRET"), e.getMessage());
            assertFalse(e.getMessage().contains(shortSecret), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("jwt-secret")));
    }

    @Test
    void postgresWithoutSecretFails() {
        for (String missing : new String[] {null, "", "   "}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JwtSecret.resolve(missing, false, tmp));
            assertTrue(e.getMessage().contains("CHAT_JWT_SECRET"), e.getMessage());
            assertTrue(e.getMessage().contains("CHAT_DB_URL"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("jwt-secret")));
    }

    @Test
    void embeddedGeneratesKeyFileOnceAndReusesIt() throws IOException {
        Path dataDir = tmp.resolve("nested/data");
        JwtSecret first = JwtSecret.resolve(null, true, dataDir);
        Path file = dataDir.resolve("jwt-secret");
        assertTrue(Files.isRegularFile(file));
        assertEquals(JwtSecret.Source.FILE_GENERATED, first.source());
        assertEquals(48, first.key().length);
        assertArrayEquals(first.key(), Base64.getDecoder().decode(Files.readString(file).trim()));

        JwtSecret second = JwtSecret.resolve("", true, dataDir);
        assertEquals(JwtSecret.Source.FILE_EXISTING, second.source());
        assertArrayEquals(first.key(), second.key());

        try (Stream<Path> files = Files.list(dataDir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void generatedKeyFileIsOwnerOnlyOnPosix() throws IOException {
        JwtSecret.resolve(null, true, tmp);
        Path file = tmp.resolve("jwt-secret");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void tokensSurviveARestart() {
        String token = new AccessTokens(JwtSecret.resolve(null, true, tmp).key()).issue("alice");
        AccessTokens afterRestart = new AccessTokens(JwtSecret.resolve(null, true, tmp).key(),
                AccessTokens.DEFAULT_TTL, Clock.systemUTC());
        assertEquals(Optional.of("alice"), afterRestart.verify(token));
    }

    @Test
    void distinctDataDirsGetDistinctKeys() {
        byte[] a = JwtSecret.resolve(null, true, tmp.resolve("a")).key();
        byte[] b = JwtSecret.resolve(null, true, tmp.resolve("b")).key();
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void damagedKeyFileFailsClearly() throws IOException {
        Files.writeString(tmp.resolve("jwt-secret"), "c2hvcnQ=\n"); // base64 of "short"
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JwtSecret.resolve(null, true, tmp));
        assertTrue(e.getMessage().contains("jwt-secret"), e.getMessage());
        Files.writeString(tmp.resolve("jwt-secret"), "!!! not base64 !!!");
        assertThrows(IllegalStateException.class, () -> JwtSecret.resolve(null, true, tmp));
    }

    @Test
    void toStringDoesNotRevealTheKey() {
        assertFalse(JwtSecret.resolve(LONG, true, tmp).toString().contains(LONG));
    }
}
