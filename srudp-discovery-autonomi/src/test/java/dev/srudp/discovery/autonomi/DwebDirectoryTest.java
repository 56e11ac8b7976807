package dev.srudp.discovery.autonomi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory on a fake dweb: synchronous writes, client-supplied owner keys, explicit counters. */
class DwebDirectoryTest {
    private final ManualScheduler clock = new ManualScheduler(AntTpWorld.START_MILLIS);
    private final FakeNetwork network = new FakeNetwork();
    private final FakeDweb dweb = new FakeDweb(network, "dweb-server-key");
    private final MockWebServer server = new MockWebServer();
    private final List<AutonomiDirectory> opened = new ArrayList<>();
    @TempDir
    Path dir;

    DwebDirectoryTest() throws IOException {
        server.setDispatcher(dweb);
        server.start();
    }

    @AfterEach
    void stop() {
        opened.forEach(AutonomiDirectory::close);
        server.close();
    }

    private Path secretFile(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private AutonomiDirectory open(Path secret, boolean paid) throws IOException {
        AutonomiConfig.Builder b = AutonomiConfig.builder().gateway(URI.create(server.url("/").toString()))
                .timeout(Duration.ofMillis(500)).allowPaidCreate(paid);
        if (secret != null) {
            b.ownerSecretFile(secret);
        }
        AutonomiDirectory d = AutonomiDirectory.open(b.build(), clock.view(), Runnable::run, () -> {}, new Random(3));
        opened.add(d);
        return d;
    }

    private <T> T done(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        for (int i = 0; i < 120 && !f.isDone(); i++) {
            clock.advance(Duration.ofSeconds(1));
        }
        return f.get();
    }

    @Test
    void aPublishIsConfirmedByDwebsAnswerAndAWatcherSeesEachRecordOnce() throws Exception {
        Path secret = secretFile("owner", "a long enough owner secret for tests");
        AutonomiDirectory a = open(secret, true);
        assertEquals("dweb", a.gatewayKind());
        AutonomiDirectory b = open(null, false);
        URI address = done(a.publish("r1".getBytes(UTF_8)));
        assertEquals(2, network.paidCreations());

        List<byte[]> seen = new ArrayList<>();
        b.watch(address, seen::add);
        clock.runDue();
        assertArrayEquals("r1".getBytes(UTF_8), seen.get(0));

        clock.advance(Duration.ofSeconds(1));
        done(a.publish("r2".getBytes(UTF_8)));
        b.pollFast(address);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, seen.size());
        assertArrayEquals("r2".getBytes(UTF_8), seen.get(1));
        assertEquals(2, network.paidCreations());
    }

    @Test
    void theSameSecretFileFindsTheSamePointerInALaterRunAndAnotherSecretDoesNot() throws Exception {
        Path secret = secretFile("owner", "a long enough owner secret for tests");
        URI first = done(open(secret, true).publish("r1".getBytes(UTF_8)));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(first, done(open(secret, false).publish("r2".getBytes(UTF_8))));
        assertEquals(2, network.paidCreations());

        Path other = secretFile("other", "a different owner secret of some length");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> done(open(other, false).publish("r3".getBytes(UTF_8))));
        assertInstanceOf(PaidCreationRefusedException.class, e.getCause());
        URI third = done(open(other, true).publish("r3".getBytes(UTF_8)));
        assertNotEquals(first, third);
    }

    @Test
    void aCounterAheadOfTheClockIsLearnedAfterA502AndTheRewriteSucceeds() throws Exception {
        Path secret = secretFile("owner", "a long enough owner secret for tests");
        AutonomiDirectory a = open(secret, true);
        URI address = done(a.publish("r1".getBytes(UTF_8)));
        String pad = network.pointer(AutonomiAddress.parse(address).pointerAddress()).orElseThrow().target();
        long ahead = AntTpWorld.START_MILLIS + 3_600_000;
        network.overridePad(pad, Envelope.seal(ahead, "r1".getBytes(UTF_8)), ahead);

        done(a.publish("r2".getBytes(UTF_8)));
        assertTrue(network.pad(pad).orElseThrow().counter() > ahead);
        assertArrayEquals("r2".getBytes(UTF_8), Envelope.open(network.pad(pad).orElseThrow().content()).orElseThrow().record());
    }

    @Test
    void theOwnerKeyGoesOnlyInItsHeaderAndNeverIntoMessagesOrLogs() throws Exception {
        Path secret = secretFile("owner", "a long enough owner secret for tests");
        // records arrive from the HTTP client's threads too
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger root = Logger.getLogger("");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        try {
            AutonomiDirectory a = open(secret, false);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> done(a.publish(new byte[] {1})));
            AutonomiDirectory paid = open(secret, true);
            done(paid.publish(new byte[] {2}));
            String key = dweb.ownerSecretsSeen.get(0);
            assertEquals(64, key.length());
            assertFalse(refused.getCause().getMessage().contains(key));
            assertFalse(String.join("\n", logged).contains(key), "no log line holds the owner key");
            assertFalse(String.join("\n", logged).contains("a long enough owner secret"));
            assertTrue(dweb.ownerSecretsSeen.stream().allMatch(key::equals), "one stable key");
        } finally {
            root.removeHandler(capture);
            root.setLevel(level);
        }
    }

    @Test
    void aSecretFileOthersCanReadIsRefusedWithTheCommandToFixIt() throws Exception {
        Path secret = secretFile("owner", "a long enough owner secret for tests");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> open(secret, false));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains("a long enough owner secret"));
    }

}
