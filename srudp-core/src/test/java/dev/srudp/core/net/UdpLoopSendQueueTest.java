package dev.srudp.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop hands bursts larger than its send queue to the sending thread without losing or
 * reordering a datagram: it stops taking datagrams from the engine while the queue is full and
 * goes on once the sending thread has made room.
 */
class UdpLoopSendQueueTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PAYLOAD = 64;

    /** Produces {@code count} numbered datagrams to {@code target} as fast as the loop takes them. */
    private static final class BurstEngine extends TimerlessEngine {
        final int count;
        volatile InetSocketAddress local;
        volatile InetSocketAddress target;
        final AtomicInteger produced = new AtomicInteger();

        BurstEngine(int count) {
            this.count = count;
        }

        @Override
        public void onDatagram(long now, InetSocketAddress at, InetSocketAddress from, ByteBuffer datagram) {
        }

        @Override
        public Transmit pollTransmit(long now, ByteBuffer out) {
            InetSocketAddress t = target;
            int next = produced.get();
            if (t == null || next == count) {
                return null;
            }
            out.putInt(next);
            out.position(out.position() + PAYLOAD - Integer.BYTES);
            produced.incrementAndGet();
            return new Transmit(local, t);
        }
    }

    @Test
    @Timeout(30)
    void aBurstOfManyQueuesFullArrivesWholeAndInOrder() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open()) {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            receiver.bind(new InetSocketAddress(LOOPBACK, 0));
            // two queues and one more datagram: the loop finds the queue full at least twice;
            // the receiver's buffer holds the whole burst (at most 2 KiB of buffer per small
            // datagram), so the kernel drops nothing even if this thread reads late
            int count = 2 * UdpLoop.SEND_QUEUE_SLOTS + 1;
            int buffer = receiver.getOption(StandardSocketOptions.SO_RCVBUF);
            // Debian's default limit (208 KiB) is too small; .ci/run raises it, so CI always runs this
            assumeTrue(buffer >= count * 2048, "a receive buffer of " + buffer + " B is too small for this test: "
                    + "raise net.core.rmem_max to at least " + (count * 2048) + " (sysctl)");
            UdpLoop loop = new UdpLoop(List.of(new InetSocketAddress(LOOPBACK, 0)));
            BurstEngine engine = new BurstEngine(count);
            engine.local = loop.localAddresses().get(0);
            loop.start(engine, "send-queue-test", e -> { });
            try {
                engine.target = (InetSocketAddress) receiver.getLocalAddress();
                engine.wakeup.run();
                ByteBuffer in = ByteBuffer.allocate(2048);
                for (int expected = 0; expected < count; expected++) {
                    in.clear();
                    InetSocketAddress from = (InetSocketAddress) receiver.receive(in);
                    in.flip();
                    assertEquals(engine.local.getPort(), from.getPort(), "sent from the loop's socket");
                    assertEquals(PAYLOAD, in.remaining(), "datagram " + expected + " whole");
                    assertEquals(expected, in.getInt(), "datagrams in the order the engine produced them");
                }
                assertEquals(count, engine.produced.get());
            } finally {
                loop.close();
            }
        }
    }
}
