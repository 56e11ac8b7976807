package dev.srudp.discovery.autonomi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A directory facing a misbehaving gateway: it never crashes, retries a bounded number of times,
 * and hands out only what the gateway served as the latest value.
 */
class AutonomiDirectoryFaultTest {
    private final AntTpWorld world;
    private final List<byte[]> seenByB = new ArrayList<>();
    private AutonomiDirectory a;
    private AutonomiDirectory b;
    private URI address;

    AutonomiDirectoryFaultTest() throws Exception {
        world = new AntTpWorld();
    }

    @AfterEach
    void closeWorld() throws Exception {
        world.close();
    }

    private static byte[] record(String text) {
        return text.getBytes(UTF_8);
    }

    /** A publishes, B starts watching and sees the first record. */
    private void publishedAndWatched(String first) throws Exception {
        a = world.peerA(c -> c.allowPaidCreate(true));
        b = world.peerB(c -> c);
        address = world.await(a.publish(record(first)), Duration.ofMinutes(1));
        b.watch(address, seenByB::add);
        world.clock.runDue();
        assertEquals(1, seenByB.size());
    }

    private String padAddress() {
        return world.gatewayA.padAddress("srudp-endpoint");
    }

    private byte[] storedEnvelope() {
        return world.network.pad(padAddress()).orElseThrow().content();
    }

    @Test
    void aBurstOf5xxAnswersIsRiddenOutWithGrowingGapsAndTheRecordStillArrives() throws Exception {
        a = world.peerA(c -> c.allowPaidCreate(true));
        address = world.await(a.publish(record("r1")), Duration.ofMinutes(1));
        b = world.peerB(c -> c);
        world.gatewayB.failNext = 4;
        world.gatewayB.failStatus = 503;
        b.watch(address, seenByB::add);
        world.clock.advance(Duration.ofMinutes(30));
        assertEquals(1, seenByB.size());
        assertArrayEquals(record("r1"), seenByB.get(0));
        List<FakeAntTp.Req> failed = world.gatewayB.requests("GET").subList(0, 5);
        for (int i = 2; i < failed.size(); i++) {
            long before = failed.get(i - 1).atMillis() - failed.get(i - 2).atMillis();
            long after = failed.get(i).atMillis() - failed.get(i - 1).atMillis();
            assertTrue(after > before, "backoff grows: " + before + " then " + after);
        }
    }

    @Test
    void aHangingAnswerIsAbandonedAtTheTimeoutAndReadAgainLater() throws Exception {
        a = world.peerA(c -> c.allowPaidCreate(true));
        address = world.await(a.publish(record("r1")), Duration.ofMinutes(1));
        b = world.peerB(c -> c);
        world.gatewayB.hangNext = 1;
        b.watch(address, seenByB::add);
        world.clock.runDue();
        assertTrue(seenByB.isEmpty());
        world.clock.advance(Duration.ofMinutes(5));
        assertEquals(1, seenByB.size());
    }

    @Test
    void aRolledBackValueIsNeverHandedOutAgain() throws Exception {
        publishedAndWatched("r1");
        byte[] oldEnvelope = storedEnvelope();
        world.await(a.publish(record("r2")), Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(2));
        assertEquals(2, seenByB.size());

        world.network.overridePad(padAddress(), oldEnvelope, 1_000);
        world.clock.advance(Duration.ofMinutes(10));
        assertEquals(2, seenByB.size(), "the older record was not handed out again");
        assertArrayEquals(record("r2"), seenByB.get(1));
    }

    @Test
    void aForkWithTheSameCounterAndOtherBytesIsNotHandedOutAndALargerCounterEndsIt() throws Exception {
        publishedAndWatched("r1");
        long counter = Envelope.open(storedEnvelope()).orElseThrow().counter();
        world.network.overridePad(padAddress(), Envelope.seal(counter, record("forged")), 50);
        world.clock.advance(Duration.ofMinutes(5));
        assertEquals(1, seenByB.size());

        world.await(a.publish(record("r2")), Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(2));
        assertEquals(2, seenByB.size());
        assertArrayEquals(record("r2"), seenByB.get(1));
    }

