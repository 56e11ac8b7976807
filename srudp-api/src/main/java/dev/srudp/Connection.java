package dev.srudp;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An authenticated, encrypted connection to one peer, carrying any number of independent
 * reliable ordered streams and unreliable datagrams.
 *
 * <p>A connection survives changes of the peer's address (it is identified by connection IDs,
 * not by address). It ends by {@link #close()} (graceful: everything written is delivered and
 * acknowledged first), by {@link #abort}, by the peer, or by the idle timeout.
 */
public interface Connection extends AutoCloseable {

    /** The authenticated identity of the peer. */
    PeerId peer();

    /** Whether this side opened the connection. */
    boolean isInitiator();

    /** Opens a new stream (no packet is sent until data or FIN is written). */
    SrudpStream openStream() throws IOException;

    /** Waits for the next stream the peer opens. */
    SrudpStream acceptStream() throws IOException, InterruptedException;

    /** The next stream the peer opens, asynchronously. */
    CompletableFuture<SrudpStream> acceptStreamAsync();

    /**
     * Sends an unreliable datagram: delivered at most once, maybe not at all, maybe out of order.
     *
     * @throws IllegalArgumentException if it exceeds {@link #maxDatagramSize()}
     */
    void sendDatagram(byte[] data) throws IOException;

    /** Waits for the next datagram from the peer. */
    byte[] receiveDatagram() throws IOException, InterruptedException;

    /** The next datagram from the peer, asynchronously. */
    CompletableFuture<byte[]> receiveDatagramAsync();

    /** The largest datagram {@link #sendDatagram} accepts. */
    int maxDatagramSize();

    /** A snapshot of the connection's statistics. */
    ConnectionStats stats();

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Closes gracefully: every stream is finished, everything written is delivered and
     * acknowledged, then the peer is told. Blocks until done or the close timeout passes.
     */
    @Override
    void close() throws IOException;

    /** Closes gracefully, asynchronously. The future completes when the close is finished. */
    CompletableFuture<Void> closeAsync();

    /**
     * Closes at once with an application error code ({@link ErrorCodes#APPLICATION_BASE} or above)
     * and a reason sent to the peer; unsent and unacknowledged data is discarded.
     */
    void abort(long errorCode, String reason);

    /** Waits until the connection is closed for any reason, at most {@code timeout}. */
    boolean awaitClosed(Duration timeout) throws InterruptedException;
}
