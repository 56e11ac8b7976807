package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HandshakeFloodSimulationTest {
    private static final int FLOOD = 100_000;

    /** An INIT_XX as the wire format has it: any 32 bytes make a plausible ephemeral key. */
    private static byte[] spoofedInit(SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(1200);
        b.put((byte) 0xC2).put((byte) 1).putLong(random.nextLong()).put((byte) 0).putShort((short) 32);
        byte[] e = new byte[32];
        random.nextBytes(e);
        b.put(e);
        return b.array();
    }

    @Test
    void aFloodOfSpoofedHandshakesKeepsMemoryBoundedAndALegitimatePeerStillConnects() {
        EndpointConfig serverConfig = EndpointConfig.builder().handshakeLoadThreshold(200)
                .handshakeTimeout(Duration.ofSeconds(5)).build();
        SimNetwork net = new SimNetwork(51, LinkConditions.builder().delay(Duration.ofMillis(10)).build());
        SimEndpoint server = SimEndpoint.create(net, Pair.SERVER, serverConfig, 5100);
        SimEndpoint client = SimEndpoint.create(net, Pair.CLIENT, EndpointConfig.defaults(), 5101);

        Map<InetSocketAddress, long[]> traffic = new HashMap<>(); // address -> {bytes from it, bytes to it}
        net.addTap((now, d, injector) -> {
            if (d.to().equals(Pair.SERVER)) {
                traffic.computeIfAbsent(d.from(), k -> new long[2])[0] += d.length();
            } else if (d.from().equals(Pair.SERVER)) {
                traffic.computeIfAbsent(d.to(), k -> new long[2])[1] += d.length();
            }
            return true;
        });

        SplittableRandom random = new SplittableRandom(7);
        int maxPending = 0;
        int maxConnections = 0;
        CompletableFuture<Connection> accepted = server.accept();
        CompletableFuture<Connection> legit = null;
        for (int i = 0; i < FLOOD; i++) {
            InetSocketAddress spoofed = new InetSocketAddress("198.51.100." + (2 + random.nextInt(250)),
                    1024 + random.nextInt(60000));
            // the tap does not see injected datagrams: count them here
            traffic.computeIfAbsent(spoofed, k -> new long[2])[0] += 1200;
            net.inject(new Datagram(spoofed, Pair.SERVER, spoofedInit(random)), net.nowNanos());
            if (i % 1000 == 999) {
                net.runFor(Duration.ofMillis(5));
                maxPending = Math.max(maxPending, server.core().pendingHandshakes());
                maxConnections = Math.max(maxConnections, server.core().connectionCount());
            }
            if (i == FLOOD / 2) {
                legit = client.connect(server.addressWithKey());
            }
        }
        CompletableFuture<Connection> connected = legit;
        net.runUntilOrFail(() -> connected.isDone() && accepted.isDone(), Duration.ofSeconds(10), "legitimate peer");
        assertEquals(client.peerId(), accepted.join().peer());
        assertTrue(maxPending <= 200 + 1, "pending handshakes stayed bounded: " + maxPending);
        assertTrue(maxConnections <= 200 + 2, "connection state stayed bounded: " + maxConnections);
        for (Map.Entry<InetSocketAddress, long[]> e : traffic.entrySet()) {
            if (!e.getKey().equals(Pair.CLIENT)) {
                long[] t = e.getValue();
                assertTrue(t[1] <= 3 * t[0], "amplification to " + e.getKey() + ": sent " + t[1] + " for " + t[0]);
            }
        }
        net.runFor(Duration.ofSeconds(10));
        assertEquals(1, server.core().connectionCount(), "spoofed handshakes expire");
    }
}
