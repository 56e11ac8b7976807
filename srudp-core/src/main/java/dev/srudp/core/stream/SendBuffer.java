package dev.srudp.core.stream;

import dev.srudp.core.util.RangeSet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a stream: bytes the application wrote, kept until the peer acknowledges
 * them. Application threads write (blocking while the buffer is full); the protocol loop takes
 * chunks to send, and reports acknowledgements and losses. A lock guards the state; no I/O
 * happens under it and it is held only for copies.
 */
public final class SendBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteRing ring;
    private final Runnable onWritable;
    /**
     * A blocked writer resumes once this much room is free, not at the first free byte: waking a
     * thread per acknowledgement would cost a context switch for every couple of packets.
     */
    private final int resumeRoom;
    private int writersWaiting;
    private int ackWaiters;

    // written by the application
    private long writeEnd;
    private boolean finWritten;
    private IOException failure;

    // owned by the loop (guarded by the lock all the same)
    private long sendNext;
    private final RangeSet lost = new RangeSet();
    private final RangeSet acked = new RangeSet();
    private boolean finSent;
    private boolean finLost;
    private boolean finAcked;

    /**
     * @param capacity   the most bytes buffered (written but not yet acknowledged)
     * @param onWritable run (on the writing thread, outside the lock) when data or the FIN was
     *                   added while nothing else waited to be sent, to tell the loop; while unsent
     *                   data remains the loop already knows, and more writes do not tell it again
     */
    public SendBuffer(int capacity, Runnable onWritable) {
        this.ring = new ByteRing(capacity);
        this.onWritable = onWritable;
        this.resumeRoom = Math.max(1, capacity / 4);
    }

    // ---- application side ------------------------------------------------------------------

    /** Writes all bytes, blocking while the buffer is full. */
    public void write(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            long r = offer(b, off + done, len - done);
            done += (int) r;
            if ((r & TELL_LOOP) != 0) {
                onWritable.run();
            }
        }
    }

    /** Set in {@link #offer}'s result when the loop must be told about the bytes taken. */
    private static final long TELL_LOOP = 1L << 32;

    /** Copies as much as fits without blocking; returns the number of bytes taken. */
    public int tryWrite(ByteBuffer src) throws IOException {
        lock.lock();
        int n;
        boolean tell;
        try {
            checkWritable();
            n = (int) Math.min(src.remaining(), ring.maxCapacity() - (writeEnd - ring.base()));
            tell = n > 0 && nothingUnsentLocked();
            if (n > 0) {
                ring.ensure(writeEnd + n);
                ring.put(writeEnd, src, src.position(), n);
                src.position(src.position() + n);
                writeEnd += n;
            }
        } finally {
            lock.unlock();
        }
        if (tell) {
            onWritable.run();
        }
        return n;
    }

    /**
     * Takes what fits of {@code b}, waiting while the buffer is full; returns the count, with
     * {@link #TELL_LOOP} set when the loop has to be told.
     */
    private long offer(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (true) {
                checkWritable();
                int room = room();
                if (room > 0) {
                    int n = Math.min(room, len);
                    boolean tell = nothingUnsentLocked();
                    ring.ensure(writeEnd + n);
                    ring.put(writeEnd, b, off, n);
                    writeEnd += n;
                    return n | (tell ? TELL_LOOP : 0);
                }
                writersWaiting++;
                try {
                    // the buffer is full: wait for a good share of it to be acknowledged
                    while (failure == null && !finWritten && room() < Math.min(len, resumeRoom)) {
                        changed.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to write");
                } finally {
                    writersWaiting--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private int room() {
        return (int) (ring.maxCapacity() - (writeEnd - ring.base()));
    }

    /**
     * Whether the loop has nothing of this stream's new data to send (so it may have forgotten the
     * stream). Retransmissions do not count: the loop itself queued them.
     */
    private boolean nothingUnsentLocked() {
        return sendNext == writeEnd;
    }

    private void checkWritable() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finWritten) {
            throw new IOException("stream output is shut down");
        }
    }

    /** Ends the stream (FIN after everything written). Idempotent. */
    public void finish() {
        lock.lock();
        try {
            if (finWritten || failure != null) {
                return;
            }
            finWritten = true;
        } finally {
            lock.unlock();
        }
        onWritable.run();
    }

    /** Fails current and later writers with {@code e} (reset, connection closed). */
    public void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every byte and the FIN are acknowledged, or the buffer failed. */
    public boolean awaitAcknowledged(long timeoutNanos) throws InterruptedException, IOException {
        lock.lock();
        ackWaiters++;
        try {
            long left = timeoutNanos;
            while (!(finWritten && finAcked && ring.base() == writeEnd)) {
                if (failure != null) {
                    throw failure;
                }
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            ackWaiters--;
            lock.unlock();
        }
    }

    // ---- loop side ---------------------------------------------------------------------------

    /** What {@link #nextChunk} chose to send. Reused; valid until the next call. */
    public static final class Chunk {
        public long offset;
        public int length;
        public boolean fin;
        public boolean retransmission;
    }

    /**
     * Chooses the next bytes to send: lost bytes first, then new bytes below {@code flowLimit}.
     *
     * @param maxLength       the most bytes the packet can take
     * @param flowLimit       the peer's limit for this stream (largest offset + 1 it accepts)
     * @param connectionCredit how many new (never sent) bytes connection-level flow control allows
     * @return whether there is something (data or a bare FIN) to send; the chunk says what
     */
    public boolean nextChunk(int maxLength, long flowLimit, long connectionCredit, Chunk chunk) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            while (!lost.isEmpty()) {
                long start = lost.first();
                long end = Math.min(lost.end(0), start + maxLength);
                lost.remove(start, end);
                if (acked.containsAll(start, end) || end <= ring.base()) {
                    continue;
                }
                start = Math.max(start, ring.base());
                chunk.offset = start;
                chunk.length = (int) (end - start);
                chunk.fin = finWritten && end == writeEnd && (finLost || !finSent);
                if (chunk.fin) {
                    finLost = false;
                    finSent = true;
                }
                chunk.retransmission = true;
                return true;
            }
            long limit = Math.min(writeEnd, Math.min(flowLimit, sendNext + connectionCredit));
            int length = (int) Math.max(0, Math.min(maxLength, limit - sendNext));
            boolean fin = finWritten && sendNext + length == writeEnd && (!finSent || finLost);
            if (length == 0 && !fin) {
                return false;
            }
            chunk.offset = sendNext;
            chunk.length = length;
            chunk.fin = fin;
            chunk.retransmission = finLost && length == 0;
            sendNext += length;
            if (fin) {
                finSent = true;
                finLost = false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Copies [offset, offset + length) into {@code out}. */
    public void copy(long offset, int length, ByteBuffer out) {
        lock.lock();
        try {
            ring.get(offset, out, length);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #nextChunk} would find something with these limits. */
    public boolean hasSendable(long flowLimit, long connectionCredit) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            if (!lost.isEmpty() || (finWritten && (!finSent || finLost) && sendNext == writeEnd)) {
                return true;
            }
            return Math.min(writeEnd, Math.min(flowLimit, sendNext + connectionCredit)) > sendNext;
        } finally {
            lock.unlock();
        }
    }

    /** Whether new data waits only for flow-control credit. */
    public boolean isBlockedBy(long flowLimit) {
        lock.lock();
        try {
            return writeEnd > sendNext && sendNext >= flowLimit;
        } finally {
            lock.unlock();
        }
    }

    /** The peer acknowledged [offset, offset + length) (and the FIN with it, if {@code fin}). */
    public void onAcked(long offset, int length, boolean fin) {
        lock.lock();
        try {
            acked.add(offset, offset + length);
            // an acknowledgement may arrive after the same content was declared lost (a probe
            // requeues content that is still in flight): it need not be sent again
            lost.remove(offset, offset + length);
            if (fin) {
                finAcked = true;
                finLost = false;
            }
            long floor = acked.contiguousEnd(ring.base());
            if (floor > ring.base()) {
                ring.release(floor);
                acked.removeBelow(floor);
                lost.removeBelow(floor);
            }
            if (ackWaiters > 0 || (writersWaiting > 0 && room() >= resumeRoom)) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** [offset, offset + length) (and the FIN, if {@code fin}) was lost: send it again. */
    public void onLost(long offset, int length, boolean fin) {
        lock.lock();
        try {
            long start = Math.max(offset, ring.base());
            if (start < offset + length) {
                lost.add(start, offset + length);
                for (int i = 0; i < acked.rangeCount(); i++) {
                    lost.remove(acked.start(i), acked.end(i));
                }
            }
            if (fin && !finAcked) {
                finLost = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether everything written, and the FIN, has been acknowledged. The FIN alone is not enough:
     * it may be acknowledged while earlier bytes are still being retransmitted.
     */
    public boolean isFullyAcknowledged() {
        lock.lock();
        try {
            return finWritten && finAcked && ring.base() == writeEnd;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the application ended the stream. */
    public boolean isFinished() {
        lock.lock();
        try {
            return finWritten;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes ever written (the final size once finished). */
    public long writtenBytes() {
        lock.lock();
        try {
            return writeEnd;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes sent at least once. */
    public long sentBytes() {
        lock.lock();
        try {
            return sendNext;
        } finally {
            lock.unlock();
        }
    }

    /** Whether written data is waiting to be sent or acknowledged. */
    public boolean hasUnacknowledged() {
        lock.lock();
        try {
            return ring.base() < writeEnd || (finWritten && !finAcked);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "send[written=" + writeEnd + (finWritten ? "+FIN" : "") + ", sent=" + sendNext
                    + (finSent ? "+FIN" : "") + ", acked below " + ring.base() + (finAcked ? "+FIN" : "") + ", lost="
                    + lost + (finLost ? "+FIN" : "") + (failure != null ? ", failed" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
