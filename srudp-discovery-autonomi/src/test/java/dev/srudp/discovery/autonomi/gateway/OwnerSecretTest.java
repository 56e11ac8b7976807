package dev.srudp.discovery.autonomi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerSecretTest {
    private static final BigInteger R = new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

    @TempDir
    Path dir;

    @Test
    void theSameSecretAlwaysGivesTheSameKeyAndOtherSecretsOtherKeys() {
        OwnerSecret a = OwnerSecret.fromSecret("secret one, long enough".getBytes(StandardCharsets.UTF_8));
        OwnerSecret b = OwnerSecret.fromSecret("secret one, long enough".getBytes(StandardCharsets.UTF_8));
        OwnerSecret c = OwnerSecret.fromSecret("secret two, long enough".getBytes(StandardCharsets.UTF_8));
        assertEquals(a.hex(), b.hex());
        assertNotEquals(a.hex(), c.hex());
    }

    @Test
    void theKeyIs64HexCharactersOfAScalarBelowTheGroupOrder() {
        for (int i = 0; i < 200; i++) {
            String hex = OwnerSecret.fromSecret(("seed number " + i).getBytes(StandardCharsets.UTF_8)).hex().orElseThrow();
            assertTrue(hex.matches("[0-9a-f]{64}"), hex.length() + " characters");
            BigInteger k = new BigInteger(hex, 16);
            assertTrue(k.signum() > 0 && k.compareTo(R) < 0);
        }
    }

    @Test
    void itsTextFormNeverShowsTheKey() {
        OwnerSecret s = OwnerSecret.fromSecret("secret one, long enough".getBytes(StandardCharsets.UTF_8));
        assertFalse(s.toString().contains(s.hex().orElseThrow()));
        assertEquals("OwnerSecret[redacted]", s.toString());
    }

    @Test
    void aFileReadableOnlyByItsOwnerIsAcceptedAndOthersAreNot() throws IOException {
        Path f = dir.resolve("owner");
        Files.writeString(f, "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertEquals(OwnerSecret.fromSecret(Files.readAllBytes(f)).hex(), OwnerSecret.fromFile(f).hex());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        assertThrows(IOException.class, () -> OwnerSecret.fromFile(f));
    }

    @Test
    void aShortOrMissingFileIsRefused() throws IOException {
        Path f = dir.resolve("short");
        Files.writeString(f, "tiny");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IOException.class, () -> OwnerSecret.fromFile(f)).getMessage().contains("32 random bytes"));
        assertThrows(IOException.class, () -> OwnerSecret.fromFile(dir.resolve("absent")));
    }
}
