package dev.srudp.core.punch;

/**
 * What kind of path a candidate pair is, which decides its priority: paths that stay inside one
 * network first, then IPv6 (usually no NAT, only a firewall), then paths through NATs.
 */
public enum PairKind {
    /** The partner's host address on a private, loopback, link-local or unique-local network. */
    HOST_LAN("host", 400),
    /** An IPv6 address that is not on a private network. */
    IPV6("ipv6", 300),
    /** The partner's public IPv4 host address (no NAT in front of it). */
    HOST_PUBLIC("host", 250),
    /** An address the partner's probes came from that no candidate named. */
    PEER_REFLEXIVE("peer-reflexive", 220),
    /** The partner's address as seen from outside its NAT (STUN), or a mapped port. */
    REFLEXIVE("reflexive", 200),
    /** A port predicted from the partner's NAT's allocation pattern. */
    PREDICTED("predicted", 100);

    private final String label;
    private final int priority;

    PairKind(String label, int priority) {
        this.label = label;
        this.priority = priority;
    }

    /** The name printed in diagnostics. */
    public String label() {
        return label;
    }

    /** Higher is tried first and preferred. */
    int priority() {
        return priority;
    }
}
