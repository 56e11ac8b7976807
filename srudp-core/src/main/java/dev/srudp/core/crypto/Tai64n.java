package dev.srudp.core.crypto;

import java.util.Arrays;

/**
 * TAI64N timestamps: 12 bytes that sort in time order, used as in WireGuard to refuse a
 * replayed first handshake message whose timestamp is not newer than the last one accepted.
 *
 * <pre>
 * +-------------------------------------------+--------------------------+
 * | 2^62 + seconds since 1970 (8 bytes, BE)   | nanoseconds (4 bytes, BE)|
 * +-------------------------------------------+--------------------------+
 * </pre>
 *
 * The seconds are Unix seconds, not corrected for leap seconds: only the order matters here.
 */
public final class Tai64n {

    /** Length in bytes of a timestamp. */
    public static final int LENGTH = 12;

    private static final long LABEL_BASE = 1L << 62;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Tai64n() {
    }

    /** The timestamp of {@code epochNanos}, nanoseconds since 1970-01-01T00:00:00Z. */
    public static byte[] fromEpochNanos(long epochNanos) {
        long seconds = LABEL_BASE + Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (seconds >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
        return out;
    }

    /**
     * Compares two timestamps as unsigned byte strings: negative when {@code a} is earlier,
     * zero when equal, positive when later.
     *
     * @throws IllegalArgumentException when either is not 12 bytes long
     */
    public static int compare(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != LENGTH || b.length != LENGTH) {
            throw new IllegalArgumentException("a TAI64N timestamp is " + LENGTH + " bytes");
        }
        return Arrays.compareUnsigned(a, b);
    }
}
