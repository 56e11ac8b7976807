package dev.srudp.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
    @TempDir
    Path home;

    @Test
    void aCreatedIdentityLoadsBackWithTheSameKeysCertificateAndPort() throws IOException {
        IdentityStore store = IdentityStore.open(home.resolve("srudp"));
        LocalIdentity created = store.create();
        LocalIdentity loaded = store.load();

        assertEquals(created.identity(), loaded.identity());
        assertEquals(created.staticKey(), loaded.staticKey());
        assertEquals(created.certificate(), loaded.certificate());
        assertEquals(created.certifiedKey(), loaded.certifiedKey());
        assertEquals(created.defaultPort(), loaded.defaultPort());
        assertEquals(created.peerId(), loaded.peerId());
        assertTrue(loaded.certificate().isValid());
        assertArrayEquals(loaded.identity().publicKey(), loaded.certificate().identityKey());
        assertArrayEquals(loaded.staticKey().publicKey(), loaded.certificate().staticKey());
    }

    @Test
    void loadOrCreateCreatesOnceAndThenKeepsTheSameIdentity() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        assertFalse(store.exists());
        LocalIdentity first = store.loadOrCreate();
        assertTrue(store.exists());
        LocalIdentity second = IdentityStore.open(home).loadOrCreate();
        assertEquals(first.peerId(), second.peerId());
        assertEquals(first.certifiedKey(), second.certifiedKey());
        assertEquals(first.defaultPort(), second.defaultPort());
    }

    @Test
    void createNeverOverwritesAnExistingIdentity() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        LocalIdentity first = store.create();
        assertThrows(FileAlreadyExistsException.class, store::create);
        assertEquals(first.peerId(), store.load().peerId());
    }

    @Test
    void twoCreatorsRacingInOneHomeEndUpWithOneIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LocalIdentity>> results = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return IdentityStore.open(home).loadOrCreate();
                }));
            }
            start.countDown();
            List<LocalIdentity> identities = new ArrayList<>();
            for (Future<LocalIdentity> result : results) {
                identities.add(result.get());
            }
            LocalIdentity stored = IdentityStore.open(home).load();
            for (LocalIdentity identity : identities) {
                assertEquals(stored.peerId(), identity.peerId());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHomesHoldTwoIdentities() throws IOException {
        LocalIdentity a = IdentityStore.open(home.resolve("a")).loadOrCreate();
        LocalIdentity b = IdentityStore.open(home.resolve("b")).loadOrCreate();
        assertNotEquals(a.peerId(), b.peerId());
    }

    @Test
    void theDefaultPortIsChosenBetween20000And60000() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = IdentityStore.open(home.resolve("h" + i), TestRecords.seeded(i)).create().defaultPort();
            assertTrue(port >= 20000 && port <= 60000, "port " + port);
        }
    }

    @Test
    void theKeyFileAndHomeAreCreatedOwnerOnly() throws IOException {
        Path dir = home.resolve("fresh");
        IdentityStore store = IdentityStore.open(dir);
        store.create();
        assumeTrue(Files.getFileAttributeView(store.identityFile(), PosixFileAttributeView.class) != null,
                "POSIX permissions are not supported here");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.identityFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(IdentityStore.FILE_LENGTH, Files.size(store.identityFile()));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void loadingRefusesAKeyFileThatOthersCanRead() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        store.create();
        assumeTrue(Files.getFileAttributeView(store.identityFile(), PosixFileAttributeView.class) != null,
                "POSIX permissions are not supported here");
        Files.setPosixFilePermissions(store.identityFile(), PosixFilePermissions.fromString("rw-r--r--"));

        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertEquals(store.identityFile(), e.file());
        assertTrue(e.getMessage().contains("accessible by other users"), e.getMessage());
        assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + store.identityFile()), e.getMessage());

        Files.setPosixFilePermissions(store.identityFile(), PosixFilePermissions.fromString("rw----r--"));
        assertThrows(IdentityStoreException.class, store::load);
        Files.setPosixFilePermissions(store.identityFile(), PosixFilePermissions.fromString("r--------"));
        store.load();
    }

    @Test
    void loadingAMissingIdentitySaysHowToCreateOne() {
        IdentityStore store = IdentityStore.open(home);
        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().startsWith("No srudp identity at " + store.identityFile()), e.getMessage());
        assertTrue(e.getMessage().contains("loadOrCreate()"), e.getMessage());
        assertTrue(e.getMessage().contains(IdentityStore.HOME_PROPERTY), e.getMessage());
    }

    @Test
    void loadingATruncatedIdentityCallsItDamaged() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        store.create();
        byte[] bytes = Files.readAllBytes(store.identityFile());
        Files.write(store.identityFile(), Arrays.copyOf(bytes, 60));

        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("is damaged (60 bytes, expected 116)"), e.getMessage());
        assertTrue(e.getMessage().contains("Restore it from a backup, or delete it"), e.getMessage());
    }

    @Test
    void loadingAnIdentityWithAFlippedBitCallsItDamaged() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        store.create();
        byte[] bytes = Files.readAllBytes(store.identityFile());
        bytes[30] ^= 0x04;
        Files.write(store.identityFile(), bytes);

        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("is damaged (its checksum does not match)"), e.getMessage());
    }

    @Test
    void loadingAForeignFileSaysItIsNotAnIdentity() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        Files.writeString(store.identityFile(), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        setOwnerOnly(store.identityFile());

        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("is not an srudp identity file"), e.getMessage());
        assertTrue(e.getMessage().contains("Move it away"), e.getMessage());

        Files.write(store.identityFile(), new byte[0]);
        e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("is not an srudp identity file"), e.getMessage());
    }

    @Test
    void loadingAFileOfANewerFormatSaysWhichVersionReadsIt() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        store.create();
        byte[] bytes = Files.readAllBytes(store.identityFile());
        byte[] magic = "srudp-identity-v2\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        Files.write(store.identityFile(), bytes);

        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("in a format this version does not read"), e.getMessage());
    }

    @Test
    void loadingADirectoryInPlaceOfTheFileSaysSo() throws IOException {
        IdentityStore store = IdentityStore.open(home);
        Files.createDirectory(store.identityFile());
        IdentityStoreException e = assertThrows(IdentityStoreException.class, store::load);
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    }

    @Test
    void theDefaultHomeFollowsTheSystemProperty() {
        String before = System.getProperty(IdentityStore.HOME_PROPERTY);
        try {
            System.setProperty(IdentityStore.HOME_PROPERTY, home.toString());
            assertEquals(home, IdentityStore.defaultHome());
            System.clearProperty(IdentityStore.HOME_PROPERTY);
            if (System.getenv(IdentityStore.HOME_ENVIRONMENT) == null) {
                assertEquals(Path.of(System.getProperty("user.home"), ".srudp"), IdentityStore.defaultHome());
            }
        } finally {
            if (before == null) {
                System.clearProperty(IdentityStore.HOME_PROPERTY);
            } else {
                System.setProperty(IdentityStore.HOME_PROPERTY, before);
            }
        }
    }

    private static void setOwnerOnly(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
