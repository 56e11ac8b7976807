package dev.srudp.testkit;

import dev.srudp.core.net.Engine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test engine that sends {@code count} numbered datagrams to one peer, one every
 * {@code intervalNanos} (all at once when the interval is 0), starting when first served, and
 * records what comes back.
 */
final class PacedSender implements Engine {

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final int count;
    private final int payloadBytes;
    private final long intervalNanos;
    private final List<Recorder.Arrival> arrivals = new ArrayList<>();
    private final List<Long> sendTimes = new ArrayList<>();
    private long nextSendNanos = -1;

    PacedSender(InetSocketAddress local, InetSocketAddress remote, int count, int payloadBytes, long intervalNanos) {
        this.local = local;
        this.remote = remote;
        this.count = count;
        this.payloadBytes = payloadBytes;
        this.intervalNanos = intervalNanos;
    }

    int sent() {
        return sendTimes.size();
    }

    /** The virtual time at which each datagram, by sequence number, was handed to the network. */
    List<Long> sendTimes() {
        return sendTimes;
    }

    List<Recorder.Arrival> arrivals() {
        return arrivals;
    }

    @Override
    public void onDatagram(long nowNanos, InetSocketAddress at, InetSocketAddress from, ByteBuffer datagram) {
        arrivals.add(Payloads.arrival(nowNanos, at, from, datagram));
    }

    @Override
    public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
        if (nextSendNanos < 0) {
            nextSendNanos = nowNanos;
        }
        if (sent() >= count || nowNanos < nextSendNanos) {
            return null;
        }
        out.put(Payloads.numbered(sent(), payloadBytes));
        sendTimes.add(nowNanos);
        nextSendNanos += intervalNanos;
        return new Transmit(local, remote);
    }

    @Override
    public long nextTimeoutNanos() {
        return nextSendNanos >= 0 && sent() < count ? nextSendNanos : NO_TIMEOUT;
    }

    @Override
    public void onTimeout(long nowNanos) {
    }

    @Override
    public void setWakeup(Runnable wakeup) {
    }
}
