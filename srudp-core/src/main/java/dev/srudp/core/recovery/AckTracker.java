package dev.srudp.core.recovery;

import dev.srudp.core.util.RangeSet;
import dev.srudp.core.wire.Frame;
import java.nio.ByteBuffer;

/**
 * Which packet numbers were received, and when an ACK must be sent.
 *
 * <p>ACK frequency, chosen deliberately: an ACK is sent after every second ack-eliciting packet
 * (RFC 9000, section 13.2.2: "A receiver SHOULD send an ACK frame after receiving at least two
 * ack-eliciting packets"), at once when a packet arrives out of order (so the sender detects loss
 * quickly), and otherwise within {@link #MAX_ACK_DELAY_NANOS}. ACKs ride along in every packet the
 * receiver sends anyway, which on a bidirectional stream makes most of them free.
 */
public final class AckTracker {
    /** The most the receiver delays an ACK: 25 ms, RFC 9000's default max_ack_delay. */
    public static final long MAX_ACK_DELAY_NANOS = 25_000_000L;
    /** Ack-eliciting packets received before an ACK is due at once. */
    public static final int ACK_ELICITING_THRESHOLD = 2;

    private final RangeSet received = new RangeSet();
    /** Pairs (largest, smallest) of the ACK being written, newest first; reused, grown as needed. */
    private long[] ranges = new long[4];
    private long largestReceivedTimeNanos;
    private int unackedAckEliciting;
    private boolean ackImmediately;
    private long ackDeadlineNanos = Long.MAX_VALUE;
    private boolean ackPending;

    /** Records a received (authenticated, not replayed) packet. */
    public void onPacketReceived(long packetNumber, boolean ackEliciting, long nowNanos) {
        boolean outOfOrder = !received.isEmpty() && packetNumber != received.last();
        if (received.isEmpty() || packetNumber >= received.last()) {
            largestReceivedTimeNanos = nowNanos;
        }
        received.add(packetNumber, packetNumber + 1);
        received.keepHighest(Frame.Ack.MAX_RANGES);
        ackPending = true;
        if (ackEliciting) {
            unackedAckEliciting++;
            if (unackedAckEliciting >= ACK_ELICITING_THRESHOLD || outOfOrder) {
                ackImmediately = true;
            } else if (ackDeadlineNanos == Long.MAX_VALUE) {
                ackDeadlineNanos = nowNanos + MAX_ACK_DELAY_NANOS;
            }
        }
    }

    /** Whether an ACK must go out now (a packet should be sent just for it). */
    public boolean isAckDue(long nowNanos) {
        return ackPending && (ackImmediately || nowNanos >= ackDeadlineNanos);
    }

    /** Whether there is anything to acknowledge (an ACK may ride along). */
    public boolean hasAckToSend() {
        return ackPending;
    }

    /**
     * When the delayed ACK is due, or {@code Long.MAX_VALUE}. An ACK due at once is not a timer: the
     * connection asks to send ({@link #isAckDue}).
     */
    public long ackDeadlineNanos() {
        return ackPending && unackedAckEliciting > 0 && !ackImmediately ? ackDeadlineNanos : Long.MAX_VALUE;
    }

    /** Builds the ACK frame for what was received and marks the ACK as sent. */
    public Frame.Ack buildAck(long nowNanos) {
        int n = fillRanges();
        long delayMicros = settle(nowNanos);
        return new Frame.Ack(delayMicros, java.util.Arrays.copyOf(ranges, n * 2));
    }

    /**
     * Writes the ACK frame for what was received into {@code out} without allocating, marks the ACK
     * as sent and returns its largest acknowledged packet number. The frame takes at most
     * {@code 1 + 8 * (3 + 2 * Frame.Ack.MAX_RANGES)} bytes.
     */
    public long writeAck(ByteBuffer out, long nowNanos) {
        int n = fillRanges();
        Frame.Ack.encode(out, settle(nowNanos), ranges, n);
        return ranges[0];
    }

    /** Fills {@link #ranges} with the received ranges, newest first; returns their count. */
    private int fillRanges() {
        int n = received.rangeCount();
        if (2 * n > ranges.length) {
            ranges = new long[2 * Math.max(n, 2 * ranges.length)];
        }
        for (int i = 0; i < n; i++) {
            int from = n - 1 - i;
            ranges[2 * i] = received.end(from) - 1;
            ranges[2 * i + 1] = received.start(from);
        }
        return n;
    }

    /** Marks the ACK as sent; returns its delay field. */
    private long settle(long nowNanos) {
        long delayMicros = Math.max(0, (nowNanos - largestReceivedTimeNanos) / 1000);
        ackPending = false;
        ackImmediately = false;
        unackedAckEliciting = 0;
        ackDeadlineNanos = Long.MAX_VALUE;
        return delayMicros;
    }

    /** The peer acknowledged an ACK up to {@code largest}: older ranges need not be repeated. */
    public void onAckAcknowledged(long largest) {
        if (!received.isEmpty()) {
            // keep the newest packet number so that reordering is still recognised
            received.removeBelow(Math.min(largest + 1, received.last() - 1));
        }
    }

    /** Whether any packet was received. */
    public boolean hasReceived() {
        return !received.isEmpty();
    }
}
