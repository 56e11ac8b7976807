package dev.srudp.core;

import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.record.IdentityStore;
import dev.srudp.core.record.LocalIdentity;
import dev.srudp.core.record.SequenceStore;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Opens srudp endpoints on real UDP sockets.
 *
 * <pre>{@code
 * try (Endpoint server = Srudp.open(Identity.generate(new SecureRandom()), EndpointConfig.defaults())) {
 *     Connection c = server.accept();
 *     ...
 * }
 * }</pre>
 */
public final class Srudp {
    private Srudp() {
    }

    /**
     * Opens an endpoint with a long-term identity. A fresh X25519 handshake key is made and certified
     * by the identity for the lifetime of the endpoint.
     */
    public static Endpoint open(Identity identity, EndpointConfig config) throws IOException {
        SecureRandom random = new SecureRandom();
        return new UdpEndpoint(identity, DhKeyPair.generate(random), config, random, SequenceStore.inMemory());
    }

    /**
     * Opens an endpoint with a stored identity ({@link IdentityStore}): its handshake key is the
     * stored one, so partners that pinned it keep using one-round-trip handshakes, and the sequence
     * numbers of partners' records are remembered across restarts.
     */
    public static Endpoint open(IdentityStore store, LocalIdentity local, EndpointConfig config) throws IOException {
        return new UdpEndpoint(local.identity(), local.staticKey(), config, new SecureRandom(), store.sequences());
    }

    /** Opens an endpoint with a new, throwaway identity. */
    public static Endpoint open(EndpointConfig config) throws IOException {
        return open(Identity.generate(new SecureRandom()), config);
    }
}
