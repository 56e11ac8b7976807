package dev.srudp.core.congestion;

/** Overflow-safe integer arithmetic for rates (bytes per second) and durations (nanoseconds). */
final class Rates {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Rates() {
    }

    /**
     * {@code floor(a * b / c)} for {@code a, b >= 0} and {@code c > 0}, computed without
     * intermediate overflow and saturating at {@link Long#MAX_VALUE}.
     */
    static long mulDiv(long a, long b, long c) {
        if (a < 0 || b < 0 || c <= 0) {
            throw new IllegalArgumentException("mulDiv(" + a + ", " + b + ", " + c + ")");
        }
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if (high == 0 && low >= 0) {
            return low / c;
        }
        if (high >= c) {
            return Long.MAX_VALUE; // the quotient needs more than 64 bits
        }
        // The 128-bit product divided by c, one bit of the low half at a time, without allocating
        // (a pacing rate is computed per packet, and a large window makes the product overflow).
        // The remainder stays below c < 2^63, so shifted it still fits 64 bits unsigned.
        long remainder = high;
        long quotient = 0;
        for (int bit = 63; bit >= 0; bit--) {
            remainder = (remainder << 1) | ((low >>> bit) & 1);
            quotient <<= 1;
            if (Long.compareUnsigned(remainder, c) >= 0) {
                remainder -= c;
                quotient |= 1;
            }
        }
        return quotient < 0 ? Long.MAX_VALUE : quotient;
    }

    /** Bytes per second for {@code bytes} delivered over {@code nanos > 0}. */
    static long bytesPerSecond(long bytes, long nanos) {
        return mulDiv(bytes, NANOS_PER_SECOND, nanos);
    }

    /** Bytes delivered over {@code nanos} at {@code bytesPerSecond}. */
    static long bytesOver(long bytesPerSecond, long nanos) {
        return mulDiv(bytesPerSecond, nanos, NANOS_PER_SECOND);
    }
}
