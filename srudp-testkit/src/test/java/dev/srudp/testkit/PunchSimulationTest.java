package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.SrudpStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import dev.srudp.core.punch.PairKind;
import dev.srudp.core.wire.Packets;
import dev.srudp.core.wire.Probe;
import java.net.InetSocketAddress;
import dev.srudp.core.punch.PunchStats;
import dev.srudp.core.punch.Puncher;
import dev.srudp.testkit.NatWorld.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hole punching between peers behind simulated NATs and firewalls (issue 5's matrix and cases). */
class PunchSimulationTest {
    private static final Duration DELAY = Duration.ofMillis(10);
    private static final Duration PUNCH_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<Router> CONE = EnumSet.of(Router.FULL_CONE, Router.ADDRESS_RESTRICTED,
            Router.PORT_RESTRICTED);
    private static final List<Router> MATRIX = List.of(Router.FULL_CONE, Router.ADDRESS_RESTRICTED,
            Router.PORT_RESTRICTED, Router.SYMMETRIC_RANDOM, Router.SYMMETRIC_SEQUENTIAL, Router.UDP_BLOCKED);

    /** Issue 5: "Expected direct every time" for these cells. */
    static boolean expectedDirect(Router x, Router y) {
        if (x == Router.UDP_BLOCKED || y == Router.UDP_BLOCKED) {
            return false;
        }
        boolean easy = x == Router.FULL_CONE || x == Router.ADDRESS_RESTRICTED;
        boolean easyY = y == Router.FULL_CONE || y == Router.ADDRESS_RESTRICTED;
        return (CONE.contains(x) && CONE.contains(y)) || easy || easyY;
    }

    @Test
    void theRouterMatrixConnectsWhereIssueFiveExpectsItAndFailsWithAReasonElsewhere() {
        StringBuilder report = new StringBuilder();
        for (Router ra : MATRIX) {
            for (Router rb : MATRIX) {
                for (long seed = 1; seed <= 3; seed++) {
                    NatWorld w = NatWorld.separate(seed * 100 + ra.ordinal() * 10 + rb.ordinal(), ra, rb, DELAY);
                    w.startPunch(w.a, PUNCH_TIMEOUT);
                    w.net.runFor(Duration.ofMillis(300));
                    w.startPunch(w.b, PUNCH_TIMEOUT);
                    long secondStart = w.net.nowNanos();
                    w.net.runUntilOrFail(w::bothDone, Duration.ofSeconds(15), "both punches end, " + ra + " x " + rb);
                    String cell = ra + " x " + rb + " seed " + seed;
                    boolean ok = !w.a.punch.isCompletedExceptionally() && !w.b.punch.isCompletedExceptionally();
                    if (expectedDirect(ra, rb)) {
                        assertTrue(ok, cell + ": " + outcome(w));
                        Connection ca = w.a.punch.join();
                        Connection cb = w.b.punch.join();
                        assertEquals(w.b.endpoint.peerId(), ca.peer());
                        assertEquals(w.a.endpoint.peerId(), cb.peer());
                        assertEquals(1, w.a.endpoint.core().connectionCount(), cell);
                        assertEquals(1, w.b.endpoint.core().connectionCount(), cell);
                        w.net.runUntilOrFail(w::bothGotFirstByte, Duration.ofSeconds(2), "first bytes, " + cell);
                    } else if (!ok) {
                        String reason = reason(w.a.punch.isCompletedExceptionally() ? w.a : w.b);
                        assertTrue(reason.startsWith("no candidate pair answered in "), cell + ": " + reason);
                        assertTrue(w.net.nowNanos() - secondStart <= Duration.ofSeconds(11).toNanos(), cell);
                        if (ra == Router.SYMMETRIC_RANDOM && w.a.punch.isCompletedExceptionally() == false) {
                            continue;
                        }
                    }
                    if (seed == 1) {
                        report.append(String.format("%-21s x %-21s %s%n", ra, rb, ok ? "direct" : reason(
                                w.a.punch.isCompletedExceptionally() ? w.a : w.b)));
                    }
                }
            }
        }
        System.out.println(report);
    }

    @Test
    void aFailureAgainstARandomSymmetricNatSaysAGateOrRelayIsNeeded() {
        NatWorld w = NatWorld.separate(7, Router.PORT_RESTRICTED, Router.SYMMETRIC_RANDOM, DELAY);
        // without knowing its own NAT, the symmetric side cannot use the birthday technique
        w.b.endpoint.core().setLocalNatHints(dev.srudp.core.record.NatHints.UNKNOWN);
        w.startPunch(w.a, PUNCH_TIMEOUT);
        w.startPunch(w.b, PUNCH_TIMEOUT);
        w.net.runUntilOrFail(w::bothDone, Duration.ofSeconds(15), "both punches end");
        assertTrue(w.a.punch.isCompletedExceptionally());
        String reason = reason(w.a);
        assertTrue(reason.contains("symmetric (random ports): a gate or relay is needed"), reason);
        PunchStats stats = w.a.endpoint.core().punchStats().get(0);
        assertFalse(stats.succeeded());
        assertTrue(stats.probesSent() > 0 && stats.probesSent() <= 500 + Puncher.BIRTHDAY_PROBES, stats.toString());
    }

    @Test
    void udpBlockedFailsWithinTheBoundWithAReason() {
        NatWorld w = NatWorld.separate(8, Router.UDP_BLOCKED, Router.FULL_CONE, DELAY);
        w.startPunch(w.a, PUNCH_TIMEOUT);
        w.startPunch(w.b, PUNCH_TIMEOUT);
        long start = w.net.nowNanos();
        w.net.runUntilOrFail(w::bothDone, Duration.ofSeconds(15), "both punches end");
        assertTrue(w.a.punch.isCompletedExceptionally() && w.b.punch.isCompletedExceptionally());
        assertTrue(reason(w.b).contains("UDP is blocked"), reason(w.b));
        assertTrue(w.net.nowNanos() - start <= Duration.ofMillis(10_100).toNanos());
    }

    @Test
    void twoHostsBehindOneRouterConnectOverTheirLanAddressesWithAndWithoutHairpinning() {
        for (boolean hairpinning : new boolean[] {false, true}) {
            NatWorld w = NatWorld.sameLan(hairpinning ? 11 : 12, hairpinning, DELAY);
            w.startPunch(w.a, PUNCH_TIMEOUT);
            w.startPunch(w.b, PUNCH_TIMEOUT);
            w.net.runUntilOrFail(w::bothDone, Duration.ofSeconds(15), "both punches end");
            Connection c = w.a.punch.join();
            assertEquals(w.b.endpoint.address(), c.stats().remoteAddress(), "hairpinning " + hairpinning);
            for (NatWorld.Peer p : List.of(w.a, w.b)) {
                PunchStats s = p.endpoint.core().punchStats().get(0);
                assertEquals(PairKind.HOST_LAN, s.kind(), s.toString());
            }
        }
    }

    @Test
    void ipv6HostsBehindStatefulFirewallsConnectDirectly() {
        for (long seed = 1; seed <= 5; seed++) {
            NatWorld w = NatWorld.ipv6Firewalls(seed, DELAY);
            w.startPunch(w.a, PUNCH_TIMEOUT);
            w.net.runFor(Duration.ofMillis(700));
            w.startPunch(w.b, PUNCH_TIMEOUT);
            w.net.runUntilOrFail(w::bothDone, Duration.ofSeconds(15), "both punches end");
            assertEquals(w.b.endpoint.address(), w.a.punch.join().stats().remoteAddress());
            assertEquals(PairKind.IPV6, w.a.endpoint.core().punchStats().get(0).kind());
        }
    }

    @Test
    void timeToConnectWith25msOneWayDelayIsWithinThreeRoundTripsAnd50ms() {
        List<Long> millis = new ArrayList<>();
        for (long seed = 1; seed <= 21; seed++) {
            NatWorld w = NatWorld.separate(seed, Router.PORT_RESTRICTED, Router.PORT_RESTRICTED, Duration.ofMillis(25));
            boolean aFirst = seed % 2 == 0;
            w.startPunch(aFirst ? w.a : w.b, PUNCH_TIMEOUT);
            w.net.runFor(Duration.ofMillis(1000 + 37 * seed));
            long start = w.net.nowNanos();
            w.startPunch(aFirst ? w.b : w.a, PUNCH_TIMEOUT);
            w.net.runUntilOrFail(w::bothGotFirstByte, Duration.ofSeconds(15), "first bytes both ways");
            long done = Math.max(w.a.firstByteAtNanos, w.b.firstByteAtNanos);
            millis.add((done - start) / 1_000_000);
        }
        Collections.sort(millis);
        long median = millis.get(millis.size() / 2);
        System.out.println("time to connect, 25 ms one way, ms from the second side's start: " + millis
                + " median " + median);
        assertTrue(median <= 3 * 50 + 50, "median " + median + " ms: " + millis);
    }

    @Test
    void aReplayedProbeFromAnUnlistedAddressNeverDrawsTheHandshake() {
        // Someone who sees the peers' probes resends each request, unchanged (its tag still
        // verifies), from an address of its own, over a faster link so that the copy arrives first.
        // The controlling side may start the handshake on a request without checking the pair
        // itself, but only when the request comes from an address the partner's record names.
        InetSocketAddress replayer = Payloads.address("198.51.100.99", 7777);
        for (long seed = 1; seed <= 6; seed++) {
            NatWorld w = NatWorld.separate(seed, Router.FULL_CONE, Router.FULL_CONE, Duration.ofMillis(25));
            List<Integer> handshakesToReplayer = new ArrayList<>();
            int[] replayed = new int[1];
            w.net.addTap((now, d, injector) -> {
                byte[] p = d.payload();
                if (d.to().equals(replayer) && (p[0] & 0xff) == Packets.TYPE_INIT_IK) {
                    handshakesToReplayer.add(p.length);
                }
                boolean request = p.length == Probe.LENGTH && (p[0] & 0xff) == Packets.TYPE_PROBE
                        && (p[2] & Probe.FLAG_RESPONSE) == 0;
                if (request && !d.from().equals(replayer)) {
                    w.net.link(replayer, d.to(), LinkConditions.builder().delay(Duration.ofMillis(1)).build());
                    injector.inject(new Datagram(replayer, d.to(), p), now);
                    replayed[0]++;
                }
                return true;
            });
            w.startPunch(w.a, PUNCH_TIMEOUT);
            w.startPunch(w.b, PUNCH_TIMEOUT);
            w.net.runUntilOrFail(w::bothGotFirstByte, Duration.ofSeconds(15), "first bytes both ways, seed " + seed);
            assertTrue(replayed[0] > 0, "requests were replayed");
            assertEquals(List.of(), handshakesToReplayer, "seed " + seed + ": INITs sent to the replaying address");
            for (NatWorld.Peer p : List.of(w.a, w.b)) {
                assertFalse(p.punch.join().stats().remoteAddress().equals(replayer), "seed " + seed);
            }
        }
    }

    @Test
    void aTransferFinishesIntactWhenBothRoutersForgetTheirMappingsMidway() throws Exception {
        NatWorld w = NatWorld.separate(31, Router.PORT_RESTRICTED, Router.PORT_RESTRICTED, DELAY);
        w.startPunch(w.a, PUNCH_TIMEOUT);
        w.startPunch(w.b, PUNCH_TIMEOUT);
        w.net.runUntilOrFail(w::bothGotFirstByte, Duration.ofSeconds(15), "punch and first bytes");
        Connection ca = w.a.punch.join();
        Connection cb = w.b.punch.join();
        SrudpStream out = ca.openStream();
        CompletableFuture<SrudpStream> incoming = cb.acceptStreamAsync();
        out.tryWrite(ByteBuffer.allocate(0));
        long total = 8L << 20;
        Transfer.Pending pending = new Transfer.Pending(out, incoming, total, 31);
        boolean flushed = false;
        long deadline = w.net.nowNanos() + Duration.ofSeconds(120).toNanos();
        while (!pending.pump()) {
            assertTrue(w.net.nowNanos() < deadline, "transfer stuck: " + pending.progress() + "; " + w.net.describe());
            if (!flushed && pending.transfer() != null && pending.transfer().bytesRead() > total / 3) {
                // conntrack -F on both routers
                w.a.nat().flush();
                w.b.nat().flush();
                flushed = true;
            }
            w.net.runFor(Duration.ofMillis(1));
        }
        assertTrue(flushed);
        assertTrue(pending.transfer().intact(), "the transfer arrives intact");
        assertTrue(ca.isOpen() && cb.isOpen(), "the connection survives");
        assertEquals(1, w.a.endpoint.core().connectionCount());
        assertTrue(w.a.nat().mappingsCreated() >= 2, "the mapping was made again");
    }

    private static String reason(NatWorld.Peer p) {
        return p.outcome();
    }

    private static String outcome(NatWorld w) {
        return "a: " + reason(w.a) + "; b: " + reason(w.b) + "; " + w.net.describe();
    }
}