    @Test
    void garbageJsonAndOversizedAnswersAreSkippedWithoutCrashingOrDelivering() throws Exception {
        publishedAndWatched("r1");
        world.gatewayB.garbageNext = "{\"content\": oops";
        world.clock.advance(Duration.ofMinutes(2));
        world.gatewayB.oversizedNext = 1;
        world.clock.advance(Duration.ofMinutes(3));
        world.gatewayB.garbageNext = "{\"name\":null,\"content\":\"" + "ab".repeat(48) + "\",\"address\":\"zz\",\"counter\":1}";
        world.clock.advance(Duration.ofMinutes(3));
        assertEquals(1, seenByB.size());

        world.await(a.publish(record("r2")), Duration.ofMinutes(1));
        // after three failures in a row the next read may be up to the 5-minute cap (plus jitter) away
        world.clock.advance(Duration.ofMinutes(7));
        assertEquals(2, seenByB.size());
        assertArrayEquals(record("r2"), seenByB.get(1));
    }

    @Test
    void aScratchpadHoldingSomethingOtherThanARecordIsNotHandedOut() throws Exception {
        publishedAndWatched("r1");
        world.network.overridePad(padAddress(), record("not an envelope at all"), 99);
        world.clock.advance(Duration.ofMinutes(5));
        assertEquals(1, seenByB.size());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> world.await(b.lookup(address), Duration.ofSeconds(5)));
        assertTrue(e.getCause().getMessage().contains("does not hold an srudp record"), e.getCause().getMessage());
    }

    @Test
    void aWriteTheNetworkNeverShowsIsRewrittenWithLargerCountersAndThenReported() throws Exception {
        publishedAndWatched("r1");
        int putsBefore = world.gatewayA.requests("PUT").size();
        world.gatewayA.dropWrites = true;
        CompletableFuture<URI> lost = a.publish(record("r2"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> world.await(lost, Duration.ofMinutes(5)));
        assertTrue(e.getCause().getMessage().contains("never showed it"), e.getCause().getMessage());
        assertEquals(AutonomiDirectory.PUBLISH_ATTEMPTS, world.gatewayA.requests("PUT").size() - putsBefore);
        world.clock.advance(Duration.ofMinutes(10));
        assertEquals(1, seenByB.size(), "B never saw what only A's gateway cache held");
    }

    @Test
    void aWriteLostOnceIsConfirmedAfterTheRewrite() throws Exception {
        publishedAndWatched("r1");
        world.gatewayA.dropWrites = true;
        CompletableFuture<URI> publish = a.publish(record("r2"));
        for (int i = 0; i < 60 && world.gatewayA.requests("PUT").size() < 1; i++) {
            world.clock.advance(Duration.ofSeconds(1));
        }
        world.gatewayA.dropWrites = false;
        assertEquals(address, world.await(publish, Duration.ofMinutes(2)));
        assertEquals(2, world.gatewayA.requests("PUT").size());
        world.clock.advance(Duration.ofMinutes(2));
        assertArrayEquals(record("r2"), seenByB.get(seenByB.size() - 1));
    }

    @Test
    void aFailingGatewayMakesAPublishFailAfterABoundedNumberOfTries() throws Exception {
        a = world.peerA(c -> c.allowPaidCreate(true));
        world.gatewayA.failNext = 1_000;
        CompletableFuture<URI> publish = a.publish(record("r1"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> world.await(publish, Duration.ofMinutes(5)));
        assertTrue(e.getCause() instanceof IOException);
        assertTrue(e.getCause().getMessage().contains("failed 3 times"), e.getCause().getMessage());
        assertTrue(world.gatewayA.requests("").size() <= 10, world.gatewayA.requests("").size() + " requests");
        assertEquals(0, world.network.paidCreations());
    }

    @Test
    void aWatcherThatThrowsKeepsGettingNewRecords() throws Exception {
        a = world.peerA(c -> c.allowPaidCreate(true));
        b = world.peerB(c -> c);
        address = world.await(a.publish(record("r1")), Duration.ofMinutes(1));
        b.watch(address, r -> {
            seenByB.add(r);
            throw new IllegalStateException("watcher bug");
        });
        world.clock.runDue();
        world.await(a.publish(record("r2")), Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(2));
        assertEquals(2, seenByB.size());
    }

    @Test
    void aClosedWatchAndAClosedDirectoryStopReading() throws Exception {
        publishedAndWatched("r1");
        AutoCloseable second = b.watch(address, seenByB::add);
        world.clock.runDue();
        second.close();
        b.close();
        int reads = world.gatewayB.requests("GET").size();
        world.clock.advance(Duration.ofMinutes(10));
        assertEquals(reads, world.gatewayB.requests("GET").size());
        ExecutionException e = assertThrows(ExecutionException.class, () -> b.publish(record("x")).get());
        assertTrue(e.getCause().getMessage().contains("closed"));
    }
}
