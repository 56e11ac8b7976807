package dev.srudp.core.congestion;

/**
 * A token bucket that spreads packets out at a congestion controller's pacing rate (RFC 9002,
 * section 7.7: "A sender SHOULD pace sending of all in-flight packets based on input from the
 * congestion controller"), while allowing a short burst after idle.
 *
 * <p>Units: time in nanoseconds (any origin, as from {@link System#nanoTime()}; only differences
 * are used), sizes in bytes, rates in bytes per second. Internally the bucket counts
 * nano-bytes (10<sup>-9</sup> byte): one nanosecond at R bytes per second adds exactly R
 * nano-bytes, so refilling is exact integer arithmetic and repeated sends accumulate no rounding
 * drift. The bucket holds at most {@code burstBytes} (10 full datagrams by default), which it
 * also holds when created. A rate of 0 means unpaced: every packet may go at once and the bucket
 * stays full.
 *
 * <p>When the rate changes, the time since the last update is credited at the new rate, which
 * errs by at most one inter-packet gap. A packet larger than the burst may go when the bucket is
 * full; the bucket then goes into debt, delaying the next packet accordingly.
 *
 * <p>Not thread-safe; owned by the connection's loop. Reads no clock.
 */
public final class Pacer {
    /** Default burst allowance, in full-sized datagrams. */
    public static final int DEFAULT_BURST_DATAGRAMS = 10;

    private static final long NANO_BYTES_PER_BYTE = Rates.NANOS_PER_SECOND;

    private final long capacity;
    /** Tokens in nano-bytes; negative while in debt after an oversized packet. */
    private long tokens;
    private long updatedNanos;
    private boolean started;

    /** A pacer allowing a burst of {@value #DEFAULT_BURST_DATAGRAMS} datagrams of {@code maxDatagramSize}. */
    public Pacer(int maxDatagramSize) {
        this((long) DEFAULT_BURST_DATAGRAMS * maxDatagramSize);
    }

    /** A pacer allowing a burst of {@code burstBytes} (at least 1). */
    public Pacer(long burstBytes) {
        if (burstBytes <= 0 || burstBytes > Long.MAX_VALUE / NANO_BYTES_PER_BYTE) {
            throw new IllegalArgumentException("burst bytes " + burstBytes);
        }
        this.capacity = burstBytes * NANO_BYTES_PER_BYTE;
        this.tokens = capacity;
    }

    /**
     * The earliest time at which a packet of {@code bytes} may be sent: {@code nowNanos} itself
     * if it may go now. Does not change the pacer.
     */
    public long nextSendTimeNanos(long nowNanos, int bytes, long rateBytesPerSecond) {
        if (rateBytesPerSecond <= 0) {
            return nowNanos;
        }
        long available = tokensAt(nowNanos, rateBytesPerSecond);
        long needed = Math.min((long) Math.max(bytes, 0) * NANO_BYTES_PER_BYTE, capacity);
        if (available >= needed) {
            return nowNanos;
        }
        // ceil((needed - available) / rate) nanoseconds until enough nano-bytes have accrued
        long missing = needed - available;
        long wait = missing / rateBytesPerSecond + (missing % rateBytesPerSecond == 0 ? 0 : 1);
        return nowNanos + wait;
    }

    /** A packet of {@code bytes} was sent at {@code nowNanos} while the rate was {@code rateBytesPerSecond}. */
    public void onPacketSent(long nowNanos, int bytes, long rateBytesPerSecond) {
        if (rateBytesPerSecond <= 0) {
            tokens = capacity;
        } else {
            tokens = tokensAt(nowNanos, rateBytesPerSecond) - (long) Math.max(bytes, 0) * NANO_BYTES_PER_BYTE;
        }
        updatedNanos = nowNanos;
        started = true;
    }

    /** The burst allowance in bytes. */
    public long burstBytes() {
        return capacity / NANO_BYTES_PER_BYTE;
    }

    /** Tokens (nano-bytes) the bucket would hold at {@code nowNanos}. */
    private long tokensAt(long nowNanos, long rate) {
        if (!started) {
            return tokens;
        }
        long elapsed = nowNanos - updatedNanos;
        if (elapsed <= 0) {
            return tokens;
        }
        long deficit = capacity - tokens; // >= 0 and < capacity + max packet: no overflow
        // elapsed * rate may overflow after long idle periods; compare by division first
        if (elapsed >= deficit / rate + 1) {
            return capacity;
        }
        return tokens + elapsed * rate; // elapsed * rate <= deficit + rate: fits
    }
}
