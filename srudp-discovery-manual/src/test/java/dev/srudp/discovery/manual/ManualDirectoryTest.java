package dev.srudp.discovery.manual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManualDirectoryTest {
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path folder;

    private static byte[] record(int seed) {
        byte[] record = new byte[420];
        new Random(seed).nextBytes(record);
        return record;
    }

    @Test
    void publishingReturnsAnSrudpUriThatLooksUpToTheRecord() throws Exception {
        try (ManualDirectory directory = ManualDirectory.withoutFile(NEVER)) {
            URI uri = directory.publish(record(1)).get();
            assertEquals("srudp", uri.getScheme());
            assertTrue(uri.getSchemeSpecificPart().startsWith(RendezvousCodec.PREFIX));
            assertEquals(uri, URI.create(uri.toString()));
            assertArrayEquals(record(1), directory.lookup(uri).get().orElseThrow());
        }
    }

    @Test
    void publishingWritesTheStringAndANewlineToTheOwnFileAndLeavesNoTemporaryFile() throws Exception {
        Path own = folder.resolve("me.srudp");
        try (ManualDirectory directory = ManualDirectory.withFile(own, NEVER)) {
            URI first = directory.publish(record(1)).get();
            URI second = directory.publish(record(2)).get();
            assertEquals(second.getSchemeSpecificPart() + "\n", Files.readString(own));
            assertTrue(!first.equals(second));
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(List.of(own), files.toList());
            }
            assertArrayEquals(record(2), directory.lookup(own.toUri()).get().orElseThrow());
        }
    }

    @Test
    void aWatcherSeesTheInitialContentAndEachUpdateExactlyAsWritten() throws Exception {
        Path partnerFile = folder.resolve("partner.srudp");
        List<byte[]> seen = new ArrayList<>();
        List<IOException> problems = new ArrayList<>();
        try (ManualDirectory partner = new ManualDirectory(partnerFile, NEVER, false);
                ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            partner.publish(record(1)).get();
            me.watch(partnerFile.toUri(), seen::add, problems::add);
            me.pollNow();
            me.pollNow();
            partner.publish(record(2)).get();
            me.pollNow();
            partner.publish(record(3)).get();
            me.pollNow();
            me.pollNow();
        }
        assertEquals(3, seen.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(record(i + 1), seen.get(i));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aFileThatAppearsAndChangesIsReadWithoutWaitingForThePollInterval() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "change notifications are checked where inotify backs them");
        Path partnerFile = folder.resolve("soon.srudp");
        java.util.concurrent.BlockingQueue<byte[]> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        // the poll interval is a day: anything delivered after the first poll came from a change notification
        try (ManualDirectory partner = ManualDirectory.withFile(partnerFile, NEVER);
                ManualDirectory me = ManualDirectory.withoutFile(NEVER)) {
            java.util.concurrent.CountDownLatch firstPoll = new java.util.concurrent.CountDownLatch(1);
            me.watch(partnerFile.toUri(), seen::add, problem -> firstPoll.countDown());
            assertTrue(firstPoll.await(10, TimeUnit.SECONDS), "the missing file is reported by the first poll");
            partner.publish(record(4)).get();
            assertArrayEquals(record(4), seen.poll(10, TimeUnit.SECONDS));
            partner.publish(record(5)).get();
            assertArrayEquals(record(5), seen.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aMissingFileIsReportedOnceAndItsRecordIsSeenWhenItAppears() throws Exception {
        Path partnerFile = folder.resolve("later.srudp");
        List<byte[]> seen = new ArrayList<>();
        List<IOException> problems = new ArrayList<>();
        try (ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            me.watch(partnerFile.toUri(), seen::add, problems::add);
            me.pollNow();
            me.pollNow();
            assertEquals(1, problems.size());
            assertInstanceOf(NoSuchFileException.class, problems.get(0));
            Files.writeString(partnerFile, RendezvousCodec.encode(record(7)) + "\n");
            me.pollNow();
        }
        assertEquals(1, seen.size());
        assertArrayEquals(record(7), seen.get(0));
    }

    @Test
    void aMalformedFileIsReportedOnceAndTheLaterRecoveryIsSeen() throws Exception {
        Path partnerFile = folder.resolve("partner.srudp");
        List<byte[]> seen = new ArrayList<>();
        List<IOException> problems = new ArrayList<>();
        String valid = RendezvousCodec.encode(record(5));
        try (ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            Files.writeString(partnerFile, valid.substring(0, valid.length() / 2));
            me.watch(partnerFile.toUri(), seen::add, problems::add);
            me.pollNow();
            me.pollNow();
            assertEquals(List.of(), seen);
            assertEquals(1, problems.size());
            RendezvousFormatException cause = assertInstanceOf(RendezvousFormatException.class, problems.get(0).getCause());
            assertEquals(RendezvousFormatException.Reason.TRUNCATED, cause.reason());
            assertTrue(problems.get(0).getMessage().contains(partnerFile.toString()));

            Files.writeString(partnerFile, "\uFEFF" + valid + "\r\n");
            me.pollNow();
        }
        assertEquals(1, seen.size());
        assertArrayEquals(record(5), seen.get(0));
    }

    @Test
    void watchingAnSrudpUriDeliversTheRecordOnce() throws Exception {
        List<byte[]> seen = new ArrayList<>();
        try (ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            URI uri = URI.create("srudp:" + RendezvousCodec.encode(record(3)));
            me.watch(uri, seen::add, problem -> { throw new AssertionError(problem); });
            me.pollNow();
            me.pollNow();
        }
        assertEquals(1, seen.size());
        assertArrayEquals(record(3), seen.get(0));
    }

    @Test
    void watchingAMalformedSrudpUriReportsItOnce() throws Exception {
        List<IOException> problems = new ArrayList<>();
        try (ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            me.watch(URI.create("srudp:srudp1-abc"), record -> { throw new AssertionError(); }, problems::add);
            me.pollNow();
            me.pollNow();
        }
        assertEquals(1, problems.size());
        assertInstanceOf(RendezvousFormatException.class, problems.get(0));
    }

    @Test
    void closingAWatchHandleStopsThatWatchOnly() throws Exception {
        Path partnerFile = folder.resolve("partner.srudp");
        List<byte[]> first = new ArrayList<>();
        List<byte[]> second = new ArrayList<>();
        try (ManualDirectory partner = new ManualDirectory(partnerFile, NEVER, false);
                ManualDirectory me = new ManualDirectory(null, NEVER, false)) {
            partner.publish(record(1)).get();
            AutoCloseable handle = me.watch(partnerFile.toUri(), first::add, problem -> {});
            me.watch(partnerFile.toUri(), second::add, problem -> {});
            me.pollNow();
            handle.close();
            partner.publish(record(2)).get();
            me.pollNow();
        }
        assertEquals(1, first.size());
        assertEquals(2, second.size());
    }

    @Test
    void closingTheDirectoryStopsPollingOnItsOwnThread() throws Exception {
        Path partnerFile = folder.resolve("partner.srudp");
        BlockingQueue<byte[]> seen = new LinkedBlockingQueue<>();
        ManualDirectory partner = ManualDirectory.withFile(partnerFile, NEVER);
        partner.publish(record(1)).get();
        ManualDirectory me = ManualDirectory.withoutFile(Duration.ofMillis(5));
        me.watch(partnerFile.toUri(), seen::add);
        byte[] first = seen.poll(30, TimeUnit.SECONDS);
        assertNotNull(first);
        assertArrayEquals(record(1), first);
        me.close();
        assertTrue(me.awaitStopped(Duration.ofSeconds(30)));
        seen.clear();
        partner.publish(record(2)).get();
        partner.close();
        me.pollNow();
        assertEquals(0, seen.size());
        ExecutionException e = assertThrows(ExecutionException.class, () -> me.publish(record(3)).get());
        assertTrue(e.getCause() instanceof IOException);
    }

    @Test
    void lookingUpAFileGivesNothingWhenItIsMissingAndTheReasonWhenItIsMalformed() throws Exception {
        try (ManualDirectory me = ManualDirectory.withoutFile(NEVER)) {
            assertEquals(Optional.empty(), me.lookup(folder.resolve("absent").toUri()).get());
            Path bad = folder.resolve("bad.srudp");
            Files.write(bad, "srudp9-abcdef".getBytes(StandardCharsets.US_ASCII));
            ExecutionException e = assertThrows(ExecutionException.class, () -> me.lookup(bad.toUri()).get());
            RendezvousFormatException cause = assertInstanceOf(RendezvousFormatException.class, e.getCause());
            assertEquals(RendezvousFormatException.Reason.WRONG_VERSION, cause.reason());
        }
    }

    @Test
    void anUnsupportedSchemeFailsTheLookupAndIsRefusedByWatch() throws Exception {
        try (ManualDirectory me = ManualDirectory.withoutFile(NEVER)) {
            URI http = URI.create("https://example.org/peer");
            ExecutionException e = assertThrows(ExecutionException.class, () -> me.lookup(http).get());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertThrows(IllegalArgumentException.class, () -> me.watch(http, record -> {}));
        }
    }

    @Test
    void theProviderReadsTheFileAndPollIntervalSettingsAndRefusesUnknownOnes() throws Exception {
        ManualDirectoryProvider provider = new ManualDirectoryProvider();
        Path own = folder.resolve("own.srudp");
        try (ManualDirectory directory = (ManualDirectory) provider.create(
                Map.of(ManualDirectoryProvider.FILE, own.toString(), ManualDirectoryProvider.POLL_MS, "250"))) {
            assertEquals(Optional.of(own), directory.ownFile());
            assertEquals(Duration.ofMillis(250), directory.pollInterval());
        }
        try (ManualDirectory directory = (ManualDirectory) provider.create(Map.of())) {
            assertEquals(Optional.empty(), directory.ownFile());
            assertEquals(ManualDirectory.DEFAULT_POLL_INTERVAL, directory.pollInterval());
        }
        assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of("pol-ms", "5")));
        assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of(ManualDirectoryProvider.POLL_MS, "0")));
        assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of(ManualDirectoryProvider.POLL_MS, "soon")));
    }
}
