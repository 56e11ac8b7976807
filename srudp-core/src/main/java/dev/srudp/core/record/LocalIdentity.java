package dev.srudp.core.record;

import dev.srudp.CertifiedKey;
import dev.srudp.PeerId;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.crypto.StaticKeyCertificate;
import java.util.Objects;

/**
 * This peer's own keys as kept by an {@link IdentityStore}: the Ed25519 identity, the X25519
 * static handshake key it certifies, and the UDP port the endpoint binds by default.
 *
 * <p>All three survive restarts, so partners that pinned the {@link #certifiedKey()} keep using
 * the one-round-trip IK handshake, and a rendezvous string naming the port stays valid.
 */
public final class LocalIdentity {
    private final Identity identity;
    private final DhKeyPair staticKey;
    private final StaticKeyCertificate certificate;
    private final int defaultPort;
    private final PeerId peerId;

    LocalIdentity(Identity identity, DhKeyPair staticKey, int defaultPort) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.staticKey = Objects.requireNonNull(staticKey, "staticKey");
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("a UDP port is 1-65535, got " + defaultPort);
        }
        // Ed25519 signatures are deterministic: the same keys give the same certificate every run.
        this.certificate = identity.certify(staticKey.publicKey());
        this.defaultPort = defaultPort;
        this.peerId = PeerId.of(identity.publicKey());
    }

    /** The Ed25519 identity; it signs endpoint records and certificates. */
    public Identity identity() {
        return identity;
    }

    /** The X25519 static key used in Noise handshakes. */
    public DhKeyPair staticKey() {
        return staticKey;
    }

    /** The identity's certificate over {@link #staticKey()}'s public key. */
    public StaticKeyCertificate certificate() {
        return certificate;
    }

    /** The same certificate as the API type that {@link dev.srudp.PeerAddress} carries. */
    public CertifiedKey certifiedKey() {
        return CertifiedKey.fromEncoded(certificate.encode());
    }

    /** The UDP port chosen at creation (20000-60000) and kept since. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The peer ID derived from the identity public key. */
    public PeerId peerId() {
        return peerId;
    }

    /** The short fingerprint of {@link #peerId()}; see {@link Fingerprint}. */
    public String fingerprint() {
        return Fingerprint.of(peerId);
    }

    /** Shows public data only. */
    @Override
    public String toString() {
        return "LocalIdentity[" + peerId + ", fingerprint " + fingerprint() + ", port " + defaultPort + "]";
    }
}
