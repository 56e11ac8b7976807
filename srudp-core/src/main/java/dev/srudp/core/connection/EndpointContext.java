package dev.srudp.core.connection;

import dev.srudp.CertifiedKey;
import dev.srudp.EndpointConfig;
import dev.srudp.EventListener;
import dev.srudp.PeerId;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.crypto.StaticKeyCertificate;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every connection of one endpoint shares: the identity and its certified handshake key,
 * the configuration, and the injected sources of randomness, wall-clock time and callback
 * threads.
 */
public final class EndpointContext {
    /** Bound into every handshake: both sides must speak srudp version 1. */
    static final byte[] PROLOGUE = "srudp/1".getBytes(StandardCharsets.US_ASCII);

    final Identity identity;
    final PeerId localId;
    final DhKeyPair staticKey;
    final StaticKeyCertificate certificate;
    final EndpointConfig config;
    final SecureRandom random;
    final LongSupplier wallClockNanos;
    final Executor callbacks;
    final EventListener listener;

    /**
     * @param staticKey      the X25519 handshake key; it is certified by {@code identity} here
     * @param random         key and connection-ID source (a seeded one in the simulator)
     * @param wallClockNanos nanoseconds since the Unix epoch, for handshake timestamps
     * @param callbacks      where futures complete and asynchronous reads finish (never the loop)
     */
    public EndpointContext(Identity identity, DhKeyPair staticKey, EndpointConfig config, SecureRandom random,
            LongSupplier wallClockNanos, Executor callbacks) {
        this.identity = identity;
        this.localId = PeerId.of(identity.publicKey());
        this.staticKey = staticKey;
        this.certificate = identity.certify(staticKey.publicKey());
        this.config = config;
        this.random = random;
        this.wallClockNanos = wallClockNanos;
        this.callbacks = callbacks;
        this.listener = config.eventListener();
    }

    public PeerId localId() {
        return localId;
    }

    public CertifiedKey certifiedKey() {
        return CertifiedKey.fromEncoded(certificate.encode());
    }

    public EndpointConfig config() {
        return config;
    }

    public Executor callbacks() {
        return callbacks;
    }
}
