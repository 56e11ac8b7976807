package dev.srudp.core;

import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
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
        return new UdpEndpoint(identity, DhKeyPair.generate(random), config, random);
    }

    /** Opens an endpoint with a new, throwaway identity. */
    public static Endpoint open(EndpointConfig config) throws IOException {
        return open(Identity.generate(new SecureRandom()), config);
    }
}
