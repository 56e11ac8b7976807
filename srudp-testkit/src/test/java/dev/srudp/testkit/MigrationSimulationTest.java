package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import dev.srudp.EventListener;
import dev.srudp.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MigrationSimulationTest {
    private static final InetSocketAddress REBOUND = new InetSocketAddress("198.51.100.1", 41999);
    private static final InetSocketAddress SPOOFED = new InetSocketAddress("198.51.100.200", 666);

    static final class PathEvents implements EventListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void pathValidationStarted(PeerId peer, InetSocketAddress current, InetSocketAddress candidate) {
            events.add("validating " + candidate);
        }

        @Override
        public void pathChanged(PeerId peer, InetSocketAddress oldRemote, InetSocketAddress newRemote) {
            events.add("moved " + oldRemote + " -> " + newRemote);
        }
    }

    /** A NAT that gives the client a new external port at {@code atNanos} and forgets the old one. */
    static final class Rebinding implements Middlebox {
        private final long atNanos;

        Rebinding(long atNanos) {
            this.atNanos = atNanos;
        }

        @Override
        public Datagram outbound(Datagram d, long nowNanos) {
            return nowNanos >= atNanos && d.from().equals(Pair.CLIENT) ? d.withFrom(REBOUND) : d;
        }

        @Override
        public Datagram inbound(Datagram d, long nowNanos) {
            if (d.to().equals(REBOUND)) {
                return d.withTo(Pair.CLIENT);
            }
            if (nowNanos >= atNanos && d.to().equals(Pair.CLIENT)) {
                return null; // the old mapping is gone
            }
            return d;
        }
    }

    @Test
    void aNatRebindingMidTransferLosesNothingAndResetsNoStream() throws Exception {
        PathEvents events = new PathEvents();
        EndpointConfig config = EndpointConfig.builder().eventListener(events).build();
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(15))
                .bandwidthBitsPerSecond(50_000_000L).queueLimitBytes(1 << 20).build();
        Pair p = new Pair(31, link, config).connect();
        p.net.addMiddlebox(new Rebinding(p.net.nowNanos() + Duration.ofMillis(300).toNanos()));
        Transfer t = p.transfer(8 << 20, Duration.ofMinutes(2));
        assertTrue(t.intact(), p.net.describe());
        assertTrue(p.clientConnection.isOpen() && p.serverConnection.isOpen());
        assertTrue(events.events.contains("moved " + Pair.CLIENT + " -> " + REBOUND), events.events.toString());
        assertEquals(REBOUND, p.serverConnection.stats().remoteAddress());
    }

    @Test
    void aSpoofedSourceAddressCannotRedirectTheConnectionAndGetsAtMostThreeTimesWhatItSent() throws Exception {
        PathEvents events = new PathEvents();
        EndpointConfig config = EndpointConfig.builder().eventListener(events).build();
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(15)).build();
        Pair p = new Pair(32, link, config).connect();
        AtomicLong fromSpoofed = new AtomicLong();
        AtomicLong toSpoofed = new AtomicLong();
        int[] copies = {0};
        p.net.addTap((now, d, injector) -> {
            if (d.to().equals(SPOOFED)) {
                toSpoofed.addAndGet(d.length());
                return false;
            }
            if (d.from().equals(Pair.CLIENT) && (d.payload()[0] & 0xff) == 0xD0 && copies[0]++ % 50 == 0) {
                // an attacker on the path races a copy of the packet from a forged address
                fromSpoofed.addAndGet(d.length());
                injector.inject(d.withFrom(SPOOFED), now);
                injector.inject(d, now + 3_000_000L);
                return false;
            }
            return true;
        });
        Transfer t = p.transfer(2 << 20, Duration.ofMinutes(2));
        p.net.runFor(Duration.ofSeconds(5));
        assertTrue(t.intact());
        assertTrue(events.events.stream().anyMatch(e -> e.startsWith("validating")), events.events.toString());
        assertTrue(events.events.stream().noneMatch(e -> e.startsWith("moved")), events.events.toString());
        assertEquals(Pair.CLIENT, p.serverConnection.stats().remoteAddress());
        assertTrue(toSpoofed.get() > 0, "the forged address was challenged");
        assertTrue(toSpoofed.get() <= 3 * fromSpoofed.get(),
                "sent " + toSpoofed.get() + " bytes to an unvalidated address that sent " + fromSpoofed.get());
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void smallSpoofedPacketsOnAnIdleConnectionAreChallengedWithinTheLimitAndThenForgotten() throws Exception {
        PathEvents events = new PathEvents();
        EndpointConfig config = EndpointConfig.builder().eventListener(events).build();
        Pair p = new Pair(33, LinkConditions.builder().delay(Duration.ofMillis(15)).build(), config).connect();
        p.net.runFor(Duration.ofSeconds(1));
        AtomicLong fromSpoofed = new AtomicLong();
        AtomicLong toSpoofed = new AtomicLong();
        p.net.addTap((now, d, injector) -> {
            if (d.to().equals(SPOOFED)) {
                toSpoofed.addAndGet(d.length());
                return false;
            }
            if (d.from().equals(Pair.CLIENT) && (d.payload()[0] & 0xfe) == 0xD0) {
                fromSpoofed.addAndGet(d.length());
                injector.inject(d.withFrom(SPOOFED), now);
                injector.inject(d, now + 2_000_000L);
                return false;
            }
            return true;
        });
        // one tiny packet: its copy gives the spoofed address an allowance below a padded challenge
        p.clientConnection.sendDatagram(new byte[] {1});
        p.net.runFor(Duration.ofSeconds(20));
        assertTrue(events.events.stream().noneMatch(e -> e.startsWith("moved")), events.events.toString());
        assertTrue(p.serverConnection.isOpen() && p.clientConnection.isOpen());
        assertTrue(toSpoofed.get() > 0, "the spoofed address was challenged");
        assertTrue(toSpoofed.get() <= 3 * fromSpoofed.get(), toSpoofed + " sent for " + fromSpoofed + " received");
    }
}
