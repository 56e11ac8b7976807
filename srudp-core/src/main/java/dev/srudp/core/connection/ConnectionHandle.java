package dev.srudp.core.connection;

import dev.srudp.Connection;
import dev.srudp.ConnectionClosedException;
import dev.srudp.ConnectionStats;
import dev.srudp.ErrorCodes;
import dev.srudp.PeerId;
import dev.srudp.SrudpStream;
import dev.srudp.core.stream.StreamState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's view of a connection. Every call is safe from any thread; state changes go to
 * the loop as commands.
 */
final class ConnectionHandle implements Connection {
    /** Streams the peer opened and the application has not accepted yet. */
    private static final int STREAM_BACKLOG = 1 << 20;
    private static final int DATAGRAM_BACKLOG = 1024;

    private final ConnectionCore core;
    private final EndpointCore endpoint;
    private final Handoff<SrudpStream> incomingStreams;
    private final Handoff<byte[]> datagrams;
    private final AtomicLong nextStreamIndex = new AtomicLong();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile ConnectionClosedException closed;

    ConnectionHandle(ConnectionCore core, EndpointCore endpoint) {
        this.core = core;
        this.endpoint = endpoint;
        this.incomingStreams = new Handoff<>(STREAM_BACKLOG, false, endpoint.context().callbacks);
        this.datagrams = new Handoff<>(DATAGRAM_BACKLOG, true, endpoint.context().callbacks);
    }

    @Override
    public PeerId peer() {
        return core.peer();
    }

    @Override
    public boolean isInitiator() {
        return core.isInitiator();
    }

    @Override
    public SrudpStream openStream() throws IOException {
        checkOpen();
        StreamState s = core.createLocalStream(nextStreamIndex.getAndIncrement());
        endpoint.execute(core, now -> core.registerLocalStream(s));
        return new StreamHandle(s, core, endpoint);
    }

    @Override
    public SrudpStream acceptStream() throws IOException, InterruptedException {
        return incomingStreams.take();
    }

    @Override
    public CompletableFuture<SrudpStream> acceptStreamAsync() {
        return incomingStreams.takeAsync();
    }

    /** The next stream the peer opened if one is waiting, else null (for single-threaded drivers). */
    SrudpStream pollStream() throws IOException {
        return incomingStreams.poll();
    }

    @Override
    public void sendDatagram(byte[] data) throws IOException {
        checkOpen();
        int max = maxDatagramSize();
        if (data.length > max) {
            throw new IllegalArgumentException("datagram of " + data.length + " bytes exceeds the maximum of " + max);
        }
        byte[] copy = data.clone();
        endpoint.execute(core, now -> core.queueDatagram(copy));
    }

    @Override
    public byte[] receiveDatagram() throws IOException, InterruptedException {
        return datagrams.take();
    }

    @Override
    public CompletableFuture<byte[]> receiveDatagramAsync() {
        return datagrams.takeAsync();
    }

    /** A received datagram if one is waiting, else null. */
    byte[] pollDatagram() throws IOException {
        return datagrams.poll();
    }

    @Override
    public int maxDatagramSize() {
        return core.maxDatagramSize();
    }

    @Override
    public ConnectionStats stats() {
        CompletableFuture<ConnectionStats> f = new CompletableFuture<>();
        endpoint.execute(null, now -> f.complete(core.stats()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while reading statistics");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the endpoint's loop did not answer", e);
        }
    }

    @Override
    public boolean isOpen() {
        return closed == null;
    }

    @Override
    public void close() throws IOException {
        try {
            closeAsync().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        endpoint.execute(core, now -> core.closeGracefully(done, now));
        return done;
    }

    @Override
    public void abort(long errorCode, String reason) {
        if (errorCode < ErrorCodes.APPLICATION_BASE) {
            throw new IllegalArgumentException("application error codes start at " + ErrorCodes.APPLICATION_BASE
                    + ", got " + errorCode);
        }
        endpoint.execute(core, now -> core.abort(errorCode, reason, now));
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why the connection closed, or null while it is open. */
    ConnectionClosedException closeCause() {
        return closed;
    }

    // ---- from the loop

    void markClosed(ConnectionClosedException cause) {
        if (closed == null) {
            closed = cause;
            incomingStreams.fail(cause);
            datagrams.fail(cause);
            closedLatch.countDown();
        }
    }

    void streamArrived(StreamHandle stream) {
        incomingStreams.offer(stream);
    }

    void datagramArrived(byte[] data) {
        datagrams.offer(data);
    }

    private void checkOpen() throws ConnectionClosedException {
        ConnectionClosedException c = closed;
        if (c != null) {
            throw c;
        }
    }

    @Override
    public String toString() {
        return "Connection[" + core.peer() + " " + (closed == null ? "open" : "closed") + "]";
    }
}
