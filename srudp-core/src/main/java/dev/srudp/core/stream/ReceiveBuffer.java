package dev.srudp.core.stream;

import dev.srudp.core.util.RangeSet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving half of a stream: the loop stores stream frames at their offsets (in any order,
 * duplicates welcome), the application reads the contiguous prefix. The buffer never holds more
 * than the flow-control window the connection advertised, so a slow reader throttles its sender
 * instead of growing memory.
 */
public final class ReceiveBuffer {
    /** What {@link #receive} made of a frame. */
    public enum Result {
        /** Stored (or already had it). */
        OK,
        /** Data beyond the advertised limit: a flow-control violation. */
        FLOW_CONTROL_ERROR,
        /** Data beyond the final size, or a final size that contradicts an earlier one. */
        FINAL_SIZE_ERROR,
        /** The data would leave more separate holes than the buffer tracks. */
        TOO_FRAGMENTED
    }

    /**
     * The most separate received ranges (and so holes) kept ahead of the reader. A sender with
     * full-sized packets leaves at most one hole per lost packet in the window; only a peer that
     * scatters tiny frames to exhaust memory reaches this.
     */
    public static int maxRanges(int window) {
        return Math.max(1024, window / 512);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ByteRing ring;
    private final RangeSet received = new RangeSet();
    private final Runnable onConsumed;
    private final Executor callbacks;
    private final ArrayDeque<PendingRead> pendingReads = new ArrayDeque<>();

    private final int maxRanges;
    private long readOffset;
    private long highestReceived;
    private long finalSize = -1;
    private IOException failure;
    private boolean stopped;
    /**
     * Set by the loop while the peer has credit to spare and so will send more frames, at whose
     * arrival the loop sees what was read: reads then need not wake the loop. Cleared when credit
     * runs low, so that a read which should extend it tells the loop at once.
     */
    private boolean quiet;
    /** Whether {@link #receive} leaves waking readers to a later {@link #wakeReaders} call. */
    private boolean deferWakeups;

    private record PendingRead(ByteBuffer dst, CompletableFuture<Integer> future) {
    }

    /**
     * @param window     the most bytes held ahead of the reader
     * @param onConsumed run (on the reading thread, outside the lock) after the application read,
     *                   so the loop can extend the peer's credit; not run while the loop asked for
     *                   {@linkplain #quietReads quiet reads}, except for the read that reaches
     *                   the end of the stream
     * @param callbacks  where asynchronous reads complete (never the loop)
     */
    public ReceiveBuffer(int window, Runnable onConsumed, Executor callbacks) {
        this.ring = new ByteRing(window);
        this.maxRanges = maxRanges(window);
        this.onConsumed = onConsumed;
        this.callbacks = callbacks;
    }

    // ---- loop side ---------------------------------------------------------------------------

    /** Stores stream data at {@code offset}; {@code limit} is the largest offset the peer may send. */
    public Result receive(long offset, ByteBuffer data, boolean fin, long limit) {
        return receive(offset, data, data.position(), data.remaining(), fin, limit);
    }

    /**
     * Stores the {@code length} bytes at {@code [position, position + length)} of {@code src}, which
     * lie below its limit (its position and limit are left alone), at stream offset {@code offset}; as
     * {@link #receive(long, ByteBuffer, boolean, long)} otherwise.
     */
    public Result receive(long offset, ByteBuffer src, int position, int length, boolean fin, long limit) {
        long end = offset + length;
        lock.lock();
        try {
            if (end > limit) {
                return Result.FLOW_CONTROL_ERROR;
            }
            if ((finalSize >= 0 && (end > finalSize || (fin && end != finalSize)))
                    || (fin && end < highestReceived)) {
                return Result.FINAL_SIZE_ERROR;
            }
            if (fin) {
                finalSize = end;
            }
            highestReceived = Math.max(highestReceived, end);
            if (stopped) {
                return Result.OK;
            }
            long start = Math.max(offset, readOffset);
            if (start < end && !received.containsAll(start, end)) {
                if (received.rangeCount() >= maxRanges && !received.touches(start, end)) {
                    return Result.TOO_FRAGMENTED;
                }
                if (!ring.ensure(end)) {
                    return Result.FLOW_CONTROL_ERROR;
                }
                int skip = (int) (start - offset);
                if (src.hasArray()) {
                    ring.put(start, src.array(), src.arrayOffset() + position + skip, length - skip);
                } else {
                    ring.put(start, src, position + skip, length - skip);
                }
                received.add(start, end);
            }
            if (hasReadableLocked() && !deferWakeups) {
                readable.signalAll();
                completePendingReads();
            }
            return Result.OK;
        } finally {
            lock.unlock();
        }
    }

    /** The peer reset the stream: readers fail with {@code e} (data not yet read is discarded). */
    public Result reset(long finalSizeFromPeer, IOException e) {
        lock.lock();
        try {
            if ((finalSize >= 0 && finalSizeFromPeer != finalSize) || finalSizeFromPeer < highestReceived) {
                return Result.FINAL_SIZE_ERROR;
            }
            finalSize = finalSizeFromPeer;
            highestReceived = finalSizeFromPeer;
            failLocked(e);
            return Result.OK;
        } finally {
            lock.unlock();
        }
    }

    /** Fails current and later readers with {@code e}, unless the stream already ended cleanly. */
    public void fail(IOException e) {
        lock.lock();
        try {
            boolean everythingReceived = finalSize >= 0 && received.contiguousEnd(readOffset) == finalSize;
            if (!everythingReceived) {
                failLocked(e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void failLocked(IOException e) {
        if (failure == null) {
            failure = e;
        }
        readable.signalAll();
        completePendingReads();
    }

    /** The largest offset received so far (counts toward connection-level flow control). */
    public long highestReceived() {
        lock.lock();
        try {
            return highestReceived;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the application has consumed. */
    public long readOffset() {
        lock.lock();
        try {
            return readOffset;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the peer's data (up to its FIN) has all been read, or the stream was reset. */
    public boolean isComplete() {
        lock.lock();
        try {
            return (finalSize >= 0 && readOffset == finalSize) || failure != null || stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the final size is known (FIN or reset received). */
    public boolean isFinalSizeKnown() {
        lock.lock();
        try {
            return finalSize >= 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether reads may leave the loop untold (see {@code onConsumed}). The loop sets it when it
     * will look at {@link #readOffset} again anyway, because more frames are bound to come.
     */
    public void quietReads(boolean quietReads) {
        lock.lock();
        try {
            this.quiet = quietReads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on {@link #receive} does not wake waiting readers itself; the loop calls
     * {@link #wakeReaders} once it has taken in a batch of datagrams, so that a reader wakes once
     * per batch rather than once per packet.
     */
    public void deferWakeups() {
        lock.lock();
        try {
            deferWakeups = true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes readers (and completes asynchronous reads) if there is something for them. */
    public void wakeReaders() {
        lock.lock();
        try {
            if (hasReadableLocked()) {
                readable.signalAll();
                completePendingReads();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the loop must hear of a read of {@code n} bytes that just happened. */
    private boolean tellLocked(int n) {
        return n > 0 && (!quiet || readOffset == finalSize);
    }

    // ---- application side --------------------------------------------------------------------

    /** Reads up to {@code len} bytes, blocking until some arrive; -1 at the end of the stream. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        boolean tell;
        lock.lock();
        try {
            while (!hasReadableLocked()) {
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for stream data");
                }
            }
            n = takeLocked(b, off, len);
            tell = tellLocked(n);
        } finally {
            lock.unlock();
        }
        if (tell) {
            onConsumed.run();
        }
        return n;
    }

    /** Reads what is available without blocking: the count, 0 if nothing yet, -1 at the end. */
    public int tryRead(ByteBuffer dst) throws IOException {
        int n;
        boolean tell;
        lock.lock();
        try {
            long available = received.contiguousEnd(readOffset) - readOffset;
            if (available > 0 && failure == null) {
                n = (int) Math.min(available, dst.remaining());
                ring.get(readOffset, dst, n);
                advanceLocked(n);
                tell = tellLocked(n);
            } else if (failure != null) {
                throw failure;
            } else if (finalSize >= 0 && readOffset == finalSize) {
                return -1;
            } else {
                return 0;
            }
        } finally {
            lock.unlock();
        }
        if (tell) {
            onConsumed.run();
        }
        return n;
    }

    /** Bytes readable without blocking. */
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, received.contiguousEnd(readOffset) - readOffset);
        } finally {
            lock.unlock();
        }
    }

    /** Reads into {@code dst} when data is available; the future completes off the loop. */
    public CompletableFuture<Integer> readAsync(ByteBuffer dst) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        lock.lock();
        try {
            pendingReads.add(new PendingRead(dst, future));
            if (hasReadableLocked()) {
                completePendingReads();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** The application stops reading: data is discarded from now on. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            received.clear();
            ring.release(Long.MAX_VALUE / 2);
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean hasReadableLocked() {
        return failure != null || stopped || received.contiguousEnd(readOffset) > readOffset
                || (finalSize >= 0 && readOffset == finalSize);
    }

    /** Takes readable bytes under the lock; -1 at end; throws the failure. */
    private int takeLocked(byte[] b, int off, int len) throws IOException {
        long available = received.contiguousEnd(readOffset) - readOffset;
        if (available > 0 && failure == null) {
            int n = (int) Math.min(available, len);
            ring.get(readOffset, b, off, n);
            advanceLocked(n);
            return n;
        }
        if (failure != null) {
            throw failure;
        }
        return -1;
    }

    private void advanceLocked(int n) {
        readOffset += n;
        ring.release(readOffset);
        received.removeBelow(readOffset);
    }

    private void completePendingReads() {
        while (!pendingReads.isEmpty() && hasReadableLocked()) {
            PendingRead read = pendingReads.poll();
            long available = received.contiguousEnd(readOffset) - readOffset;
            if (available > 0 && failure == null) {
                int n = (int) Math.min(available, read.dst().remaining());
                ring.get(readOffset, read.dst(), n);
                advanceLocked(n);
                callbacks.execute(() -> {
                    read.future().complete(n);
                    onConsumed.run();
                });
            } else if (failure != null) {
                IOException e = failure;
                callbacks.execute(() -> read.future().completeExceptionally(e));
            } else {
                callbacks.execute(() -> read.future().complete(-1));
            }
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "receive[read=" + readOffset + ", received=" + received + ", highest=" + highestReceived
                    + (finalSize >= 0 ? ", final=" + finalSize : "") + (failure != null ? ", failed" : "")
                    + (stopped ? ", stopped" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
