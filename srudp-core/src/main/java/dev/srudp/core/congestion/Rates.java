package dev.srudp.core.congestion;

import java.math.BigInteger;

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
        if (Math.multiplyHigh(a, b) == 0) {
            long product = a * b;
            if (product >= 0) {
                return product / c;
            }
        }
        BigInteger q = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
        return q.bitLength() < 64 ? q.longValue() : Long.MAX_VALUE;
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
