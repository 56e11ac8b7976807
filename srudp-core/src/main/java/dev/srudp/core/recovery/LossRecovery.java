package dev.srudp.core.recovery;

import dev.srudp.core.congestion.CongestionController;
import dev.srudp.core.wire.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Loss detection for sent packets, following RFC 9002, section 6: acknowledgement-based detection
 * with packet and time thresholds, and a probe timeout when acknowledgements stop.
 */
public final class LossRecovery {
    /** RFC 9002, section 6.1.1: "The RECOMMENDED initial value for the packet reordering threshold (kPacketThreshold) is 3". */
    public static final int PACKET_THRESHOLD = 3;

    /** Receives what became of sent content. */
    public interface Listener {
        void onAcked(SentPacket.Item item);

        void onLost(SentPacket.Item item);
    }

    private final SentPackets sent = new SentPackets();
    private final RttEstimator rtt;
    private final CongestionController congestion;
    private final long peerMaxAckDelayNanos;
    private long largestAcked = -1;
    private long lossTimeNanos = Long.MAX_VALUE;
    private long lastAckElicitingSentNanos;
    private int ackElicitingInFlight;
    private int ptoCount;
    private long packetsLost;
    private final List<SentPacket> scratch = new ArrayList<>();
    private final List<SentPacket> ackedScratch = new ArrayList<>();
    /** Records of settled packets, for reuse by {@link #newPacket}. */
    private final ArrayDeque<SentPacket> spare = new ArrayDeque<>(4);
    /** The most settled records kept: about what one acknowledgement settles in a bulk transfer. */
    static final int SPARE_RECORDS = 128;

    public LossRecovery(RttEstimator rtt, CongestionController congestion, long peerMaxAckDelayNanos) {
        this.rtt = rtt;
        this.congestion = congestion;
        this.peerMaxAckDelayNanos = peerMaxAckDelayNanos;
    }

    /**
     * A record for a packet about to be sent, reused when one is spare. Pass it to
     * {@link #onPacketSent}, or back to {@link #recycle} if the packet is not sent after all.
     */
    public SentPacket newPacket(long packetNumber, long timeSentNanos, boolean ackEliciting) {
        SentPacket p = spare.poll();
        return p == null ? new SentPacket(packetNumber, timeSentNanos, 0, ackEliciting)
                : p.reset(packetNumber, timeSentNanos, 0, ackEliciting);
    }

    /** Takes back a record nobody refers to any more. */
    public void recycle(SentPacket p) {
        if (spare.size() < SPARE_RECORDS) {
            spare.push(p);
        }
    }

    public void onPacketSent(SentPacket packet) {
        sent.add(packet);
        if (packet.ackEliciting) {
            ackElicitingInFlight++;
            lastAckElicitingSentNanos = packet.timeSentNanos;
            congestion.onPacketSent(packet.timeSentNanos, packet.size);
        }
    }

    /** Processes an ACK frame. Returns false if it acknowledges a packet number never sent. */
    public boolean onAck(Frame.Ack ack, long nowNanos, long largestSentPacketNumber, Listener listener) {
        return onAck(ack.ackDelayMicros(), ack.ranges(), ack.rangeCount(), nowNanos, largestSentPacketNumber,
                listener);
    }

    /**
     * Processes an ACK frame given as its fields: the first {@code rangeCount} pairs (largest,
     * smallest) of {@code ranges}, newest first. Returns false if it acknowledges a packet number
     * never sent.
     */
    public boolean onAck(long ackDelayMicros, long[] ranges, int rangeCount, long nowNanos,
            long largestSentPacketNumber, Listener listener) {
        long largestAcknowledged = ranges[0];
        if (largestAcknowledged > largestSentPacketNumber) {
            return false;
        }
        SentPacket newestAcked = null;
        boolean ackElicitingAcked = false;
        List<SentPacket> acked = ackedScratch;
        acked.clear();
        for (int i = 0; i < 2 * rangeCount; i += 2) {
            sent.removeRange(ranges[i + 1], ranges[i], acked);
        }
        for (int i = 0; i < acked.size(); i++) {
            SentPacket p = acked.get(i);
            if (newestAcked == null || p.packetNumber > newestAcked.packetNumber) {
                newestAcked = p;
            }
            ackElicitingAcked |= p.ackEliciting;
        }
        if (newestAcked == null) {
            return true;
        }
        largestAcked = Math.max(largestAcked, largestAcknowledged);
        // RFC 9002, section 5.1: an RTT sample is taken when "the largest acknowledged packet number
        // is newly acknowledged, and at least one of the newly acknowledged packets was ack-eliciting."
        // It is taken before the congestion controller hears of the acknowledgements (Appendix A.7
        // updates the RTT first), so the controller sees the current estimate.
        if (newestAcked.packetNumber == largestAcknowledged && ackElicitingAcked) {
            long ackDelay = Math.min(ackDelayMicros * 1000, peerMaxAckDelayNanos);
            rtt.onSample(nowNanos - newestAcked.timeSentNanos, ackDelay);
            congestion.onRttSample(nowNanos, rtt.latestRttNanos(), rtt.minRttNanos());
        }
        for (int n = 0; n < acked.size(); n++) {
            SentPacket p = acked.get(n);
            if (p.ackEliciting) {
                ackElicitingInFlight--;
                congestion.onPacketAcked(nowNanos, p.timeSentNanos, p.size, rtt.smoothedRttNanos());
            }
            for (int i = 0; i < p.itemCount(); i++) {
                listener.onAcked(p.item(i));
            }
        }
        for (int i = 0; i < acked.size(); i++) {
            recycle(acked.get(i));
        }
        acked.clear();
        // RFC 9002, section 6.2.1: "The PTO backoff factor is reset when an acknowledgment is received"
        ptoCount = 0;
        detectLost(nowNanos, listener);
        return true;
    }

