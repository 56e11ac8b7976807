package dev.srudp.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayingEngineTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 5000);

    /** A scripted engine: sends what the test queued, with a settable timer. */
    private static final class ScriptedEngine implements Engine {
        final ArrayDeque<byte[]> outgoing = new ArrayDeque<>();
        final List<Long> timeouts = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        long deadline = NO_TIMEOUT;
        Runnable wakeup;
        ByteBuffer lastOut;

        @Override
        public void onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            received.add(b);
        }

        @Override
        public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
            byte[] next = outgoing.poll();
            if (next == null) {
                return null;
            }
            lastOut = out;
            out.put(next);
            return new Transmit(LOCAL, REMOTE);
        }

        @Override
        public long nextTimeoutNanos() {
            return deadline;
        }

        @Override
        public void onTimeout(long nowNanos) {
            timeouts.add(nowNanos);
        }

        @Override
        public void setWakeup(Runnable wakeup) {
            this.wakeup = wakeup;
        }
    }

    private static byte[] poll(Engine engine, long now) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        Engine.Transmit t = engine.pollTransmit(now, out);
        if (t == null) {
            return null;
        }
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    @Test
    void holdsEachDatagramForTheDelayAndReleasesThemInOrder() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 25 * MS);
        inner.outgoing.add(new byte[] {1});
        assertNull(poll(engine, 0));
        inner.outgoing.add(new byte[] {2});
        assertNull(poll(engine, 10 * MS));
        assertEquals(2, engine.held());

        assertNull(poll(engine, 25 * MS - 1));
        assertArrayEquals(new byte[] {1}, poll(engine, 25 * MS));
        assertNull(poll(engine, 34 * MS));
        assertArrayEquals(new byte[] {2}, poll(engine, 35 * MS));
        assertEquals(0, engine.held());
    }

    @Test
    void copiesTheBytesSoTheWrappedEngineMayReuseItsBuffer() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 5 * MS);
        inner.outgoing.add(new byte[] {7, 8, 9});
        assertNull(poll(engine, 0));
        inner.lastOut.clear();
        inner.lastOut.put(new byte[] {0, 0, 0});
        assertArrayEquals(new byte[] {7, 8, 9}, poll(engine, 5 * MS));
    }

    @Test
    void nextTimeoutIsTheEarlierOfTheWrappedTimerAndTheFirstHeldDatagram() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 25 * MS);
        assertEquals(Engine.NO_TIMEOUT, engine.nextTimeoutNanos());
        inner.outgoing.add(new byte[] {1});
        poll(engine, 3 * MS);
        assertEquals(28 * MS, engine.nextTimeoutNanos());
        inner.deadline = 20 * MS;
        assertEquals(20 * MS, engine.nextTimeoutNanos());
        inner.deadline = 40 * MS;
        assertEquals(28 * MS, engine.nextTimeoutNanos());
    }

    @Test
    void runsTheWrappedTimersOnlyWhenTheyAreDue() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 25 * MS);
        inner.deadline = 50 * MS;
        engine.onTimeout(25 * MS);
        assertEquals(List.of(), inner.timeouts);
        engine.onTimeout(50 * MS);
        assertEquals(List.of(50 * MS), inner.timeouts);
    }

    @Test
    void passesReceivedDatagramsAndTheWakeupStraightThrough() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 25 * MS);
        engine.onDatagram(0, LOCAL, REMOTE, ByteBuffer.wrap(new byte[] {4, 2}));
        assertArrayEquals(new byte[] {4, 2}, inner.received.get(0));
        Runnable wakeup = () -> { };
        engine.setWakeup(wakeup);
        assertSame(wakeup, inner.wakeup);
    }

    @Test
    void dropsWhatWouldOverflowTheQueueAndCountsIt() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 25 * MS);
        int size = 60_000;
        int fit = DelayingEngine.MAX_HELD_BYTES / size;
        for (int i = 0; i < fit + 3; i++) {
            inner.outgoing.add(new byte[size]);
        }
        ByteBuffer out = ByteBuffer.allocate(65_536);
        assertNull(engine.pollTransmit(0, out));
        assertEquals(fit, engine.held());
        assertEquals(3, engine.dropped());
    }

    @Test
    void aZeroDelaySendsAtOnceAndANegativeOneIsRefused() {
        ScriptedEngine inner = new ScriptedEngine();
        DelayingEngine engine = new DelayingEngine(inner, 0);
        inner.outgoing.add(new byte[] {1});
        assertArrayEquals(new byte[] {1}, poll(engine, 0));
        assertThrows(IllegalArgumentException.class, () -> new DelayingEngine(inner, -1));
    }
}
