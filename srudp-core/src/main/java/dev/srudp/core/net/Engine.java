package dev.srudp.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A sans-I/O protocol engine: everything an endpoint does, as a state machine that never touches
 * a socket, a clock or a thread.
 *
 * <p>The owner (the UDP loop in production, the simulator in tests) is the only caller and calls
 * from one thread at a time. It feeds received datagrams and the current time in, asks for
 * datagrams to send until there are none, and calls {@link #onTimeout} when the deadline from
 * {@link #nextTimeoutNanos} has passed. Times are monotonic nanoseconds on the owner's clock.
 *
 * <p>A path is a pair (local socket address, remote address); an engine may own several local
 * sockets and says for each outgoing datagram which one it leaves from.
 */
public interface Engine {

    /** Returned by {@link #nextTimeoutNanos} when no timer is armed. */
    long NO_TIMEOUT = Long.MAX_VALUE;

    /**
     * Processes one received datagram. The buffer's remaining bytes are the datagram; the engine
     * does not keep a reference to the buffer after returning. Never throws for hostile input.
     */
    void onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram);

    /**
     * Writes the next datagram to send into {@code out} (from its position; the engine leaves the
     * position after the last byte written) and returns its path, or returns {@code null} when
     * there is nothing to send now.
     */
    Transmit pollTransmit(long nowNanos, ByteBuffer out);

    /** The monotonic time at which {@link #onTimeout} must next be called, or {@link #NO_TIMEOUT}. */
    long nextTimeoutNanos();

    /** Runs the timers that are due at {@code nowNanos}. */
    void onTimeout(long nowNanos);

    /**
     * Installs the callback the engine runs, from any thread, when application activity (a write,
     * a read that opened flow-control credit, a close) gives it something to do. The owner then
     * polls it soon. The callback must be cheap and must not call back into the engine.
     */
    void setWakeup(Runnable wakeup);

    /** Where an outgoing datagram goes: from which local socket to which remote address. */
    record Transmit(InetSocketAddress local, InetSocketAddress remote) {
    }
}
