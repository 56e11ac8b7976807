package dev.srudp;

import java.net.InetSocketAddress;

/**
 * Observes what an endpoint does. Methods run on the endpoint's protocol loop: they must be quick
 * and must not block or call back into the endpoint. Every method has an empty default.
 */
public interface EventListener {

    /** Observes nothing. */
    EventListener NONE = new EventListener() {
    };

    /** A handshake started: {@code initiator} is whether this side sent the first message. */
    default void handshakeStarted(InetSocketAddress remote, boolean initiator) {
    }

    /** A handshake completed and the peer is authenticated. */
    default void handshakeCompleted(PeerId peer, InetSocketAddress remote, boolean initiator) {
    }

    /** A handshake failed. */
    default void handshakeFailed(InetSocketAddress remote, String reason) {
    }

    /** A connection ended. */
    default void connectionClosed(PeerId peer, long errorCode, String reason, boolean byPeer) {
    }

    /** A received datagram was dropped, with a short reason ("replayed", "authentication", ...). */
    default void datagramDropped(InetSocketAddress from, String reason) {
    }

    /**
     * Packets from the peer arrived from a new address; the endpoint challenges that address before
     * it sends there.
     */
    default void pathValidationStarted(PeerId peer, InetSocketAddress current, InetSocketAddress candidate) {
    }

    /** The peer's address changed and the new path was validated. */
    default void pathChanged(PeerId peer, InetSocketAddress oldRemote, InetSocketAddress newRemote) {
    }

    /**
     * Hole punching toward a partner started with {@code candidatePairs} pairs (each local socket
     * with each of the partner's candidate addresses it can reach).
     */
    default void punchStarted(PeerId peer, int candidatePairs) {
    }

    /**
     * Punching found a direct path: the handshake completed on the pair {@code local -> remote},
     * of the kind {@code pairKind} ("host", "ipv6", "reflexive", "peer-reflexive", "predicted"),
     * {@code elapsedMillis} after punching started, this side having sent {@code probesSent} probes.
     */
    default void punchSucceeded(PeerId peer, InetSocketAddress local, InetSocketAddress remote, String pairKind,
            long elapsedMillis, int probesSent) {
    }

    /** Punching gave up after {@code elapsedMillis}; {@code reason} says what is known about why. */
    default void punchFailed(PeerId peer, String reason, long elapsedMillis, int probesSent) {
    }
}
