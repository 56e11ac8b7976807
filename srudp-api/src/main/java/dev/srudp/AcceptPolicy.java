package dev.srudp;

import java.util.Set;

/** Decides which authenticated peers may open connections to this endpoint. */
@FunctionalInterface
public interface AcceptPolicy {

    /** Admits every authenticated peer. */
    AcceptPolicy ANYONE = peer -> true;

    /** Admits no incoming connection (outgoing connections still work). */
    AcceptPolicy NOBODY = peer -> false;

    /** Whether {@code peer} (already authenticated) may connect. */
    boolean admits(PeerId peer);

    /** Admits exactly the given identities. */
    static AcceptPolicy allowList(Set<PeerId> peers) {
        Set<PeerId> copy = Set.copyOf(peers);
        return copy::contains;
    }
}
