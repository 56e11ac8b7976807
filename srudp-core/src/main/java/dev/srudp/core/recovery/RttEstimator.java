package dev.srudp.core.recovery;

/**
 * Round-trip time estimation as RFC 9002, section 5 specifies it.
 */
public final class RttEstimator {
    /**
     * RFC 9002, section 6.2.2: "When no previous RTT is available, the initial RTT SHOULD be set to
     * 333 milliseconds."
     */
    public static final long INITIAL_RTT_NANOS = 333_000_000L;
    /** RFC 9002, section 6.1.2: "The RECOMMENDED value of the timer granularity (kGranularity) is 1 millisecond." */
    public static final long GRANULARITY_NANOS = 1_000_000L;

    private long latestRttNanos;
    private long smoothedRttNanos = INITIAL_RTT_NANOS;
    private long rttVarNanos = INITIAL_RTT_NANOS / 2;
    private long minRttNanos = Long.MAX_VALUE;
    private boolean hasSample;

    /**
     * Takes a sample.
     *
     * @param sampleNanos   time from sending the largest newly acknowledged packet to its ACK
     * @param ackDelayNanos the delay the peer reported, already capped at its max_ack_delay
     */
    public void onSample(long sampleNanos, long ackDelayNanos) {
        latestRttNanos = Math.max(sampleNanos, 1);
        minRttNanos = Math.min(minRttNanos, latestRttNanos);
        if (!hasSample) {
            // RFC 9002, section 5.3: "smoothed_rtt = latest_rtt; rttvar = latest_rtt / 2"
            hasSample = true;
            smoothedRttNanos = latestRttNanos;
            rttVarNanos = latestRttNanos / 2;
            return;
        }
        // RFC 9002, section 5.3: "adjusted_rtt = latest_rtt; if (latest_rtt >= min_rtt + ack_delay):
        // adjusted_rtt = latest_rtt - ack_delay"
        long adjusted = latestRttNanos;
        if (latestRttNanos >= minRttNanos + ackDelayNanos) {
            adjusted = latestRttNanos - ackDelayNanos;
        }
        // "rttvar = 3/4 * rttvar + 1/4 * abs(smoothed_rtt - adjusted_rtt);
        //  smoothed_rtt = 7/8 * smoothed_rtt + 1/8 * adjusted_rtt"
        rttVarNanos = (3 * rttVarNanos + Math.abs(smoothedRttNanos - adjusted)) / 4;
        smoothedRttNanos = (7 * smoothedRttNanos + adjusted) / 8;
    }

    public boolean hasSample() {
        return hasSample;
    }

    public long smoothedRttNanos() {
        return smoothedRttNanos;
    }

    public long rttVarNanos() {
        return rttVarNanos;
    }

    public long latestRttNanos() {
        return hasSample ? latestRttNanos : INITIAL_RTT_NANOS;
    }

    public long minRttNanos() {
        return hasSample ? minRttNanos : INITIAL_RTT_NANOS;
    }

    /**
     * The probe timeout without backoff. RFC 9002, section 6.2.1: "PTO = smoothed_rtt +
     * max(4*rttvar, kGranularity) + max_ack_delay".
     */
    public long probeTimeoutNanos(long maxAckDelayNanos) {
        return smoothedRttNanos + Math.max(4 * rttVarNanos, GRANULARITY_NANOS) + maxAckDelayNanos;
    }

    /**
     * RFC 9002, section 6.1.2: "max(kTimeThreshold * max(smoothed_rtt, latest_rtt),
     * kGranularity)" with kTimeThreshold = 9/8.
     */
    public long lossDelayNanos() {
        long rtt = Math.max(smoothedRttNanos, latestRttNanos());
        return Math.max(rtt + rtt / 8, GRANULARITY_NANOS);
    }
}
