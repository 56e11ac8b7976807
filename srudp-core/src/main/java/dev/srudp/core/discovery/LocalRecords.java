package dev.srudp.core.discovery;

import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.LocalIdentity;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds this peer's own endpoint record from the addresses its endpoint is bound to. */
public final class LocalRecords {
    /** How long a record passed by hand stays valid unless configured otherwise. */
    public static final Duration MANUAL_VALIDITY = Duration.ofHours(24);

    private LocalRecords() {
    }

    /**
     * A record listing host candidates: each bound address, or for a wildcard bind every usable
     * address of the machine's interfaces (loopback last, link-local left out), all with the
     * bound port. The sequence number is the issue time in milliseconds, so a later record always
     * supersedes an earlier one.
     */
    public static EndpointRecord describe(LocalIdentity local, List<InetSocketAddress> bound, Instant now,
            Duration validity) throws IOException {
        EndpointRecord.Builder b = EndpointRecord.builder(local);
        int count = 0;
        for (InetSocketAddress a : bound) {
            List<InetAddress> addresses = a.getAddress().isAnyLocalAddress()
                    ? interfaceAddresses(a.getAddress() instanceof Inet6Address) : List.of(a.getAddress());
            for (InetAddress address : addresses) {
                if (count++ < EndpointRecord.MAX_CANDIDATES) {
                    b.addCandidate(CandidateKind.HOST, new InetSocketAddress(address, a.getPort()));
                }
            }
        }
        return b.sequence(now.toEpochMilli()).validFor(now, validity).build();
    }

    private static List<InetAddress> interfaceAddresses(boolean includeIpv6) throws IOException {
        List<InetAddress> usable = new ArrayList<>();
        List<InetAddress> loopback = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                if (address.isLinkLocalAddress() || (address instanceof Inet6Address && !includeIpv6)) {
                    continue;
                }
                (address.isLoopbackAddress() ? loopback : usable).add(address);
            }
        }
        loopback.sort((x, y) -> Boolean.compare(x instanceof Inet6Address, y instanceof Inet6Address));
        usable.addAll(loopback);
        return usable;
    }
}
