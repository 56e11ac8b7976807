package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.EventListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostileInputSimulationTest {
    private static final int TYPE_DATA = 0xD0;
    private static final int TYPE_INIT_IK = 0xC1;

    /** Counts drops by reason on both endpoints. */
    static final class DropCounter implements EventListener {
        final Map<String, AtomicLong> reasons = new ConcurrentHashMap<>();

        @Override
        public void datagramDropped(InetSocketAddress from, String reason) {
            reasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        }

        long count(String reason) {
            AtomicLong n = reasons.get(reason);
            return n == null ? 0 : n.get();
        }

        long total() {
            return reasons.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    @Test
    void replayedTamperedTruncatedAndReflectedPacketsAreDroppedAndCountedWhileTheTransferGoesOn() throws Exception {
        DropCounter drops = new DropCounter();
        EndpointConfig config = EndpointConfig.builder().eventListener(drops).build();
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(5)).build();
        Pair p = new Pair(7, link, config).connect();
        SplittableRandom random = new SplittableRandom(99);
        AtomicLong replayed = new AtomicLong();
        AtomicLong tampered = new AtomicLong();
        AtomicLong truncated = new AtomicLong();
        AtomicLong reflected = new AtomicLong();
        p.net.addTap((now, d, injector) -> {
            byte[] b = d.payload();
            if ((b[0] & 0xff) != TYPE_DATA) {
                return true;
            }
            switch (random.nextInt(8)) {
                case 0 -> {
                    // the original arrives first: the copy, 30 ms later, is a replay
                    injector.inject(d, now + 30_000_000L);
                    replayed.incrementAndGet();
                }
                case 1 -> {
                    byte[] t = b.clone();
                    int at = 17 + random.nextInt(t.length - 17);
                    t[at] ^= (byte) (1 << random.nextInt(8));
                    injector.inject(d.withPayload(t), now);
                    tampered.incrementAndGet();
                    return false; // the tampered packet replaces the original, which is then lost
                }
                case 2 -> {
                    byte[] t = java.util.Arrays.copyOf(b, random.nextInt(b.length));
                    if (t.length == 0) {
                        return true;
                    }
                    injector.inject(d.withPayload(t), now);
                    truncated.incrementAndGet();
                    return false;
                }
                case 3 -> {
                    injector.inject(d.reflected(), now + 1_000_000L);
                    reflected.incrementAndGet();
                }
                default -> {
                }
            }
            return true;
        });
        Transfer t = p.transfer(2 << 20, Duration.ofMinutes(5));
        assertTrue(t.intact(), p.net.describe());
        // let the last hostile copies arrive
        p.net.runFor(Duration.ofMillis(100));
        assertTrue(p.clientConnection.isOpen() && p.serverConnection.isOpen(), "the connection must survive");
        long injected = replayed.get() + tampered.get() + truncated.get() + reflected.get();
        assertTrue(replayed.get() > 100 && tampered.get() > 100 && truncated.get() > 100 && reflected.get() > 100,
                "each kind of hostile packet was exercised");
        assertEquals(injected, drops.total(), "every hostile datagram is dropped and counted: " + drops.reasons);
        assertEquals(replayed.get(), drops.count("replayed"), drops.reasons.toString());
        assertEquals(tampered.get() + truncated.get(), drops.count("authentication failed") + drops.count("truncated")
                + drops.count("truncated packet"), drops.reasons.toString());
        assertTrue(drops.count("authentication failed") >= tampered.get(), drops.reasons.toString());
        assertEquals(reflected.get(), drops.count("unknown connection"), drops.reasons.toString());
        assertEquals(injected, p.client.dropped() + p.server.dropped());
    }

    @Test
    void aReplayedFirstHandshakeMessageNeitherDisturbsTheSessionNorCreatesAConnection() throws Exception {
        Pair p = new Pair(11, LinkConditions.builder().delay(Duration.ofMillis(5)).build());
        byte[][] init = new byte[1][];
        p.net.addTap((now, d, injector) -> {
            if ((d.payload()[0] & 0xff) == TYPE_INIT_IK && init[0] == null) {
                init[0] = d.payload();
            }
            return true;
        });
        p.connect();
        CompletableFuture<Connection> second = p.server.accept();
        for (int i = 0; i < 3; i++) {
            p.net.inject(new Datagram(Pair.CLIENT, Pair.SERVER, init[0]), p.net.nowNanos() + 1_000_000L);
            p.net.inject(new Datagram(new InetSocketAddress("198.51.100.66", 1234), Pair.SERVER, init[0]),
                    p.net.nowNanos() + 2_000_000L);
        }
        p.net.runFor(Duration.ofSeconds(2));
        assertFalse(second.isDone(), "a replayed first message must not produce a connection");
        assertNull(second.getNow(null));
        Transfer t = p.transfer(256 << 10, Duration.ofMinutes(1));
        assertTrue(t.intact(), "the established session carries on");
        assertEquals(1, p.server.core().connectionCount());
    }

    @Test
    void handshakeCompletesUnderThirtyPercentLoss() {
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(20)).lossProbability(0.3).build();
        for (long seed = 1; seed <= 10; seed++) {
            Pair p = new Pair(seed, link);
            p.connect();
            assertTrue(p.clientConnection.isOpen() && p.serverConnection.isOpen(), "seed " + seed);
        }
    }
}
