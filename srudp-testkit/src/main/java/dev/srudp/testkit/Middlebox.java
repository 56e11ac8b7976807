package dev.srudp.testkit;

/**
 * Something between the nodes and the network that may rewrite or drop datagrams: the seam where
 * NAT boxes and firewalls plug in.
 *
 * <p>A datagram passes {@link #outbound} of every middlebox (in the order they were added) when it
 * leaves its sender, before the taps see it and before the link is chosen by its (possibly
 * rewritten) addresses; and {@link #inbound} of every middlebox when it leaves the link, before
 * the network looks up the node that owns its (possibly rewritten) destination. A middlebox that
 * does not concern a datagram returns it unchanged. Each method returns {@code null} to drop.
 *
 * <p>Both methods run on the simulator's thread with the current virtual time, so a stateful box
 * (a NAT's mappings and their expiry) needs no locking and no clock of its own.
 */
public interface Middlebox {

    /** Processes a datagram leaving its sender; returns it (possibly rewritten) or {@code null} to drop it. */
    default Datagram outbound(Datagram datagram, long nowNanos) {
        return datagram;
    }

    /** Processes a datagram arriving from the network; returns it (possibly rewritten) or {@code null} to drop it. */
    default Datagram inbound(Datagram datagram, long nowNanos) {
        return datagram;
    }
}
