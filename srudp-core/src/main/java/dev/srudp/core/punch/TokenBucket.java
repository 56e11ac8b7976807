package dev.srudp.core.punch;

/** A token bucket on the loop's clock: {@code ratePerSecond} tokens a second, at most {@code burst} saved. */
final class TokenBucket {
    private final long nanosPerToken;
    private final long burstNanos;
    private long emptyAtNanos = Long.MIN_VALUE;

    TokenBucket(int ratePerSecond, int burst) {
        this.nanosPerToken = 1_000_000_000L / ratePerSecond;
        this.burstNanos = nanosPerToken * burst;
    }

    /** Takes a token if one is there. */
    boolean tryTake(long nowNanos) {
        // the bucket is kept as the time at which it would be empty: full means burst tokens before now
        long full = nowNanos - burstNanos;
        long start = emptyAtNanos == Long.MIN_VALUE ? full : Math.max(emptyAtNanos, full);
        if (start + nanosPerToken > nowNanos) {
            return false;
        }
        emptyAtNanos = start + nanosPerToken;
        return true;
    }
}
