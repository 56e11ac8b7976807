package dev.srudp.core.stream;

import java.nio.ByteBuffer;

/**
 * Bytes addressed by absolute stream offset, kept for the window [base, base + capacity). It grows
 * by doubling up to a fixed limit, so an idle stream costs little and a busy one stops
 * allocating. Not thread-safe: the owning buffer guards it.
 */
final class ByteRing {
    private static final int INITIAL_CAPACITY = 4096;

    private final int maxCapacity;
    private byte[] bytes;
    private long base;

    ByteRing(int maxCapacity) {
        this.maxCapacity = maxCapacity;
        this.bytes = new byte[0];
    }

    long base() {
        return base;
    }

    int maxCapacity() {
        return maxCapacity;
    }

    /** Makes room for offsets up to {@code end} (exclusive); false if that exceeds the limit. */
    boolean ensure(long end) {
        long needed = end - base;
        if (needed > maxCapacity) {
            return false;
        }
        if (needed <= bytes.length) {
            return true;
        }
        int capacity = Math.min(maxCapacity, Math.max(INITIAL_CAPACITY, bytes.length));
        while (capacity < needed) {
            capacity = (int) Math.min((long) capacity * 2, maxCapacity);
        }
        byte[] grown = new byte[capacity];
        if (bytes.length > 0) {
            // unroll the old ring so that `base` keeps its position modulo the new capacity
            long offset = base;
            while (offset < base + bytes.length) {
                int from = index(offset, bytes.length);
                int run = Math.min(bytes.length - from, (int) (base + bytes.length - offset));
                int to = index(offset, capacity);
                int firstPart = Math.min(run, capacity - to);
                System.arraycopy(bytes, from, grown, to, firstPart);
                if (firstPart < run) {
                    System.arraycopy(bytes, from + firstPart, grown, 0, run - firstPart);
                }
                offset += run;
            }
        }
        bytes = grown;
        return true;
    }

    /**
     * Copies {@code src}'s bytes [index, index + length) to [offset, offset + length); room must
     * exist. The copy uses absolute indexes: {@code src}'s position and limit are left alone.
     */
    void put(long offset, ByteBuffer src, int index, int length) {
        int at = index(offset, bytes.length);
        int first = Math.min(length, bytes.length - at);
        src.get(index, bytes, at, first);
        if (first < length) {
            src.get(index + first, bytes, 0, length - first);
        }
    }

    /** Copies {@code length} bytes from an array to [offset, offset + length). */
    void put(long offset, byte[] src, int srcOffset, int length) {
        int at = index(offset, bytes.length);
        int first = Math.min(length, bytes.length - at);
        System.arraycopy(src, srcOffset, bytes, at, first);
        if (first < length) {
            System.arraycopy(src, srcOffset + first, bytes, 0, length - first);
        }
    }

    /** Copies [offset, offset + length) into {@code dst} at its position. */
    void get(long offset, ByteBuffer dst, int length) {
        int at = index(offset, bytes.length);
        int first = Math.min(length, bytes.length - at);
        dst.put(bytes, at, first);
        if (first < length) {
            dst.put(bytes, 0, length - first);
        }
    }

    /** Copies [offset, offset + length) into an array. */
    void get(long offset, byte[] dst, int dstOffset, int length) {
        int at = index(offset, bytes.length);
        int first = Math.min(length, bytes.length - at);
        System.arraycopy(bytes, at, dst, dstOffset, first);
        if (first < length) {
            System.arraycopy(bytes, 0, dst, dstOffset + first, length - first);
        }
    }

    /** Forgets everything below {@code newBase}. */
    void release(long newBase) {
        if (newBase > base) {
            base = newBase;
        }
    }

    private static int index(long offset, int capacity) {
        return capacity == 0 ? 0 : (int) Math.floorMod(offset, (long) capacity);
    }
}
