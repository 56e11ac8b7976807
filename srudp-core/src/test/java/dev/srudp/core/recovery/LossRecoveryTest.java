package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.congestion.CongestionController;
import dev.srudp.core.wire.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossRecoveryTest {
    private static final long MS = 1_000_000L;
    private static final long MAX_ACK_DELAY = 25 * MS;
    private static final long T0 = 10_000 * MS;

    /** Records every call. */
    static final class RecordingController implements CongestionController {
        final List<String> calls = new ArrayList<>();
        long inFlight;

        @Override
        public void onPacketSent(long nowNanos, int bytes) {
            calls.add("sent " + bytes);
            inFlight += bytes;
        }

        @Override
        public void onPacketAcked(long nowNanos, long sentNanos, int bytes, long smoothedRttNanos) {
            calls.add("acked " + bytes + " sent@" + (sentNanos - T0) / MS);
            inFlight -= bytes;
        }

        @Override
        public void onPacketsLost(long nowNanos, long largestLostSentNanos, long lostBytes) {
            calls.add("lost " + lostBytes + " newest@" + (largestLostSentNanos - T0) / MS);
            inFlight -= lostBytes;
        }

        @Override
        public void onPacketDiscarded(int bytes) {
            calls.add("discarded " + bytes);
            inFlight -= bytes;
        }

        @Override
        public long windowBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public long bytesInFlight() {
            return inFlight;
        }
    }

    /** Records what became of each item, by its offset. */
    static final class RecordingListener implements LossRecovery.Listener {
        final List<Long> acked = new ArrayList<>();
        final List<Long> lost = new ArrayList<>();

        @Override
        public void onAcked(SentPacket.Item item) {
            acked.add(item.offset());
        }

        @Override
        public void onLost(SentPacket.Item item) {
            lost.add(item.offset());
        }
    }

    private final RttEstimator rtt = new RttEstimator();
    private final RecordingController congestion = new RecordingController();
    private final RecordingListener listener = new RecordingListener();
    private final LossRecovery recovery = new LossRecovery(rtt, congestion, MAX_ACK_DELAY);
    private long largestSent = -1;

    /** Sends packet {@code pn} at T0 + {@code atMs}, carrying one stream item at offset 100 * pn. */
    private void send(long pn, long atMs, boolean ackEliciting) {
        SentPacket p = new SentPacket(pn, T0 + atMs * MS, 1000 + (int) pn, ackEliciting);
        p.addItem(SentPacket.Kind.STREAM, 0, pn * 100, 100, false);
        recovery.onPacketSent(p);
        largestSent = Math.max(largestSent, pn);
    }

    private boolean ack(long atMs, long... ranges) {
        return recovery.onAck(new Frame.Ack(0, ranges), T0 + atMs * MS, largestSent, listener);
    }

    @Test
    void anAckTakesAnRttSampleAndReportsItemsAndBytesAcknowledged() {
        send(0, 0, true);
        assertEquals(List.of("sent 1000"), congestion.calls);
        assertTrue(ack(100, 0, 0));
        assertEquals(List.of(0L), listener.acked);
        assertEquals(List.of("sent 1000", "acked 1000 sent@0"), congestion.calls);
        assertEquals(100 * MS, rtt.latestRttNanos());
        assertEquals(100 * MS, rtt.smoothedRttNanos());
        assertEquals(0, recovery.outstandingPackets());
        assertFalse(recovery.hasAckElicitingInFlight());
        assertEquals(Long.MAX_VALUE, recovery.nextTimeoutNanos());
    }

    @Test
    void anAckForAPacketNumberNeverSentIsRefused() {
        send(0, 0, true);
        assertFalse(ack(100, 1, 0));
        assertTrue(listener.acked.isEmpty());
        assertEquals(1, recovery.outstandingPackets());
        assertFalse(rtt.hasSample());
        assertEquals(List.of("sent 1000"), congestion.calls);
    }

    @Test
    void anAckOfOnlyAlreadyAcknowledgedPacketsChangesNothing() {
        send(0, 0, true);
        send(1, 1, true);
        ack(50, 0, 0);
        int calls = congestion.calls.size();
        assertTrue(ack(60, 0, 0));
        assertEquals(List.of(0L), listener.acked);
        assertEquals(calls, congestion.calls.size());
    }

    @Test
    void nonAckElicitingPacketsAreNotCountedInFlightNorSampled() {
        send(0, 0, false);
        assertTrue(congestion.calls.isEmpty());
        assertFalse(recovery.hasAckElicitingInFlight());
        assertEquals(Long.MAX_VALUE, recovery.nextTimeoutNanos());
        ack(100, 0, 0);
        assertEquals(List.of(0L), listener.acked, "its items are still reported");
        assertTrue(congestion.calls.isEmpty());
        assertFalse(rtt.hasSample(), "no RTT sample without an ack-eliciting packet");
    }

    @Test
    void noRttSampleWhenTheLargestAcknowledgedWasAcknowledgedBefore() {
        send(0, 0, true);
        send(1, 1, true);
        ack(50, 1, 1);
        assertEquals(49 * MS, rtt.latestRttNanos());
        ack(500, 1, 0);
        assertEquals(49 * MS, rtt.latestRttNanos());
    }

    @Test
    void theAckDelayIsCappedAtThePeersMaxAckDelay() {
        send(0, 0, true);
        ack(100, 0, 0);
        send(1, 200, true);
        // sample 200 ms, reported delay 100 ms capped to 25: adjusted = 175
        recovery.onAck(new Frame.Ack(100_000, new long[] {1, 1}), T0 + 400 * MS, largestSent, listener);
        assertEquals(200 * MS, rtt.latestRttNanos());
        // smoothed = 7/8 * 100 + 1/8 * 175
        assertEquals(109_375_000L, rtt.smoothedRttNanos());
    }

    @Test
    void packetsThreeOrMoreBelowTheLargestAcknowledgedAreLost() {
        for (int pn = 0; pn < 5; pn++) {
            send(pn, pn, true);
        }
        ack(100, 4, 4);
        assertEquals(List.of(400L), listener.acked);
        assertEquals(List.of(0L, 100L), listener.lost, "packets 0 and 1 are 3 or more below 4; 2 and 3 are not");
        assertEquals(List.of("sent 1000", "sent 1001", "sent 1002", "sent 1003", "sent 1004", "acked 1004 sent@4",
                "lost 2001 newest@1"), congestion.calls);
        assertEquals(2, recovery.packetsLost());
        assertEquals(2, recovery.outstandingPackets());
    }

    @Test
    void packetsSentLongerThanNineEighthsOfTheRttBeforeAreLost() {
        send(0, 0, true);
        send(1, 50, true);
        // sample 100 ms: loss delay 112.5 ms, so anything sent before 150 - 112.5 = 37.5 ms is lost
        ack(150, 1, 1);
        assertEquals(List.of(0L), listener.lost);
        assertEquals(0, recovery.outstandingPackets());
    }

    @Test
    void aPacketNotYetOverdueArmsTheLossTimerWhichDeclaresItLostWhenItFires() {
        send(0, 0, true);
        send(1, 10, true);
        ack(110, 1, 1);
        assertTrue(listener.lost.isEmpty());
        long lossTime = T0 + 112_500_000L;
        assertEquals(lossTime, recovery.nextTimeoutNanos());

        assertEquals(0, recovery.onTimeout(lossTime - 1, listener));
        assertTrue(listener.lost.isEmpty());
        assertEquals(0, recovery.onTimeout(lossTime, listener), "the loss timer sends no probes");
        assertEquals(List.of(0L), listener.lost);
        assertEquals(Long.MAX_VALUE, recovery.nextTimeoutNanos());
        assertEquals("lost 1000 newest@0", congestion.calls.get(congestion.calls.size() - 1));
    }

    @Test
    void theProbeTimeoutFiresAfterTheInitialPtoAndDoublesWithEachExpiry() {
        send(0, 0, true);
        // initial PTO: 333 + 4 * 166.5 + 25 = 1024 ms
        long pto = 1024 * MS;
        assertEquals(T0 + pto, recovery.nextTimeoutNanos());
        assertEquals(0, recovery.onTimeout(T0 + pto - 1, listener));
        assertEquals(0, recovery.ptoCount());

        assertEquals(2, recovery.onTimeout(T0 + pto, listener));
        assertEquals(1, recovery.ptoCount());
        assertEquals(T0 + 2 * pto, recovery.nextTimeoutNanos());
        assertEquals(0, recovery.onTimeout(T0 + 2 * pto - 1, listener));

        assertEquals(2, recovery.onTimeout(T0 + 2 * pto, listener));
        assertEquals(2, recovery.ptoCount());
        assertEquals(T0 + 4 * pto, recovery.nextTimeoutNanos());
        assertTrue(listener.lost.isEmpty(), "a probe timeout declares nothing lost");
    }

    @Test
    void theProbeTimeoutCountsFromTheLastAckElicitingPacketSent() {
        send(0, 0, true);
        send(1, 500, true);
        send(2, 700, false);
        assertEquals(T0 + 500 * MS + 1024 * MS, recovery.nextTimeoutNanos());
    }

    @Test
    void anAckResetsTheProbeBackoff() {
        send(0, 0, true);
        send(1, 1, true);
        recovery.onTimeout(T0 + 1025 * MS, listener);
        recovery.onTimeout(T0 + 3000 * MS, listener);
        assertEquals(2, recovery.ptoCount());
        ack(3100, 1, 1);
        assertEquals(0, recovery.ptoCount());
        // packet 0 is below the packet threshold and not yet overdue (loss delay 9/8 * 3099 ms): the loss timer runs
        assertTrue(recovery.nextTimeoutNanos() < Long.MAX_VALUE);
    }

    @Test
    void anAckWithoutNewlyAcknowledgedPacketsKeepsTheProbeBackoff() {
        send(0, 0, true);
        send(1, 1, true);
        ack(50, 0, 0);
        recovery.onTimeout(T0 + 5000 * MS, listener);
        assertEquals(1, recovery.ptoCount());
        ack(5100, 0, 0);
        assertEquals(1, recovery.ptoCount());
    }

    @Test
    void requeueOldestForProbeReportsTheOldestPacketsItemsLostButKeepsItOutstanding() {
        send(3, 0, true);
        send(4, 1, true);
        recovery.requeueOldestForProbe(listener);
        assertEquals(List.of(300L), listener.lost);
        assertEquals(2, recovery.outstandingPackets());
        assertEquals(0, recovery.packetsLost());
    }

    @Test
    void discardAllForgetsEveryPacketAndReturnsItsBytesToTheController() {
        send(0, 0, true);
        send(1, 1, false);
        send(2, 2, true);
        recovery.discardAll();
        assertEquals(0, recovery.outstandingPackets());
        assertFalse(recovery.hasAckElicitingInFlight());
        assertEquals(Long.MAX_VALUE, recovery.nextTimeoutNanos());
        assertEquals(0, congestion.inFlight);
        assertTrue(congestion.calls.contains("discarded 1000"));
        assertTrue(congestion.calls.contains("discarded 1002"));
        assertFalse(congestion.calls.contains("discarded 1001"));
    }

    @Test
    void ackRangesWithGapsAcknowledgeOnlyTheListedPackets() {
        for (int pn = 0; pn < 6; pn++) {
            send(pn, 0, true);
        }
        ack(10, 5, 4, 2, 2);
        assertEquals(List.of(400L, 500L, 200L), listener.acked);
        // 0 and 1 are 3 or more below 5, 3 is not
        assertEquals(List.of(0L, 100L), listener.lost);
        assertEquals(1, recovery.outstandingPackets());
    }
}
