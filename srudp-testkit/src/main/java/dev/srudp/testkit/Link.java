package dev.srudp.testkit;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One direction of the path between two addresses: its conditions, its own random stream, its
 * transmit queue and its counters.
 *
 * <p>The random stream is derived from the network's seed and the two addresses only, so adding a
 * link, or traffic on another link, never changes what happens on this one.
 */
final class Link {

    /** IPv4 (20) plus UDP (8) header bytes. */
    static final int IPV4_UDP_OVERHEAD_BYTES = 28;
    /** IPv6 (40) plus UDP (8) header bytes. */
    static final int IPV6_UDP_OVERHEAD_BYTES = 48;

    record Key(InetSocketAddress from, InetSocketAddress to) {
    }

    final Key key;
    final SplittableRandom random;
    final Counters counters = new Counters();
    final int headerOverheadBytes;
    LinkConditions conditions;
    /** When the transmit queue finishes serializing the last packet it accepted; 0 (before any virtual time) when idle. */
    long busyUntilNanos;
    /** Arrival time of the last packet that was not deliberately reordered, so jitter keeps FIFO; 0 before the first. */
    long lastInOrderArrivalNanos;

    Link(Key key, LinkConditions conditions, long networkSeed) {
        this.key = key;
        this.conditions = conditions;
        this.random = new SplittableRandom(mix64(networkSeed ^ mix64(stableHash(key.from()) * 31 + stableHash(key.to()))));
        this.headerOverheadBytes = key.to().getAddress() instanceof Inet6Address
                ? IPV6_UDP_OVERHEAD_BYTES : IPV4_UDP_OVERHEAD_BYTES;
    }

    /** A hash of an address that is the same in every JVM run (unlike identity-based hashes). */
    private static long stableHash(InetSocketAddress address) {
        byte[] bytes = address.getAddress() != null
                ? address.getAddress().getAddress()
                : address.getHostString().getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return (h ^ address.getPort()) * 0x100000001b3L;
    }

    /** The finalizer of SplitMix64. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
