package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.stream.ReceiveBuffer.Result;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {
    private static final long LIMIT = 1 << 20;

    private final AtomicInteger consumed = new AtomicInteger();

    private ReceiveBuffer buffer(int window) {
        return new ReceiveBuffer(window, consumed::incrementAndGet, Runnable::run);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + i / 256);
        }
        return b;
    }

    private static Result put(ReceiveBuffer rb, byte[] data, int from, int to, boolean fin, long limit) {
        return rb.receive(from, ByteBuffer.wrap(data, from, to - from), fin, limit);
    }

    private static byte[] readAll(ReceiveBuffer rb) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        while (true) {
            int n = rb.tryRead(out);
            if (n <= 0) {
                return Arrays.copyOf(out.array(), out.position());
            }
        }
    }

    @Test
    void outOfOrderFramesAreReadInStreamOrder() throws IOException {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(300);
        assertEquals(Result.OK, put(rb, data, 200, 300, true, LIMIT));
        assertEquals(0, rb.available(), "nothing readable before the gap is filled");
        assertEquals(Result.OK, put(rb, data, 100, 200, false, LIMIT));
        assertEquals(0, rb.tryRead(ByteBuffer.allocate(10)));
        assertEquals(Result.OK, put(rb, data, 0, 100, false, LIMIT));
        assertEquals(300, rb.available());
        assertTrue(rb.isFinalSizeKnown());
        assertEquals(300, rb.highestReceived());

        byte[] out = new byte[1000];
        assertEquals(300, rb.read(out, 0, out.length));
        assertArrayEquals(data, Arrays.copyOf(out, 300));
        assertEquals(-1, rb.read(out, 0, out.length));
        assertTrue(rb.isComplete());
        assertEquals(300, rb.readOffset());
        assertTrue(consumed.get() > 0, "the loop learns that bytes were consumed");
    }

    @Test
    void overlappingAndDuplicateFramesAreStoredOnce() throws IOException {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(200);
        assertEquals(Result.OK, put(rb, data, 50, 150, false, LIMIT));
        assertEquals(Result.OK, put(rb, data, 50, 150, false, LIMIT));
        assertEquals(Result.OK, put(rb, data, 0, 80, false, LIMIT));
        assertEquals(Result.OK, put(rb, data, 120, 200, true, LIMIT));
        assertEquals(Result.OK, put(rb, data, 120, 200, true, LIMIT), "a repeated FIN with the same size is fine");
        assertArrayEquals(data, readAll(rb));
        assertEquals(Result.OK, put(rb, data, 0, 200, true, LIMIT), "an old duplicate after reading is ignored");
        assertEquals(-1, rb.tryRead(ByteBuffer.allocate(10)));
    }

    @Test
    void framesInADirectBufferAreStoredFromTheirPlaceWithoutMovingIt() throws IOException {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(300);
        ByteBuffer datagram = ByteBuffer.allocateDirect(400);
        datagram.position(50).put(data).position(7).limit(390);
        // [0, 200) at datagram bytes [50, 250), then [150, 300) overlapping what was read
        assertEquals(Result.OK, rb.receive(0, datagram, 50, 200, false, LIMIT));
        ByteBuffer first = ByteBuffer.allocate(120);
        assertEquals(120, rb.tryRead(first));
        assertEquals(Result.OK, rb.receive(150, datagram, 200, 150, true, LIMIT));
        assertEquals(7, datagram.position(), "the datagram's position is left alone");
        assertEquals(390, datagram.limit(), "the datagram's limit is left alone");
        byte[] rest = readAll(rb);
        assertArrayEquals(Arrays.copyOfRange(data, 120, 300), rest);
    }

    @Test
    void tryReadReturnsZeroWhileWaitingAndMinusOneAtTheEnd() throws IOException {
        ReceiveBuffer rb = buffer(100);
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertEquals(0, rb.tryRead(dst));
        rb.receive(0, ByteBuffer.wrap(bytes(5)), false, LIMIT);
        assertEquals(5, rb.tryRead(dst));
        assertEquals(0, rb.tryRead(dst));
        rb.receive(5, ByteBuffer.allocate(0), true, LIMIT);
        assertEquals(-1, rb.tryRead(dst));
        assertEquals(-1, rb.tryRead(dst));
    }

    @Test
    void dataBeyondTheAdvertisedLimitIsAFlowControlError() {
        ReceiveBuffer rb = buffer(1000);
        assertEquals(Result.OK, rb.receive(0, ByteBuffer.allocate(100), false, 100));
        assertEquals(Result.FLOW_CONTROL_ERROR, rb.receive(100, ByteBuffer.allocate(1), false, 100));
        assertEquals(Result.FLOW_CONTROL_ERROR, rb.receive(50, ByteBuffer.allocate(51), false, 100));
        assertEquals(100, rb.highestReceived());
    }

    @Test
    void dataBeyondTheWindowIsAFlowControlErrorEvenUnderAGenerousLimit() {
        ReceiveBuffer rb = buffer(5000);
        assertEquals(Result.OK, rb.receive(0, ByteBuffer.allocate(5000), false, LIMIT));
        assertEquals(Result.FLOW_CONTROL_ERROR, rb.receive(5000, ByteBuffer.allocate(1), false, LIMIT));
    }

    @Test
    void aWindowSmallerThanTheRingsInitialSizeIsEnforcedToo() {
        ReceiveBuffer rb = buffer(1000);
        assertEquals(Result.OK, rb.receive(0, ByteBuffer.allocate(1000), false, LIMIT));
        assertEquals(Result.FLOW_CONTROL_ERROR, rb.receive(1000, ByteBuffer.allocate(1), false, LIMIT));
    }

    @Test
    void dataBeyondTheFinIsAFinalSizeError() {
        ReceiveBuffer rb = buffer(1000);
        assertEquals(Result.OK, rb.receive(0, ByteBuffer.allocate(100), true, LIMIT));
        assertEquals(Result.FINAL_SIZE_ERROR, rb.receive(90, ByteBuffer.allocate(20), false, LIMIT));
        assertEquals(Result.OK, rb.receive(90, ByteBuffer.allocate(10), false, LIMIT));
    }

    @Test
    void twoDifferentFinsAreAFinalSizeError() {
        ReceiveBuffer rb = buffer(1000);
        assertEquals(Result.OK, rb.receive(0, ByteBuffer.allocate(100), true, LIMIT));
        assertEquals(Result.FINAL_SIZE_ERROR, rb.receive(0, ByteBuffer.allocate(50), true, LIMIT));
    }

    @Test
    void aFinBelowTheHighestReceivedOffsetIsAFinalSizeError() {
        ReceiveBuffer rb = buffer(1000);
        assertEquals(Result.OK, rb.receive(100, ByteBuffer.allocate(100), false, LIMIT));
        assertEquals(Result.FINAL_SIZE_ERROR, rb.receive(0, ByteBuffer.allocate(150), true, LIMIT));
        assertFalse(rb.isFinalSizeKnown());
    }

    @Test
    void aResetWithAContradictingFinalSizeIsAFinalSizeError() {
        ReceiveBuffer rb = buffer(1000);
        rb.receive(0, ByteBuffer.allocate(100), false, LIMIT);
        assertEquals(Result.FINAL_SIZE_ERROR, rb.reset(50, new IOException("reset")));
        rb.receive(100, ByteBuffer.allocate(0), true, LIMIT);
        assertEquals(Result.FINAL_SIZE_ERROR, rb.reset(200, new IOException("reset")));
        assertEquals(Result.OK, rb.reset(100, new IOException("reset")));
    }

    @Test
    void resetFailsReadersWithTheGivenExceptionAndDiscardsUnreadData() {
        ReceiveBuffer rb = buffer(1000);
        rb.receive(0, ByteBuffer.allocate(100), false, LIMIT);
        IOException reset = new IOException("reset by peer");
        assertEquals(Result.OK, rb.reset(150, reset));
        assertSame(reset, assertThrows(IOException.class, () -> rb.read(new byte[10], 0, 10)));
        assertSame(reset, assertThrows(IOException.class, () -> rb.tryRead(ByteBuffer.allocate(10))));
        assertTrue(rb.isComplete());
        assertEquals(150, rb.highestReceived(), "the final size counts toward connection flow control");
    }

    @Test
    void resetWakesABlockedReader() throws Exception {
        ReceiveBuffer rb = buffer(1000);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                rb.read(new byte[10], 0, 10);
            } catch (Throwable t) {
                error.set(t);
            }
        });
        reader.start();
        SendBufferTest.awaitBlocked(reader);
        IOException reset = new IOException("reset by peer");
        rb.reset(0, reset);
        reader.join(10_000);
        assertFalse(reader.isAlive());
        assertSame(reset, error.get());
    }

    @Test
    void aBlockedReaderWakesUpWhenTheMissingBytesArrive() throws Exception {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(40);
        byte[] out = new byte[100];
        AtomicInteger got = new AtomicInteger(-2);
        Thread reader = new Thread(() -> {
            try {
                got.set(rb.read(out, 0, out.length));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        reader.start();
        SendBufferTest.awaitBlocked(reader);
        put(rb, data, 20, 40, false, LIMIT);
        put(rb, data, 0, 20, false, LIMIT);
        reader.join(10_000);
        assertFalse(reader.isAlive());
        assertEquals(40, got.get());
        assertArrayEquals(data, Arrays.copyOf(out, 40));
    }

    @Test
    void failAfterEverythingUpToTheFinArrivedLetsTheReaderFinish() throws IOException {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(120);
        put(rb, data, 60, 120, true, LIMIT);
        put(rb, data, 0, 60, false, LIMIT);
        rb.fail(new IOException("connection closed"));
        byte[] out = new byte[200];
        assertEquals(120, rb.read(out, 0, out.length));
        assertArrayEquals(data, Arrays.copyOf(out, 120));
        assertEquals(-1, rb.read(out, 0, out.length));
    }

    @Test
    void failBeforeTheStreamEndedFailsTheReader() {
        ReceiveBuffer rb = buffer(1000);
        byte[] data = bytes(120);
        put(rb, data, 60, 120, true, LIMIT);
        IOException closed = new IOException("connection closed");
        rb.fail(closed);
        assertSame(closed, assertThrows(IOException.class, () -> rb.read(new byte[10], 0, 10)));
        assertTrue(rb.isComplete());
    }

    @Test
    void readAsyncCompletesWhenDataArrives() throws Exception {
        ReceiveBuffer rb = buffer(1000);
        ByteBuffer dst = ByteBuffer.allocate(64);
        CompletableFuture<Integer> future = rb.readAsync(dst);
        assertFalse(future.isDone());
        rb.receive(0, ByteBuffer.wrap(bytes(10)), false, LIMIT);
        assertTrue(future.isDone());
        assertEquals(10, future.get());
        assertEquals(10, dst.position());
        assertArrayEquals(bytes(10), Arrays.copyOf(dst.array(), 10));
        assertEquals(1, consumed.get());
    }

    @Test
    void readAsyncCompletesAtOnceWhenDataIsAlreadyThere() throws Exception {
        ReceiveBuffer rb = buffer(1000);
        rb.receive(0, ByteBuffer.wrap(bytes(10)), true, LIMIT);
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertEquals(4, rb.readAsync(dst).get());
        assertEquals(6, rb.readAsync(ByteBuffer.allocate(64)).get());
        assertEquals(-1, rb.readAsync(ByteBuffer.allocate(64)).get());
    }

    @Test
    void pendingAsyncReadsCompleteInOrderAndFailOnReset() {
        ReceiveBuffer rb = buffer(1000);
        CompletableFuture<Integer> first = rb.readAsync(ByteBuffer.allocate(5));
        CompletableFuture<Integer> second = rb.readAsync(ByteBuffer.allocate(5));
        rb.receive(0, ByteBuffer.wrap(bytes(5)), false, LIMIT);
        assertEquals(5, first.join());
        assertFalse(second.isDone());
        IOException reset = new IOException("reset");
        rb.reset(5, reset);
        ExecutionException e = assertThrows(ExecutionException.class, second::get);
        assertSame(reset, e.getCause());
    }

    @Test
    void pendingAsyncReadCompletesWithMinusOneAtABareFin() {
        ReceiveBuffer rb = buffer(1000);
        CompletableFuture<Integer> read = rb.readAsync(ByteBuffer.allocate(5));
        rb.receive(0, ByteBuffer.allocate(0), true, LIMIT);
        assertEquals(-1, read.join());
    }

    @Test
    void stopDiscardsDataAndEndsReading() throws IOException {
        ReceiveBuffer rb = buffer(1000);
        rb.receive(0, ByteBuffer.wrap(bytes(10)), false, LIMIT);
        rb.stop();
        assertEquals(Result.OK, rb.receive(10, ByteBuffer.wrap(bytes(10)), false, LIMIT));
        assertEquals(20, rb.highestReceived(), "discarded bytes still count toward flow control");
        assertTrue(rb.isComplete());
        assertEquals(-1, rb.read(new byte[10], 0, 10));
        assertEquals(Result.FLOW_CONTROL_ERROR, rb.receive(20, ByteBuffer.allocate(10), false, 25));
    }

    @Test
    void theRingGrowsBeyondItsInitialSizeAndWrapsWithAWindowSmallerThanTheData() throws IOException {
        int window = 10_000;
        ReceiveBuffer rb = buffer(window);
        byte[] data = bytes(200_000);
        byte[] out = new byte[data.length];
        int received = 0;
        int read = 0;
        int step = 0;
        while (read < data.length) {
            long limit = rb.readOffset() + window;
            int frame = 1 + (step * 7919) % 3000;
            int end = (int) Math.min(Math.min(received + frame, limit), data.length);
            if (end > received) {
                // send the second half of the frame first, then the first half: out-of-order inside the window
                int mid = (received + end) / 2;
                assertEquals(Result.OK, put(rb, data, mid, end, end == data.length, limit));
                assertEquals(Result.OK, put(rb, data, received, mid, false, limit));
                received = end;
            }
            int want = 1 + (step * 104729) % 6000;
            int n = rb.read(out, read, Math.min(want, data.length - read));
            read += n;
            step++;
        }
        assertArrayEquals(data, out);
        assertEquals(-1, rb.read(out, 0, 1));
    }
}
