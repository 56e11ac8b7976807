package dev.srudp.core.discovery;

import dev.srudp.Endpoint;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.LocalIdentity;
import dev.srudp.core.record.NatHints;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds this peer's own endpoint record: host candidates from the addresses its endpoint is
 * bound to, server-reflexive candidates from STUN, and what is known about its NAT.
 *
 * <p>Which host addresses count (docs/architecture.md, "Candidates"): a socket bound to a
 * specific address gives that address, whatever it is. A socket bound to a wildcard gives every
 * address of the machine's interfaces that are up: IPv4 and, when the socket is an IPv6 (or
 * dual-stack) one, IPv6 global and unique-local addresses. Loopback and link-local addresses are
 * left out unless asked for ({@code includeLocal}), since a partner elsewhere cannot use them;
 * but when the machine has no other address, loopback is listed, so that a record of a machine
 * without a network still names where it listens.
 */
public final class LocalRecords {
    /** How long a record passed by hand stays valid unless configured otherwise. */
    public static final Duration MANUAL_VALIDITY = Duration.ofHours(24);

    private LocalRecords() {
    }

    /**
     * A record listing the host candidates of {@code bound} (loopback and link-local only as
     * described above). The sequence number is the issue time in milliseconds, so a later record
     * always supersedes an earlier one.
     */
    public static EndpointRecord describe(LocalIdentity local, List<InetSocketAddress> bound, Instant now,
            Duration validity) throws IOException {
        return describe(local, hostCandidates(bound, false), NatHints.UNKNOWN, now, validity);
    }

    /** A record with the given candidates (the first {@link EndpointRecord#MAX_CANDIDATES}) and NAT hints. */
    public static EndpointRecord describe(LocalIdentity local, List<Candidate> candidates, NatHints hints, Instant now,
            Duration validity) {
        EndpointRecord.Builder b = EndpointRecord.builder(local).natHints(hints);
        b.candidates(candidates.size() > EndpointRecord.MAX_CANDIDATES
                ? candidates.subList(0, EndpointRecord.MAX_CANDIDATES) : candidates);
        return b.sequence(now.toEpochMilli()).validFor(now, validity).build();
    }

    /**
     * The endpoint's candidates: its host candidates, then its server-reflexive addresses (those
     * not already listed as host candidates, as when there is no NAT).
     */
    public static List<Candidate> candidates(Endpoint endpoint, boolean includeLocal) throws IOException {
        return candidates(endpoint.localAddresses(), endpoint.reflexiveAddresses(), includeLocal);
    }

    /** Host candidates of {@code bound} followed by the {@code reflexive} addresses not among them. */
    public static List<Candidate> candidates(List<InetSocketAddress> bound, List<InetSocketAddress> reflexive,
            boolean includeLocal) throws IOException {
        List<Candidate> all = new ArrayList<>(hostCandidates(bound, includeLocal));
        Set<InetSocketAddress> seen = new LinkedHashSet<>();
        for (Candidate c : all) {
            seen.add(c.address());
        }
        for (InetSocketAddress r : reflexive) {
            if (seen.add(r)) {
                all.add(new Candidate(CandidateKind.REFLEXIVE, r));
            }
        }
        return all;
    }

    /** The host candidates of the bound sockets, with their ports. */
    public static List<Candidate> hostCandidates(List<InetSocketAddress> bound, boolean includeLocal)
            throws IOException {
        List<Candidate> out = new ArrayList<>();
        Set<InetSocketAddress> seen = new LinkedHashSet<>();
        for (InetSocketAddress a : bound) {
            List<InetAddress> addresses = a.getAddress().isAnyLocalAddress()
                    ? interfaceAddresses(a.getAddress() instanceof Inet6Address, includeLocal) : List.of(a.getAddress());
            for (InetAddress address : addresses) {
                InetSocketAddress candidate = new InetSocketAddress(address, a.getPort());
                if (seen.add(candidate)) {
                    out.add(new Candidate(CandidateKind.HOST, candidate));
                }
            }
        }
        return out;
    }

    /**
     * The usable addresses of the interfaces that are up: IPv4 first, then IPv6; loopback and
     * link-local last and only if {@code includeLocal}, or loopback if nothing else is usable.
     */
    static List<InetAddress> interfaceAddresses(boolean includeIpv6, boolean includeLocal) throws IOException {
        List<InetAddress> usable = new ArrayList<>();
        List<InetAddress> local = new ArrayList<>();
        List<InetAddress> loopback = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                if (address instanceof Inet6Address && !includeIpv6) {
                    continue;
                }
                if (address.isLoopbackAddress()) {
                    loopback.add(address);
                } else if (address.isLinkLocalAddress() || address.isAnyLocalAddress()
                        || address.isMulticastAddress()) {
                    local.add(address);
                } else {
                    usable.add(address);
                }
            }
        }
        java.util.Comparator<InetAddress> v4First = (x, y) -> Boolean.compare(x instanceof Inet6Address,
                y instanceof Inet6Address);
        usable.sort(v4First);
        loopback.sort(v4First);
        if (includeLocal) {
            usable.addAll(loopback);
            for (InetAddress a : local) {
                if (a instanceof Inet4Address || a.isLinkLocalAddress()) {
                    usable.add(a);
                }
            }
        } else if (usable.isEmpty()) {
            usable.addAll(loopback);
        }
        return usable;
    }
}
