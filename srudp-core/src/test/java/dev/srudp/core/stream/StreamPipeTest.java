package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A writer thread and a reader thread joined by a send and a receive buffer, with the test thread
 * playing the protocol loop: blocking writes wake up on acknowledgements, blocking reads on data,
 * and every byte arrives in order.
 */
class StreamPipeTest {

    @Test
    void aWriterAndAReaderThreadMoveAMegabyteThroughSmallBuffers() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        int window = 8192;
        SendBuffer send = new SendBuffer(5000, () -> { });
        ReceiveBuffer receive = new ReceiveBuffer(window, () -> { }, Runnable::run);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteArrayOutputStream readBack = new ByteArrayOutputStream();

        Thread writer = new Thread(() -> {
            try {
                Random sizes = new Random(7);
                for (int off = 0; off < data.length; ) {
                    int n = Math.min(data.length - off, 1 + sizes.nextInt(20_000));
                    send.write(data, off, n);
                    off += n;
                }
                send.finish();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "writer");
        Thread reader = new Thread(() -> {
            try {
                byte[] buf = new byte[3000];
                int n;
                while ((n = receive.read(buf, 0, buf.length)) >= 0) {
                    readBack.write(buf, 0, n);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "reader");
        writer.start();
        reader.start();

        SendBuffer.Chunk chunk = new SendBuffer.Chunk();
        long deadline = System.nanoTime() + 60_000_000_000L;
        int round = 0;
        while (!send.isFullyAcknowledged()) {
            assertTrue(System.nanoTime() < deadline, () -> "stalled: " + send + " " + receive);
            assertNull(failure.get());
            long limit = receive.readOffset() + window;
            if (!send.nextChunk(1200, limit, Long.MAX_VALUE / 4, chunk)) {
                Thread.onSpinWait();
                continue;
            }
            ByteBuffer packet = ByteBuffer.allocate(chunk.length);
            send.copy(chunk.offset, chunk.length, packet);
            packet.flip();
            if (++round % 5 == 0) {
                // every fifth packet is lost once
                send.onLost(chunk.offset, chunk.length, chunk.fin);
                continue;
            }
            assertEquals(ReceiveBuffer.Result.OK, receive.receive(chunk.offset, packet, chunk.fin, limit));
            send.onAcked(chunk.offset, chunk.length, chunk.fin);
        }
        writer.join(30_000);
        reader.join(30_000);
        assertFalse(writer.isAlive());
        assertFalse(reader.isAlive());
        assertNull(failure.get());
        assertArrayEquals(data, readBack.toByteArray());
        assertTrue(receive.isComplete());
    }
}
