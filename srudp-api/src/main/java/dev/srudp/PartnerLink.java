package dev.srudp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A partner followed through a peer directory ({@link Endpoint#follow}). The endpoint looks the
 * partner's signed record up, connects, and keeps watching: when the connection is lost it
 * connects again, using the newest record the partner published (it moved, it came back online).
 * A connection the partner opens to us while we follow it is delivered here too, not to
 * {@link Endpoint#accept()}.
 */
public interface PartnerLink extends AutoCloseable {

    /** The directory address followed. */
    URI partner();

    /** The partner's identity, once a valid record has been seen. */
    Optional<PeerId> peer();

    /**
     * The current connection, waiting up to {@code timeout} for one to be established.
     *
     * @throws ConnectionTimeoutException if none was established in time (the message says why:
     *     no valid record yet, or the partner did not answer at its addresses)
     */
    Connection awaitConnection(Duration timeout) throws IOException, InterruptedException;

    /** Completes with the next connection established after this call. */
    CompletableFuture<Connection> nextConnection();

    /** Stops following; an established connection stays open. */
    @Override
    void close();
}
