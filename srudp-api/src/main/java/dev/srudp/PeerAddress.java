package dev.srudp;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to reach a peer and what to expect of it.
 *
 * <ul>
 *   <li>{@link #of(InetSocketAddress, CertifiedKey)}: the peer's certified handshake key is known
 *       (from its endpoint record); the handshake is Noise IK and application data flows after one
 *       round trip. If the peer has since changed its key, the endpoint falls back to XX and
 *       still insists on the same identity.</li>
 *   <li>{@link #of(InetSocketAddress, PeerId)}: only the identity is known; the handshake is Noise
 *       XX and the identity is checked when it completes.</li>
 *   <li>{@link #anyone(InetSocketAddress)}: nothing is known; whoever answers is accepted and
 *       reported by {@link Connection#peer()}. Use only where the application authenticates the
 *       peer itself.</li>
 * </ul>
 */
public final class PeerAddress {
    private final InetSocketAddress address;
    private final PeerId identity;
    private final CertifiedKey certifiedKey;

    private PeerAddress(InetSocketAddress address, PeerId identity, CertifiedKey certifiedKey) {
        this.address = Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("peer address is unresolved: " + address);
        }
        this.identity = identity;
        this.certifiedKey = certifiedKey;
    }

    /** A peer whose certified handshake key is known. */
    public static PeerAddress of(InetSocketAddress address, CertifiedKey key) {
        Objects.requireNonNull(key, "key");
        return new PeerAddress(address, key.identity(), key);
    }

    /** A peer whose identity is known but not its handshake key. */
    public static PeerAddress of(InetSocketAddress address, PeerId identity) {
        return new PeerAddress(address, Objects.requireNonNull(identity, "identity"), null);
    }

    /** Any peer that answers at this address. */
    public static PeerAddress anyone(InetSocketAddress address) {
        return new PeerAddress(address, null, null);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The identity the peer must prove, if any. */
    public Optional<PeerId> identity() {
        return Optional.ofNullable(identity);
    }

    /** The certified handshake key, if known. */
    public Optional<CertifiedKey> certifiedKey() {
        return Optional.ofNullable(certifiedKey);
    }

    @Override
    public String toString() {
        return (identity == null ? "anyone" : identity.toString()) + "@" + address;
    }
}
