package dev.srudp.core.congestion;

/**
 * The NewReno congestion controller of RFC 9002, section 7 and Appendix B.
 */
public final class NewReno implements CongestionController {
    private final int maxDatagramSize;
    private final long minimumWindow;
    private long window;
    private long bytesInFlight;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryStartNanos = Long.MIN_VALUE;
    private long ackedInAvoidance;
    /** The smoothed RTT last passed to {@link #onPacketAcked}, 0 before any. */
    private long smoothedRttNanos;

    public NewReno(int maxDatagramSize) {
        this.maxDatagramSize = maxDatagramSize;
        // RFC 9002, section 7.2: "Endpoints SHOULD use an initial congestion window of ten times the
        // maximum datagram size (max_datagram_size), while limiting the window to the larger of
        // 14,720 bytes or twice the maximum datagram size."
        this.window = Math.min(10L * maxDatagramSize, Math.max(14_720L, 2L * maxDatagramSize));
        // "The RECOMMENDED value [of kMinimumWindow] is 2 * max_datagram_size."
        this.minimumWindow = 2L * maxDatagramSize;
    }

    @Override
    public void onPacketSent(long nowNanos, int bytes) {
        bytesInFlight += bytes;
    }

    @Override
    public void onPacketAcked(long nowNanos, long sentNanos, int bytes, long smoothedRttNanos) {
        bytesInFlight = Math.max(0, bytesInFlight - bytes);
        if (smoothedRttNanos > 0) {
            this.smoothedRttNanos = smoothedRttNanos;
        }
        // RFC 9002, section 7.3.2: "the congestion window does not increase in response to
        // acknowledgments of packets sent during the recovery period"
        if (sentNanos <= recoveryStartNanos) {
            return;
        }
        if (window < ssthresh) {
            // slow start: "the congestion window increases by the number of bytes acknowledged"
            window += bytes;
        } else {
            // congestion avoidance: one maximum datagram per window's worth of acknowledged bytes
            ackedInAvoidance += bytes;
            if (ackedInAvoidance >= window) {
                ackedInAvoidance -= window;
                window += maxDatagramSize;
            }
        }
    }

    @Override
    public void onPacketsLost(long nowNanos, long largestLostSentNanos, long lostBytes) {
        bytesInFlight = Math.max(0, bytesInFlight - lostBytes);
        // RFC 9002, section 7.3.2: "If the congestion window is reduced immediately, a single
        // packet can be sent prior to reduction" and a new recovery period starts only for a loss
        // of a packet sent after the current period began.
        if (largestLostSentNanos <= recoveryStartNanos) {
            return;
        }
        recoveryStartNanos = nowNanos;
        // kLossReductionFactor = 0.5
        ssthresh = Math.max(window / 2, minimumWindow);
        window = ssthresh;
        ackedInAvoidance = 0;
    }

    @Override
    public void onPacketDiscarded(int bytes) {
        bytesInFlight = Math.max(0, bytesInFlight - bytes);
    }

    /**
     * RFC 9002, section 7.7: "Using a value for N that is small, but at least 1 (for example,
     * 1.25) ensures that variations in RTT do not result in underutilization of the congestion
     * window", with {@code rate = N * congestion_window / smoothed_rtt}. Here N = 5/4. Returns 0
     * (unpaced) until a smoothed RTT has been seen.
     */
    @Override
    public long pacingRateBytesPerSecond() {
        if (smoothedRttNanos <= 0) {
            return 0;
        }
        return Rates.mulDiv(window, 5 * Rates.NANOS_PER_SECOND, 4 * smoothedRttNanos);
    }

    @Override
    public long windowBytes() {
        return window;
    }

    @Override
    public long bytesInFlight() {
        return bytesInFlight;
    }
}
