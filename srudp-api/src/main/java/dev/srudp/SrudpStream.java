package dev.srudp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A reliable, ordered, bidirectional byte stream within a {@link Connection}, used like a
 * {@code java.net.Socket}'s streams.
 *
 * <p>Each direction ends on its own: {@link #shutdownOutput()} sends FIN and the stream still
 * reads what the peer writes (half-close). {@link #reset} abandons the stream in both directions.
 * Writers block while the peer's flow-control window is full; readers block until data, end of
 * stream, or an error.
 */
public interface SrudpStream extends AutoCloseable {

    /** The stream's ID within its connection. */
    long id();

    /** Reads what the peer writes; returns -1 at the peer's FIN. */
    InputStream getInputStream();

    /** Writes to the peer; {@code close()} on it sends FIN (like {@link #shutdownOutput()}). */
    OutputStream getOutputStream();

    /**
     * Reads available bytes into {@code dst} asynchronously. The future completes with the number of
     * bytes read, or -1 at end of stream.
     */
    CompletableFuture<Integer> readAsync(ByteBuffer dst);

    /** Writes all of {@code src} asynchronously; completes when it is buffered for sending. */
    CompletableFuture<Void> writeAsync(ByteBuffer src);

    /**
     * Writes as many bytes of {@code src} as fit in the send buffer without blocking, like a
     * non-blocking channel; returns how many were taken (possibly 0).
     */
    int tryWrite(ByteBuffer src) throws IOException;

    /**
     * Reads the bytes available now into {@code dst} without blocking; returns how many (possibly
     * 0), or -1 at the end of the stream.
     */
    int tryRead(ByteBuffer dst) throws IOException;

    /** Ends this side's writing (FIN): the peer reads end of stream after all data written. */
    void shutdownOutput() throws IOException;

    /** Abandons the stream in both directions with an error code; the peer sees a reset. */
    void reset(long errorCode);

    /** Finishes writing (FIN) and stops reading. */
    @Override
    void close() throws IOException;
}
