package dev.srudp.core.congestion;

/**
 * Decides how many bytes may be in flight. The loss detector reports every sent, acknowledged and
 * lost packet; the controller answers with a window. Implementations are loop-owned and take time
 * as an argument.
 */
public interface CongestionController {

    /** A packet of {@code bytes} counted in flight was sent. */
    void onPacketSent(long nowNanos, int bytes);

    /** A packet sent at {@code sentNanos} was acknowledged. */
    void onPacketAcked(long nowNanos, long sentNanos, int bytes, long smoothedRttNanos);

    /** Packets were declared lost; {@code largestLostSentNanos} is when the newest of them was sent. */
    void onPacketsLost(long nowNanos, long largestLostSentNanos, long lostBytes);

    /** Bytes in flight that the controller forgot (packets abandoned without ACK or loss). */
    void onPacketDiscarded(int bytes);

    /** The congestion window in bytes. */
    long windowBytes();

    /** Bytes currently counted in flight. */
    long bytesInFlight();

    /** Whether a packet of {@code bytes} may be sent now. */
    default boolean canSend(int bytes) {
        return bytesInFlight() + bytes <= windowBytes();
    }

    /**
     * The rate in bytes per second at which packets should be spread out (see {@link Pacer}), or 0
     * when the controller does not ask for pacing.
     */
    default long pacingRateBytesPerSecond() {
        return 0;
    }

    /**
     * A round-trip time sample was taken ({@code latestRttNanos}, not adjusted for the peer's ACK
     * delay), and {@code minRttNanos} is the connection's minimum so far. Called by the connection
     * after each sample (RFC 9002, section 5.1).
     */
    default void onRttSample(long nowNanos, long latestRttNanos, long minRttNanos) {
    }
}
