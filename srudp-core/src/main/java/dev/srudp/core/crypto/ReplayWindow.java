package dev.srudp.core.crypto;

import java.util.Arrays;

/**
 * Remembers which packet numbers were received, so that a replayed packet is refused: a
 * sliding window of {@link #WINDOW_SIZE} numbers ending at the highest number seen, kept as a
 * ring of bits in a {@code long[]}.
 *
 * <p>Check {@link #isFresh} before decrypting and call {@link #markSeen} only after the packet
 * authenticated, so forged packets cannot move the window. Packet numbers are non-negative.
 * Not thread-safe.
 */
public final class ReplayWindow {

    /** How many packet numbers, ending at the highest one seen, the window remembers. */
    public static final int WINDOW_SIZE = 2048;

    private static final int MASK = WINDOW_SIZE - 1;

    private final long[] bits = new long[WINDOW_SIZE / Long.SIZE];
    private long highest = -1;

    /**
     * Whether {@code packetNumber} has not been seen and is not older than the window; changes
     * nothing.
     */
    public boolean isFresh(long packetNumber) {
        if (packetNumber < 0) {
            return false;
        }
        if (packetNumber > highest) {
            return true;
        }
        if (highest - packetNumber >= WINDOW_SIZE) {
            return false;
        }
        int bit = (int) (packetNumber & MASK);
        return (bits[bit >>> 6] & (1L << bit)) == 0;
    }

    /**
     * Records {@code packetNumber} as received, sliding the window forward when it is the
     * highest yet; numbers older than the window are ignored.
     */
    public void markSeen(long packetNumber) {
        if (packetNumber < 0) {
            return;
        }
        if (packetNumber > highest) {
            clearAfterHighestUpTo(packetNumber);
            highest = packetNumber;
        } else if (highest - packetNumber >= WINDOW_SIZE) {
            return;
        }
        int bit = (int) (packetNumber & MASK);
        bits[bit >>> 6] |= 1L << bit;
    }

    /** The highest packet number seen, or -1 before the first. */
    public long highestSeen() {
        return highest;
    }

    private void clearAfterHighestUpTo(long packetNumber) {
        if (packetNumber - highest >= WINDOW_SIZE) {
            Arrays.fill(bits, 0L);
            return;
        }
        long next = highest + 1;
        while (next <= packetNumber) {
            int bit = (int) (next & MASK);
            int shift = bit & 63;
            int count = (int) Math.min(64 - shift, packetNumber - next + 1);
            long mask = count == 64 ? -1L : ((1L << count) - 1) << shift;
            bits[bit >>> 6] &= ~mask;
            next += count;
        }
    }
}
