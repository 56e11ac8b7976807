package dev.srudp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A local srudp endpoint: an identity, one or more bound UDP sockets, and the connections made
 * through them. One protocol loop thread per endpoint owns all connection state; application
 * threads block on streams or receive completed futures.
 *
 * <p>Closing the endpoint closes every connection (the peers are told) and releases the sockets.
 */
public interface Endpoint extends AutoCloseable {

    /** This endpoint's identity. */
    PeerId identity();

    /** This endpoint's handshake key, certified by its identity, for peers to connect with Noise IK. */
    CertifiedKey certifiedKey();

    /** The local socket addresses the endpoint is bound to (with the actual ports). */
    List<InetSocketAddress> localAddresses();

    /**
     * This endpoint's server-reflexive addresses: where the NATs in front of it map its sockets,
     * as the configured STUN servers ({@link EndpointConfig.Builder#stunServers}) last saw them.
     * Empty when no server is configured or none answered.
     */
    default List<InetSocketAddress> reflexiveAddresses() {
        return List.of();
    }

    /**
     * Asks the configured STUN servers now (or joins the round that is running, such as the
     * first one after opening) and completes with the reflexive addresses found; a server that
     * does not answer is given up after a few seconds. Completes with an empty list when no
     * server is configured.
     */
    default CompletableFuture<List<InetSocketAddress>> refreshReflexiveAddresses() {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Runs {@code listener} (never on the protocol loop) whenever the reflexive addresses change,
     * so that a published record can be issued anew.
     */
    default void addAddressListener(Runnable listener) {
    }

    /**
     * Opens a connection to a peer, blocking until the handshake completes.
     *
     * @throws AuthenticationException if the peer is not who was expected
     * @throws ConnectionTimeoutException if the peer did not answer within the handshake timeout
     * @throws VersionMismatchException if the peer speaks no common protocol version
     */
    Connection connect(PeerAddress peer) throws IOException, InterruptedException;

    /** Opens a connection asynchronously; the future fails with the exceptions of {@link #connect}. */
    CompletableFuture<Connection> connectAsync(PeerAddress peer);

    /**
     * Follows a partner found through a peer directory: a rendezvous string as an {@code srudp:}
     * URI, a {@code file:} URI of a file the partner keeps its string in, or another directory's
     * address. The directory provider is chosen by the URI's scheme among those on the class path.
     *
     * @throws IllegalArgumentException if no provider serves the URI's scheme
     */
    default PartnerLink follow(URI partner) throws IOException {
        return follow(partner, java.util.Map.of());
    }

    /**
     * Follows a partner as {@link #follow(URI)} does, creating the directory with
     * provider-specific settings (for example an Autonomi gateway's address).
     */
    PartnerLink follow(URI partner, java.util.Map<String, String> directorySettings) throws IOException;

    /**
     * Connects to a partner found through a peer directory and keeps following it (see
     * {@link #follow}), waiting up to the handshake timeout for the first connection.
     */
    default Connection connect(URI partner) throws IOException, InterruptedException {
        PartnerLink link = follow(partner);
        try {
            return link.awaitConnection(handshakeTimeout());
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** The configured handshake timeout. */
    java.time.Duration handshakeTimeout();

    /** Waits for the next incoming connection the acceptance policy admits. */
    Connection accept() throws IOException, InterruptedException;

    /** The next incoming connection, asynchronously. */
    CompletableFuture<Connection> acceptAsync();

    /** Closes every connection and the sockets. Idempotent. */
    @Override
    void close();
}
