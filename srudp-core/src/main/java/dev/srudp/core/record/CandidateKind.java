package dev.srudp.core.record;

/** How a peer learned one of its candidate addresses. */
public enum CandidateKind {
    /** An address of one of the peer's own interfaces. */
    HOST,
    /** The peer's address as a remote observer saw it (server-reflexive). */
    REFLEXIVE,
    /** A port mapping the peer opened on its router (UPnP, NAT-PMP, PCP). */
    MAPPED,
    /** An address at a gate that forwards to the peer. */
    GATE,
    /** An address at a relay that carries the peer's traffic. */
    RELAY
}
