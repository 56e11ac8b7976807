package dev.srudp.core.record;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address where a peer may be reached, and how the peer learned it.
 *
 * @param kind how the address was learned
 * @param address a resolved IPv4 or IPv6 address with a port in 1-65535
 */
public record Candidate(CandidateKind kind, InetSocketAddress address) {
    /** Checks that the address is resolved and has a non-zero port. */
    public Candidate {
        Objects.requireNonNull(kind, "kind");
        EndpointRecord.requireUsable(address, "candidate address");
    }
}
