package dev.srudp.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * An {@link Engine} decorator that holds every outgoing datagram for a fixed one-way delay before
 * handing it to the owner: an emulated long path, for measuring time to connect in a lab where the
 * kernel has no {@code netem}. Received datagrams pass straight through. When both peers delay by
 * {@code d}, the round trip grows by {@code 2d}.
 *
 * <p>Each datagram is copied when the wrapped engine produces it (the engine reuses its output
 * buffer) and released in the order produced once its time has come. At most
 * {@link #MAX_HELD_BYTES} are held: a datagram that would exceed that is dropped, as a router with
 * a full queue drops it, and counted in {@link #dropped()}. The copies allocate per datagram; this
 * is a testing aid, not a production path.
 *
 * <p>Like every engine, it is called by its owner's single thread only.
 */
public final class DelayingEngine implements Engine {
    /** The most bytes held at once (8 MiB: 25 ms of about 2.7 Gbit/s, more than one loop sends). */
    public static final int MAX_HELD_BYTES = 8 << 20;

    private final Engine inner;
    private final long delayNanos;
    private final ByteBuffer scratch = ByteBuffer.allocate(65_536);
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long heldBytes;
    private long dropped;

    private record Held(long dueNanos, Transmit path, byte[] bytes) {
    }

    /** Wraps {@code inner}, delaying what it sends by {@code delayNanos} (at least 0). */
    public DelayingEngine(Engine inner, long delayNanos) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must not be negative, got " + delayNanos + " ns");
        }
        this.delayNanos = delayNanos;
    }

    @Override
    public void onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        inner.onDatagram(nowNanos, local, from, datagram);
    }

    @Override
    public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
        takeFromInner(nowNanos);
        Held next = held.peekFirst();
        if (next == null || next.dueNanos() - nowNanos > 0) {
            return null;
        }
        held.removeFirst();
        heldBytes -= next.bytes().length;
        out.put(next.bytes());
        return next.path();
    }

    /** Moves everything the wrapped engine has to send now into the queue, stamped with its due time. */
    private void takeFromInner(long nowNanos) {
        while (true) {
            scratch.clear();
            Transmit t = inner.pollTransmit(nowNanos, scratch);
            if (t == null) {
                return;
            }
            scratch.flip();
            int length = scratch.remaining();
            if (heldBytes + length > MAX_HELD_BYTES) {
                dropped++;
                continue;
            }
            byte[] copy = new byte[length];
            scratch.get(copy);
            held.addLast(new Held(nowNanos + delayNanos, t, copy));
            heldBytes += length;
        }
    }

    @Override
    public long nextTimeoutNanos() {
        Held next = held.peekFirst();
        long innerDeadline = inner.nextTimeoutNanos();
        return next == null ? innerDeadline : Math.min(innerDeadline, next.dueNanos());
    }

    @Override
    public void onTimeout(long nowNanos) {
        // the owner calls this when a held datagram is due too; the wrapped engine's timers may not be
        if (inner.nextTimeoutNanos() <= nowNanos) {
            inner.onTimeout(nowNanos);
        }
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        inner.setWakeup(wakeup);
    }

    /** Datagrams dropped because the queue was full. */
    public long dropped() {
        return dropped;
    }

    /** Datagrams held now. */
    public int held() {
        return held.size();
    }
}
