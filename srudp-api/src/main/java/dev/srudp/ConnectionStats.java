package dev.srudp;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A snapshot of a connection's statistics.
 *
 * @param smoothedRtt        the smoothed round-trip time estimate
 * @param minRtt             the smallest round-trip time seen
 * @param bytesSent          UDP payload bytes sent
 * @param bytesReceived      UDP payload bytes received and authenticated
 * @param packetsSent        packets sent
 * @param packetsReceived    packets received and authenticated
 * @param packetsLost        packets declared lost
 * @param retransmissions    packets that carried retransmitted data
 * @param packetsDropped     received datagrams dropped (failed authentication, replayed, malformed)
 * @param congestionWindow   the current congestion window in bytes
 * @param keyUpdates         how many times this side replaced its sending key
 * @param pathMtu            the largest UDP payload the current path is known to carry
 * @param localAddress       the local socket of the current path
 * @param remoteAddress      the peer's address on the current path
 */
public record ConnectionStats(
        Duration smoothedRtt,
        Duration minRtt,
        long bytesSent,
        long bytesReceived,
        long packetsSent,
        long packetsReceived,
        long packetsLost,
        long retransmissions,
        long packetsDropped,
        long congestionWindow,
        long keyUpdates,
        int pathMtu,
        InetSocketAddress localAddress,
        InetSocketAddress remoteAddress) {
}
