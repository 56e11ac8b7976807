package dev.srudp.discovery.autonomi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutonomiDirectoryEndToEndTest {
    private final AntTpWorld world;
    private final List<byte[]> seenByB = new ArrayList<>();

    AutonomiDirectoryEndToEndTest() throws Exception {
        world = new AntTpWorld();
    }

    @AfterEach
    void closeWorld() throws Exception {
        world.close();
    }

    private static byte[] record(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void peerBSeesTheRecordPeerAPublishedAndThenItsReplacementExactlyOnce() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b.allowPaidCreate(true));
        AutonomiDirectory b = world.peerB(c -> c);

        URI address = world.await(a.publish(record("A at 10.0.0.1")), Duration.ofMinutes(1));
        assertTrue(address.toString().startsWith("autonomi:"), address.toString());
        assertEquals(world.gatewayA.pointerAddress("srudp-endpoint-pointer"), AutonomiAddress.parse(address).pointerAddress());
        assertEquals(2, world.network.paidCreations());

        b.watch(address, seenByB::add);
        world.clock.runDue();
        assertEquals(1, seenByB.size());
        assertArrayEquals(record("A at 10.0.0.1"), seenByB.get(0));

        world.await(a.publish(record("A at 10.0.0.2")), Duration.ofMinutes(1));
        b.pollFast(address);
        world.clock.advance(Duration.ofSeconds(30));
        assertEquals(2, seenByB.size());
        assertArrayEquals(record("A at 10.0.0.2"), seenByB.get(1));

        world.clock.advance(Duration.ofMinutes(10));
        assertEquals(2, seenByB.size(), "the same record is handed out once");
        assertEquals(2, world.network.paidCreations(), "updates create nothing");
    }

    @Test
    void aLookupReturnsThePartnersCurrentRecordAndNothingForAnUnknownPointer() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b.allowPaidCreate(true));
        AutonomiDirectory b = world.peerB(c -> c);
        URI address = world.await(a.publish(record("hello")), Duration.ofMinutes(1));

        assertArrayEquals(record("hello"), world.await(b.lookup(address), Duration.ofSeconds(5)).orElseThrow());
        URI unknown = URI.create("autonomi:" + "ab".repeat(48));
        assertTrue(world.await(b.lookup(unknown), Duration.ofSeconds(5)).isEmpty());
    }

    @Test
    void publishingWithoutAPointerAndWithoutConsentFailsAndPaysNothing() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> world.await(a.publish(record("x")), Duration.ofSeconds(5)));
        assertInstanceOf(PaidCreationRefusedException.class, e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.contains("allow-paid-create=true") && message.contains("costs tokens")
                && message.contains("one public scratchpad") && message.contains("one pointer"), message);
        assertEquals(0, world.network.paidCreations());
        assertTrue(world.gatewayA.requests("POST").isEmpty());
    }

    @Test
    void theExplicitFlagGivesConsentForOnePublish() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b);
        world.await(a.publish(record("x"), true), Duration.ofMinutes(1));
        assertEquals(2, world.network.paidCreations());
    }

    @Test
    void aSecondRunFindsTheExistingPointerAndCreatesNothing() throws Exception {
        AutonomiDirectory first = world.peerA(b -> b.allowPaidCreate(true));
        URI address = world.await(first.publish(record("run 1")), Duration.ofMinutes(1));
        first.close();
        world.clock.advance(Duration.ofMinutes(2));

        AutonomiDirectory second = world.peerA(b -> b);
        assertEquals(address, world.await(second.publish(record("run 2")), Duration.ofMinutes(1)));
        assertEquals(2, world.network.paidCreations());
        AutonomiDirectory b = world.peerB(c -> c);
        b.watch(address, seenByB::add);
        world.clock.runDue();
        assertArrayEquals(record("run 2"), seenByB.get(0));
    }

    @Test
    void anIdleWatchReadsAboutOnceAMinute() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b.allowPaidCreate(true));
        URI address = world.await(a.publish(record("x")), Duration.ofMinutes(1));
        AutonomiDirectory b = world.peerB(c -> c);
        b.watch(address, seenByB::add);
        world.clock.advance(Duration.ofMinutes(10));
        List<FakeAntTp.Req> reads = world.gatewayB.requests("GET /anttp-0/public_scratchpad/");
        assertTrue(reads.size() >= 8 && reads.size() <= 11, reads.size() + " reads in 10 minutes");
        assertGapsAtLeast(reads, 60_000);
    }

    @Test
    void aFastWindowReadsNoFasterThanTheGatewayCacheAndEnds() throws Exception {
        AutonomiDirectory a = world.peerA(b -> b.allowPaidCreate(true));
        URI address = world.await(a.publish(record("x")), Duration.ofMinutes(1));
        AutonomiDirectory b = world.peerB(c -> c.fastPoll(Duration.ofSeconds(1)));
        b.watch(address, seenByB::add);
        world.clock.runDue();
        b.pollFast(address);
        world.clock.advance(Duration.ofMinutes(2));
        List<FakeAntTp.Req> fast = world.gatewayB.requests("GET /anttp-0/public_scratchpad/");
        assertTrue(fast.size() >= 15, fast.size() + " reads in a two-minute fast window");
        // AntTP's TTL of 5 s counts whole seconds: a change shows after up to 6 s.
        assertGapsAtLeast(fast, 6_000);
        int before = fast.size();
        world.clock.advance(Duration.ofMinutes(5));
        int after = world.gatewayB.requests("GET /anttp-0/public_scratchpad/").size();
        assertTrue(after - before <= 5, (after - before) + " reads in 5 minutes after the window");
    }

    @Test
    void aMissingPointerIsReadAgainOnlyAfterTheGatewaysNegativeCacheAndWithGrowingGaps() throws Exception {
        AutonomiDirectory b = world.peerB(c -> c);
        b.watch(URI.create("autonomi:" + "cd".repeat(48)), seenByB::add);
        world.clock.advance(Duration.ofMinutes(15));
        List<FakeAntTp.Req> reads = world.gatewayB.requests("GET /anttp-0/pointer/");
        assertTrue(reads.size() >= 4 && reads.size() <= 8, reads.size() + " reads");
        assertGapsAtLeast(reads, 50_000);
        long firstGap = reads.get(1).atMillis() - reads.get(0).atMillis();
        long laterGap = reads.get(reads.size() - 1).atMillis() - reads.get(reads.size() - 2).atMillis();
        assertTrue(laterGap > firstGap, firstGap + " then " + laterGap);
        assertTrue(seenByB.isEmpty());
    }

    @Test
    void aGatewayWithoutMutableTypesIsReportedAsUnsupportedNotAsAMissingRecord() throws Exception {
        world.gatewayB.mutableTypes = false;
        GatewayUnsupportedException e = assertThrows(GatewayUnsupportedException.class, () -> world.peerB(c -> c));
        assertTrue(e.getMessage().contains("this gateway does not support pointers"), e.getMessage());
        assertTrue(e.getMessage().contains("/anttp-0/pointer") && e.getMessage().contains("/anttp-0/public_scratchpad"),
                e.getMessage());
        assertTrue(e.getMessage().contains("0.25.33"), e.getMessage());
    }

    @Test
    void thePublishedAddressCarriesThePeerIdWhenOneIsConfigured() throws Exception {
        String peer = dev.srudp.PeerId.of(new byte[32]).toString();
        AutonomiDirectory a = world.peerA(b -> b.allowPaidCreate(true).identity(peer));
        URI address = world.await(a.publish(record("x")), Duration.ofMinutes(1));
        assertEquals(java.util.Optional.of(peer), AutonomiAddress.parse(address).identity());
    }

    @Test
    void aWatchStartedBeforeThePartnerPublishedDeliversOnceTheRecordAppears() throws Exception {
        URI address = URI.create("autonomi:" + world.gatewayA.pointerAddress("srudp-endpoint-pointer"));
        AutonomiDirectory b = world.peerB(c -> c);
        b.watch(address, seenByB::add);
        world.clock.advance(Duration.ofSeconds(10));
        assertTrue(seenByB.isEmpty());

        AutonomiDirectory a = world.peerA(c -> c.allowPaidCreate(true));
        world.await(a.publish(record("late")), Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(4));
        assertEquals(1, seenByB.size());
        assertArrayEquals(record("late"), seenByB.get(0));
    }

    static void assertGapsAtLeast(List<FakeAntTp.Req> reads, long minGapMillis) {
        for (int i = 1; i < reads.size(); i++) {
            long gap = reads.get(i).atMillis() - reads.get(i - 1).atMillis();
            assertTrue(gap >= minGapMillis, "gap of " + gap + " ms between reads " + (i - 1) + " and " + i);
        }
    }
}
