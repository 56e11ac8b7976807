package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TapAndMiddleboxTest {

    private static final InetSocketAddress A = address("192.0.2.1", 5000);
    private static final InetSocketAddress B = address("192.0.2.2", 6000);
    private static final long START = VirtualClock.START_NANOS;
    private static final long MILLIS = 1_000_000L;

    private final SimNetwork network = new SimNetwork(5, LinkConditions.PERFECT);
    private final Recorder b = new Recorder(B);

    @Test
    void tapSeesEveryDatagramEnteringTheNetwork() {
        List<Datagram> seen = new ArrayList<>();
        network.addTap((now, d, injector) -> seen.add(d));
        network.attach(new PacedSender(A, B, 5, 8, MILLIS), A);
        network.attach(b, B);
        network.runFor(Duration.ofMillis(100));
        assertEquals(5, seen.size());
        assertEquals(A, seen.get(0).from());
        assertEquals(3, Payloads.sequence(seen.get(3).payload()));
    }

    @Test
    void tapCanDropDatagrams() {
        network.addTap((now, d, injector) -> Payloads.sequence(d.payload()) % 2 == 1);
        network.attach(new PacedSender(A, B, 10, 8, MILLIS), A);
        network.attach(b, B);
        network.runFor(Duration.ofMillis(100));
        assertEquals(List.of(1, 3, 5, 7, 9), b.sequences());
        assertEquals(5, network.stats().droppedByTap());
    }

    @Test
    void tapCanReplayADatagramLater() {
        network.addTap((now, d, injector) -> {
            if (Payloads.sequence(d.payload()) == 0) {
                injector.inject(d, now + 50 * MILLIS);
            }
            return true;
        });
        network.attach(new PacedSender(A, B, 3, 8, MILLIS), A);
        network.attach(b, B);
        network.runFor(Duration.ofMillis(100));
        assertEquals(List.of(0, 1, 2, 0), b.sequences());
        assertEquals(START + 51 * MILLIS, b.arrivals().get(3).timeNanos());
        assertEquals(b.arrivals().get(0).payloadHash(), b.arrivals().get(3).payloadHash());
        assertEquals(1, network.stats().injected());
    }

    @Test
    void tapCanInjectModifiedAndReflectedDatagrams() {
        PacedSender sender = new PacedSender(A, B, 1, 8, MILLIS);
        network.addTap((now, d, injector) -> {
            byte[] tampered = d.payload();
            tampered[0] = 0x7f;
            injector.inject(d.withPayload(tampered), now);
            injector.inject(d.reflected(), now);
            return true;
        });
        network.attach(sender, A);
        network.attach(b, B);
        network.runFor(Duration.ofMillis(100));
        assertEquals(List.of(0, 0x7f000000), b.sequences());
        assertEquals(1, sender.arrivals().size());
        assertEquals(B, sender.arrivals().get(0).from());
    }

    @Test
    void injectedDatagramsMayCarryASpoofedSource() {
        InetSocketAddress spoofed = address("203.0.113.66", 666);
        network.attach(b, B);
        network.inject(new Datagram(spoofed, B, Payloads.numbered(7, 8)), START + 2 * MILLIS);
        network.runFor(Duration.ofMillis(10));
        assertEquals(spoofed, b.arrivals().get(0).from());
        assertEquals(START + 3 * MILLIS, b.arrivals().get(0).timeNanos());
    }

    /** Publishes a private address under a public one: the seam a NAT box will use. */
    private record PortForward(InetSocketAddress inside, InetSocketAddress outside) implements Middlebox {
        @Override
        public Datagram outbound(Datagram d, long nowNanos) {
            return d.from().equals(inside) ? d.withFrom(outside) : d;
        }

        @Override
        public Datagram inbound(Datagram d, long nowNanos) {
            return d.to().equals(outside) ? d.withTo(inside) : d;
        }
    }

    @Test
    void middleboxRewritesAddressesBetweenAPrivateAndAPublicSide() {
        InetSocketAddress inside = address("10.0.0.2", 5000);
        InetSocketAddress outside = address("203.0.113.1", 40_000);
        network.addMiddlebox(new PortForward(inside, outside));
        List<Datagram> onTheWire = new ArrayList<>();
        network.addTap((now, d, injector) -> onTheWire.add(d));
        Recorder privateHost = new Recorder(inside);
        Recorder publicHost = new Recorder(B, true);
        network.attach(privateHost, inside);
        network.attach(publicHost, B);

        privateHost.send(B, Payloads.numbered(1, 8));
        network.runFor(Duration.ofMillis(10));

        assertEquals(outside, publicHost.arrivals().get(0).from());
        assertEquals(inside, privateHost.arrivals().get(0).local());
        assertEquals(B, privateHost.arrivals().get(0).from());
        assertEquals(List.of(outside, B), onTheWire.stream().map(Datagram::from).toList());
        assertEquals(1, network.linkStats(B, outside).delivered());
    }

    @Test
    void middleboxCanDropDatagramsInEitherDirection() {
        Middlebox firewall = new Middlebox() {
            @Override
            public Datagram inbound(Datagram d, long nowNanos) {
                return d.to().getPort() == 6000 ? null : d;
            }
        };
        network.addMiddlebox(firewall);
        network.attach(new PacedSender(A, B, 3, 8, MILLIS), A);
        network.attach(b, B);
        network.runFor(Duration.ofMillis(100));
        assertTrue(b.arrivals().isEmpty());
        assertEquals(3, network.linkStats(A, B).droppedByMiddlebox());
    }
}
