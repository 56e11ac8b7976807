package dev.srudp.testkit;

import dev.srudp.core.net.Engine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A test engine that records every datagram it receives and sends whatever the test queues,
 * optionally echoing what it receives back to the sender.
 */
final class Recorder implements Engine {

    /** One received datagram, as the trace of a run sees it. */
    record Arrival(long timeNanos, InetSocketAddress local, InetSocketAddress from, int sequence, int length,
                   int payloadHash) {
    }

    private record Outgoing(InetSocketAddress local, InetSocketAddress remote, byte[] payload) {
    }

    private final InetSocketAddress local;
    private final boolean echo;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private Runnable wakeup = () -> { };

    Recorder(InetSocketAddress local, boolean echo) {
        this.local = local;
        this.echo = echo;
    }

    Recorder(InetSocketAddress local) {
        this(local, false);
    }

    /** Queues a datagram from this engine's address and asks to be served, as application code would. */
    void send(InetSocketAddress remote, byte[] payload) {
        send(local, remote, payload);
    }

    /** Queues a datagram claiming any local address, owned or not. */
    void send(InetSocketAddress from, InetSocketAddress remote, byte[] payload) {
        outbox.add(new Outgoing(from, remote, payload.clone()));
        wakeup.run();
    }

    List<Arrival> arrivals() {
        return arrivals;
    }

    List<Integer> sequences() {
        return arrivals.stream().map(Arrival::sequence).toList();
    }

    @Override
    public void onDatagram(long nowNanos, InetSocketAddress at, InetSocketAddress from, ByteBuffer datagram) {
        if (echo) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.duplicate().get(bytes);
            outbox.add(new Outgoing(at, from, bytes));
        }
        arrivals.add(Payloads.arrival(nowNanos, at, from, datagram));
    }

    @Override
    public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
        Outgoing next = outbox.poll();
        if (next == null) {
            return null;
        }
        out.put(next.payload());
        return new Transmit(next.local(), next.remote());
    }

    @Override
    public long nextTimeoutNanos() {
        return NO_TIMEOUT;
    }

    @Override
    public void onTimeout(long nowNanos) {
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }
}
