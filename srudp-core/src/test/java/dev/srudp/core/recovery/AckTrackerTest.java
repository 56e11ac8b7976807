package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.wire.Frame;
import org.junit.jupiter.api.Test;

class AckTrackerTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    @Test
    void nothingIsDueBeforeAnyPacket() {
        AckTracker acks = new AckTracker();
        assertFalse(acks.hasReceived());
        assertFalse(acks.hasAckToSend());
        assertFalse(acks.isAckDue(T0));
        assertEquals(Long.MAX_VALUE, acks.ackDeadlineNanos());
    }

    @Test
    void oneAckElicitingPacketIsAcknowledgedWithin25Milliseconds() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(0, true, T0);
        assertTrue(acks.hasAckToSend());
        assertEquals(T0 + AckTracker.MAX_ACK_DELAY_NANOS, acks.ackDeadlineNanos());
        assertFalse(acks.isAckDue(T0 + 25 * MS - 1));
        assertTrue(acks.isAckDue(T0 + 25 * MS));
    }

    @Test
    void theDeadlineCountsFromTheFirstUnacknowledgedAckElicitingPacket() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(0, false, T0);
        assertEquals(Long.MAX_VALUE, acks.ackDeadlineNanos(), "a non-ack-eliciting packet sets no deadline");
        acks.onPacketReceived(1, true, T0 + 5 * MS);
        acks.onPacketReceived(2, false, T0 + 10 * MS);
        assertEquals(T0 + 30 * MS, acks.ackDeadlineNanos());
        assertFalse(acks.isAckDue(T0 + 29 * MS));
    }

    @Test
    void everySecondAckElicitingPacketMakesAnAckDueAtOnce() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(0, true, T0);
        acks.onPacketReceived(1, true, T0 + MS);
        assertTrue(acks.isAckDue(T0 + MS));
        assertEquals(Long.MAX_VALUE, acks.ackDeadlineNanos(), "an immediate ACK is not a timer");

        acks.buildAck(T0 + MS);
        assertFalse(acks.isAckDue(T0 + MS));
        acks.onPacketReceived(2, true, T0 + 2 * MS);
        assertFalse(acks.isAckDue(T0 + 2 * MS), "the count starts again after an ACK");
        assertEquals(T0 + 27 * MS, acks.ackDeadlineNanos());
        acks.onPacketReceived(3, true, T0 + 3 * MS);
        assertTrue(acks.isAckDue(T0 + 3 * MS));
    }

    @Test
    void nonAckElicitingPacketsAloneNeverMakeAnAckDue() {
        AckTracker acks = new AckTracker();
        for (int pn = 0; pn < 10; pn++) {
            acks.onPacketReceived(pn, false, T0);
        }
        assertTrue(acks.hasAckToSend(), "an ACK may ride along");
        assertFalse(acks.isAckDue(T0 + 1000 * MS));
        assertEquals(Long.MAX_VALUE, acks.ackDeadlineNanos());
    }

    @Test
    void aGapInPacketNumbersMakesAnAckDueAtOnce() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(0, true, T0);
        acks.buildAck(T0);
        acks.onPacketReceived(2, true, T0 + MS);
        assertTrue(acks.isAckDue(T0 + MS));
    }

    @Test
    void aLatePacketMakesAnAckDueAtOnce() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(0, true, T0);
        acks.onPacketReceived(2, false, T0);
        acks.buildAck(T0);
        acks.onPacketReceived(1, true, T0 + MS);
        assertTrue(acks.isAckDue(T0 + MS));
    }

    @Test
    void buildAckListsRangesFromTheLargestDownWithGaps() {
        AckTracker acks = new AckTracker();
        for (long pn : new long[] {0, 1, 2, 5, 7, 8, 9}) {
            acks.onPacketReceived(pn, false, T0);
        }
        Frame.Ack ack = acks.buildAck(T0);
        assertArrayEquals(new long[] {9, 7, 5, 5, 2, 0}, ack.ranges());
        assertEquals(9, ack.largestAcknowledged());
        assertFalse(acks.hasAckToSend());
    }

    @Test
    void buildAckReportsTheDelaySinceTheLargestPacketArrivedInMicroseconds() {
        AckTracker acks = new AckTracker();
        acks.onPacketReceived(5, true, T0);
        acks.onPacketReceived(3, true, T0 + 4 * MS);
        Frame.Ack ack = acks.buildAck(T0 + 7 * MS);
        assertEquals(7_000, ack.ackDelayMicros(), "measured from the largest packet, not the latest");
    }

    @Test
    void atMost64RangesAreKeptTheNewestOnes() {
        AckTracker acks = new AckTracker();
        for (long pn = 0; pn <= 200; pn += 2) {
            acks.onPacketReceived(pn, false, T0);
        }
        Frame.Ack ack = acks.buildAck(T0);
        assertEquals(Frame.Ack.MAX_RANGES, ack.rangeCount());
        assertEquals(200, ack.largestAcknowledged());
        assertEquals(200 - 2 * 63, ack.ranges()[ack.ranges().length - 1]);
    }

    @Test
    void anAcknowledgedAckTrimsOlderRangesButKeepsTheNewestPacketNumber() {
        AckTracker acks = new AckTracker();
        for (long pn = 0; pn < 10; pn++) {
            acks.onPacketReceived(pn, false, T0);
        }
        for (long pn = 20; pn < 30; pn++) {
            acks.onPacketReceived(pn, false, T0);
        }
        acks.onAckAcknowledged(9);
        assertArrayEquals(new long[] {29, 20}, acks.buildAck(T0).ranges());

        acks.onAckAcknowledged(29);
        assertTrue(acks.hasReceived());
        assertArrayEquals(new long[] {29, 29}, acks.buildAck(T0).ranges());

        acks.onPacketReceived(30, true, T0);
        assertFalse(acks.isAckDue(T0), "the next packet in order is still recognised as in order");
        acks.buildAck(T0);
        acks.onPacketReceived(25, true, T0);
        assertTrue(acks.isAckDue(T0));
    }
}
