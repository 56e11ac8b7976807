package dev.srudp.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A place where peers publish their signed endpoint records and find each other's: rendezvous
 * strings passed by hand, files in a shared folder, pointers on the Autonomi Network.
 *
 * <p>A directory is an untrusted carrier. It moves records as opaque bytes and never interprets or
 * verifies them; the endpoint verifies every record it receives (signature, expiry, sequence
 * number, the address it was published at) exactly once, outside the directory. A directory may
 * therefore hand out stale, duplicated or forged bytes without harming anyone but itself.
 */
public interface PeerDirectory extends AutoCloseable {

    /**
     * Publishes this peer's current signed record.
     *
     * @return where partners find it: a URI they pass to {@link #lookup} or {@link #watch} (for a
     *     rendezvous directory, the string itself)
     */
    CompletableFuture<URI> publish(byte[] signedRecord);

    /** The partner's latest record as the directory has it, if any. */
    CompletableFuture<Optional<byte[]>> lookup(URI partner);

    /**
     * Delivers the partner's records as they appear, starting with the current one. A polling
     * directory polls; the consumer may see the same bytes more than once and must ignore repeats
     * (the endpoint does). The consumer runs on a thread of the directory, never on an endpoint
     * loop.
     *
     * @return a handle that stops watching when closed
     */
    AutoCloseable watch(URI partner, Consumer<byte[]> onRecord);

    /** Stops every watch and releases resources. */
    @Override
    void close() throws IOException;
}