    /** RFC 9002, section 6.1: declares packets lost by the packet and time thresholds. */
    private void detectLost(long nowNanos, Listener listener) {
        lossTimeNanos = Long.MAX_VALUE;
        if (largestAcked < 0) {
            return;
        }
        long lossDelay = rtt.lossDelayNanos();
        long lostSendTime = nowNanos - lossDelay;
        scratch.clear();
        sent.collectBelow(largestAcked, scratch);
        int kept = 0;
        for (int i = 0; i < scratch.size(); i++) {
            SentPacket p = scratch.get(i);
            if (p.timeSentNanos <= lostSendTime || largestAcked - p.packetNumber >= PACKET_THRESHOLD) {
                scratch.set(kept++, p);
            } else {
                lossTimeNanos = Math.min(lossTimeNanos, p.timeSentNanos + lossDelay);
            }
        }
        while (scratch.size() > kept) {
            scratch.remove(scratch.size() - 1);
        }
        if (scratch.isEmpty()) {
            return;
        }
        long lostBytes = 0;
        long newestLostSent = Long.MIN_VALUE;
        for (int n = 0; n < scratch.size(); n++) {
            SentPacket p = scratch.get(n);
            sent.remove(p.packetNumber);
            packetsLost++;
            if (p.ackEliciting) {
                ackElicitingInFlight--;
                if (p.mtuProbe) {
                    congestion.onPacketDiscarded(p.size);
                } else {
                    lostBytes += p.size;
                    newestLostSent = Math.max(newestLostSent, p.timeSentNanos);
                }
            }
            for (int i = 0; i < p.itemCount(); i++) {
                listener.onLost(p.item(i));
            }
        }
        if (lostBytes > 0) {
            congestion.onPacketsLost(nowNanos, newestLostSent, lostBytes);
        }
        for (int i = 0; i < scratch.size(); i++) {
            recycle(scratch.get(i));
        }
        scratch.clear();
    }

    /** When {@link #onTimeout} must run next, or {@code Long.MAX_VALUE}. */
    public long nextTimeoutNanos() {
        if (lossTimeNanos != Long.MAX_VALUE) {
            return lossTimeNanos;
        }
        if (ackElicitingInFlight <= 0) {
            return Long.MAX_VALUE;
        }
        return lastAckElicitingSentNanos + (rtt.probeTimeoutNanos(peerMaxAckDelayNanos) << Math.min(ptoCount, 16));
    }

    /**
     * Runs the loss or probe timer. Returns the number of probe packets to send now (0 when the loss
     * timer fired instead).
     */
    public int onTimeout(long nowNanos, Listener listener) {
        if (lossTimeNanos != Long.MAX_VALUE && nowNanos >= lossTimeNanos) {
            detectLost(nowNanos, listener);
            return 0;
        }
        if (ackElicitingInFlight > 0 && nowNanos >= nextTimeoutNanos()) {
            // RFC 9002, section 6.2.4: "When a PTO timer expires, a sender MUST send at least one
            // ack-eliciting packet ... An endpoint MAY send up to two full-sized datagrams"
            ptoCount++;
            return 2;
        }
        return 0;
    }

    /**
     * Queues the content of the oldest outstanding packet for sending again, so that a probe
     * carries data the peer most likely lacks (RFC 9002, section 6.2.4: a probe "SHOULD carry
     * data ... previously sent"). The packet itself stays outstanding; whichever copy is
     * acknowledged first settles it.
     */
    public void requeueOldestForProbe(Listener listener) {
        SentPacket[] oldest = new SentPacket[1];
        sent.forEach(p -> {
            if (oldest[0] == null && !p.mtuProbe) {
                oldest[0] = p;
            }
        });
        if (oldest[0] != null) {
            for (int i = 0; i < oldest[0].itemCount(); i++) {
                listener.onLost(oldest[0].item(i));
            }
        }
    }

    /** Forgets every packet (connection closing). */
    public void discardAll() {
        sent.forEach(p -> {
            if (p.ackEliciting) {
                congestion.onPacketDiscarded(p.size);
            }
        });
        sent.clear();
        ackElicitingInFlight = 0;
        lossTimeNanos = Long.MAX_VALUE;
    }

    public int ptoCount() {
        return ptoCount;
    }

    public long packetsLost() {
        return packetsLost;
    }

    public boolean hasAckElicitingInFlight() {
        return ackElicitingInFlight > 0;
    }

    public int outstandingPackets() {
        return sent.size();
    }
}
