package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SendBufferTest {
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    private final AtomicInteger writableSignals = new AtomicInteger();
    private final SendBuffer.Chunk chunk = new SendBuffer.Chunk();

    private SendBuffer buffer(int capacity) {
        return new SendBuffer(capacity, writableSignals::incrementAndGet);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private void assertChunk(long offset, int length, boolean fin, boolean retransmission) {
        assertEquals(offset, chunk.offset, "offset");
        assertEquals(length, chunk.length, "length");
        assertEquals(fin, chunk.fin, "fin");
        assertEquals(retransmission, chunk.retransmission, "retransmission");
    }

    @Test
    void nextChunkGivesNewDataInOrderUpToThePacketSize() throws IOException {
        SendBuffer send = buffer(1000);
        byte[] data = bytes(250);
        send.write(data, 0, data.length);
        assertTrue(writableSignals.get() > 0, "the loop is told about new data");

        assertTrue(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
        assertChunk(0, 100, false, false);
        ByteBuffer out = ByteBuffer.allocate(100);
        send.copy(chunk.offset, chunk.length, out);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 100), out.array());

        assertTrue(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
        assertChunk(100, 100, false, false);
        assertTrue(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
        assertChunk(200, 50, false, false);
        assertFalse(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
        assertEquals(250, send.sentBytes());
    }

    @Test
    void nextChunkStopsAtTheStreamFlowLimitAndReportsTheBlock() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        assertTrue(send.nextChunk(1000, 120, UNLIMITED, chunk));
        assertChunk(0, 120, false, false);
        assertFalse(send.hasSendable(120, UNLIMITED));
        assertFalse(send.nextChunk(1000, 120, UNLIMITED, chunk));
        assertTrue(send.isBlockedBy(120));
        assertFalse(send.isBlockedBy(200));
        assertTrue(send.hasSendable(200, UNLIMITED));
        assertTrue(send.nextChunk(1000, 200, UNLIMITED, chunk));
        assertChunk(120, 80, false, false);
    }

    @Test
    void nextChunkSendsNoMoreNewBytesThanTheConnectionCredit() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        assertFalse(send.hasSendable(UNLIMITED, 0));
        assertFalse(send.nextChunk(1000, UNLIMITED, 0, chunk));
        assertTrue(send.nextChunk(1000, UNLIMITED, 70, chunk));
        assertChunk(0, 70, false, false);
        assertTrue(send.nextChunk(1000, UNLIMITED, 70, chunk));
        assertChunk(70, 70, false, false);
    }

    @Test
    void lostBytesAreSentAgainBeforeNewBytesEvenWithoutCredit() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        send.onLost(0, 100, false);
        assertTrue(send.hasSendable(0, 0));
        assertTrue(send.nextChunk(1000, 0, 0, chunk));
        assertChunk(0, 100, false, true);
        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(200, 100, false, false);
    }

    @Test
    void onLostBringsBackExactlyTheUnacknowledgedPartOfARange() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        for (int i = 0; i < 3; i++) {
            send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        }
        send.onAcked(100, 100, false);
        send.onAcked(250, 20, false);
        send.onLost(0, 300, false);

        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(0, 100, false, true);
        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(200, 50, false, true);
        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(270, 30, false, true);
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void bytesAcknowledgedAfterTheyWereDeclaredLostAreNotSentAgain() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        for (int i = 0; i < 3; i++) {
            send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        }
        // [100, 300) is declared lost, then a late acknowledgement covers [100, 200)
        send.onLost(100, 200, false);
        send.onAcked(100, 100, false);

        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(200, 100, false, true);
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void aLossReportedForAlreadyAcknowledgedBytesSendsNothing() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(100), 0, 100);
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        send.onAcked(0, 100, false);
        send.onLost(0, 100, false);
        assertFalse(send.hasSendable(UNLIMITED, UNLIMITED));
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void retransmissionsAreSplitToThePacketSize() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(250), 0, 250);
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        send.onLost(0, 250, false);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 100, false, true);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(100, 100, false, true);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(200, 50, false, true);
    }

    @Test
    void acknowledgedBytesAreReleasedAndFreeRoomForTryWrite() throws IOException {
        SendBuffer send = buffer(100);
        assertEquals(100, send.tryWrite(ByteBuffer.wrap(bytes(150))));
        assertEquals(0, send.tryWrite(ByteBuffer.wrap(bytes(10))));
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        send.onAcked(40, 60, false);
        assertEquals(0, send.tryWrite(ByteBuffer.wrap(bytes(10))), "a gap at the start keeps the room taken");
        send.onAcked(0, 40, false);
        ByteBuffer more = ByteBuffer.wrap(bytes(150));
        assertEquals(100, send.tryWrite(more));
        assertEquals(100, more.position());
        assertEquals(200, send.writtenBytes());
    }

    @Test
    void aWriterBlockedOnAFullBufferWakesUpWhenBytesAreAcknowledged() throws Exception {
        SendBuffer send = buffer(64);
        byte[] data = bytes(100);
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            started.countDown();
            try {
                send.write(data, 0, data.length);
            } catch (Throwable t) {
                error.set(t);
            }
        });
        writer.start();
        assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
        awaitBlocked(writer);
        assertEquals(64, send.writtenBytes(), "the writer stops when the buffer is full");

        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(0, 64, false, false);
        ByteBuffer first = ByteBuffer.allocate(64);
        send.copy(0, 64, first);
        send.onAcked(0, 64, false);

        writer.join(10_000);
        assertFalse(writer.isAlive(), "the writer finished after the acknowledgement");
        assertEquals(null, error.get());
        assertEquals(100, send.writtenBytes());
        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(64, 36, false, false);
        ByteBuffer second = ByteBuffer.allocate(36);
        send.copy(64, 36, second);
        byte[] all = new byte[100];
        System.arraycopy(first.array(), 0, all, 0, 64);
        System.arraycopy(second.array(), 0, all, 64, 36);
        assertArrayEquals(data, all);
    }

    @Test
    void failWakesABlockedWriterWithTheException() throws Exception {
        SendBuffer send = buffer(16);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                send.write(bytes(32), 0, 32);
            } catch (Throwable t) {
                error.set(t);
            }
        });
        writer.start();
        awaitBlocked(writer);
        IOException reset = new IOException("stream reset");
        send.fail(reset);
        writer.join(10_000);
        assertFalse(writer.isAlive());
        assertSame(reset, error.get());
        assertSame(reset, assertThrows(IOException.class, () -> send.write(bytes(1), 0, 1)));
        assertSame(reset, assertThrows(IOException.class, () -> send.tryWrite(ByteBuffer.allocate(1))));
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk), "a failed buffer sends nothing");
        assertFalse(send.hasSendable(UNLIMITED, UNLIMITED));
    }

    @Test
    void failWakesAThreadAwaitingAcknowledgement() throws Exception {
        SendBuffer send = buffer(16);
        send.write(bytes(8), 0, 8);
        send.finish();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                send.awaitAcknowledged(Long.MAX_VALUE);
            } catch (Throwable t) {
                error.set(t);
            }
        });
        waiter.start();
        awaitBlocked(waiter);
        IOException closed = new IOException("closed");
        send.fail(closed);
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertSame(closed, error.get());
    }

    @Test
    void awaitAcknowledgedReturnsOnceEverythingAndTheFinAreAcknowledged() throws Exception {
        SendBuffer send = buffer(16);
        send.write(bytes(8), 0, 8);
        send.finish();
        assertFalse(send.awaitAcknowledged(0));
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 8, true, false);
        send.onAcked(0, 8, true);
        assertTrue(send.awaitAcknowledged(0));
    }

    @Test
    void writingAfterFinishIsRefused() throws IOException {
        SendBuffer send = buffer(16);
        send.finish();
        send.finish();
        assertThrows(IOException.class, () -> send.write(bytes(1), 0, 1));
        assertTrue(send.isFinished());
    }

    @Test
    void theFinRidesWithTheLastBytes() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(150), 0, 150);
        send.finish();
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 100, false, false);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(100, 50, true, false);
        assertFalse(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void aBareFinIsSentOnceAndAgainAfterItIsLost() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(50), 0, 50);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 50, false, false);
        send.finish();

        assertTrue(send.hasSendable(UNLIMITED, 0));
        assertTrue(send.nextChunk(100, UNLIMITED, 0, chunk), "a bare FIN needs no credit");
        assertChunk(50, 0, true, false);
        assertFalse(send.hasSendable(UNLIMITED, UNLIMITED));
        assertFalse(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk), "the FIN is sent once");

        send.onLost(50, 0, true);
        assertTrue(send.hasSendable(UNLIMITED, UNLIMITED));
        assertTrue(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
        assertChunk(50, 0, true, true);
        assertFalse(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));

        send.onAcked(0, 50, false);
        assertFalse(send.isFullyAcknowledged());
        send.onAcked(50, 0, true);
        assertTrue(send.isFullyAcknowledged());
        assertFalse(send.hasUnacknowledged());
    }

    @Test
    void aLostFinThatRodeWithDataComesBackWithTheLastRetransmittedBytes() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(150), 0, 150);
        send.finish();
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 150, true, false);
        send.onLost(0, 150, true);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 100, false, true);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(100, 50, true, true);
        assertFalse(send.nextChunk(100, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void aLostFinIsNotResentOnceItWasAcknowledged() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(10), 0, 10);
        send.finish();
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        send.onAcked(0, 10, true);
        send.onLost(0, 10, true);
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertTrue(send.isFullyAcknowledged());
    }

    @Test
    void aFinAcknowledgedAfterItWasDeclaredLostIsNotSentAgain() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(10), 0, 10);
        send.finish();
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        assertChunk(0, 10, true, false);
        // the packet is requeued for a probe, then its acknowledgement arrives after all
        send.onLost(0, 10, true);
        send.onAcked(0, 10, true);
        assertTrue(send.isFullyAcknowledged());
        assertFalse(send.hasSendable(UNLIMITED, UNLIMITED));
        assertFalse(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
    }

    @Test
    void anAcknowledgedFinDoesNotMakeTheStreamFullyAcknowledgedWhileAMiddleRangeIsLost() throws Exception {
        SendBuffer send = buffer(1000);
        send.write(bytes(300), 0, 300);
        send.finish();
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        send.nextChunk(100, UNLIMITED, UNLIMITED, chunk);
        assertChunk(200, 100, true, false);

        send.onAcked(0, 100, false);
        send.onAcked(200, 100, true);
        send.onLost(100, 100, false);
        assertFalse(send.isFullyAcknowledged(), "bytes 100..200 are still missing");
        assertTrue(send.hasUnacknowledged());
        assertFalse(send.awaitAcknowledged(0));

        assertTrue(send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk));
        assertChunk(100, 100, false, true);
        send.onAcked(100, 100, false);
        assertTrue(send.isFullyAcknowledged());
    }

    @Test
    void noFinNoFullAcknowledgement() throws IOException {
        SendBuffer send = buffer(1000);
        send.write(bytes(10), 0, 10);
        send.nextChunk(1000, UNLIMITED, UNLIMITED, chunk);
        send.onAcked(0, 10, false);
        assertFalse(send.isFullyAcknowledged());
        assertFalse(send.hasUnacknowledged());
    }

    /** Waits until {@code thread} parks (blocked on a condition), without guessing a duration. */
    static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError("thread ended instead of blocking");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread did not block: " + state);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
