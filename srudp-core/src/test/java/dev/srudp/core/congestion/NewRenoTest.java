package dev.srudp.core.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewRenoTest {
    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;

    @Test
    void theInitialWindowIsTenDatagramsCappedAtTheLargerOf14720BytesAndTwoDatagrams() {
        assertEquals(10_000, new NewReno(1000).windowBytes());
        assertEquals(12_000, new NewReno(1200).windowBytes());
        assertEquals(14_720, new NewReno(1500).windowBytes());
        assertEquals(20_000, new NewReno(10_000).windowBytes());
    }

    @Test
    void bytesInFlightFollowSentAckedLostAndDiscardedPackets() {
        NewReno reno = new NewReno(1000);
        reno.onPacketSent(0, 1000);
        reno.onPacketSent(0, 1000);
        reno.onPacketSent(0, 1000);
        assertEquals(3000, reno.bytesInFlight());
        reno.onPacketAcked(10 * MS, 0, 1000, RTT);
        reno.onPacketsLost(10 * MS, 0, 1000);
        reno.onPacketDiscarded(1000);
        assertEquals(0, reno.bytesInFlight());
        reno.onPacketDiscarded(1000);
        assertEquals(0, reno.bytesInFlight(), "never negative");
    }

    @Test
    void canSendWhileTheWindowHasRoom() {
        NewReno reno = new NewReno(1000);
        for (int i = 0; i < 9; i++) {
            reno.onPacketSent(0, 1000);
        }
        assertTrue(reno.canSend(1000));
        reno.onPacketSent(0, 1000);
        assertFalse(reno.canSend(1));
    }

    @Test
    void slowStartGrowsTheWindowByTheBytesAcknowledged() {
        NewReno reno = new NewReno(1000);
        reno.onPacketSent(0, 1000);
        reno.onPacketSent(0, 500);
        reno.onPacketAcked(RTT, 0, 1000, RTT);
        assertEquals(11_000, reno.windowBytes());
        reno.onPacketAcked(RTT, 0, 500, RTT);
        assertEquals(11_500, reno.windowBytes());
    }

    @Test
    void aLossHalvesTheWindow() {
        NewReno reno = new NewReno(1000);
        reno.onPacketsLost(10 * MS, 5 * MS, 1000);
        assertEquals(5_000, reno.windowBytes());
    }

    @Test
    void lossesOfPacketsSentBeforeTheRecoveryStartedDoNotReduceAgain() {
        NewReno reno = new NewReno(1000);
        reno.onPacketsLost(10 * MS, 5 * MS, 1000);
        assertEquals(5_000, reno.windowBytes());
        reno.onPacketsLost(20 * MS, 9 * MS, 1000);
        reno.onPacketsLost(30 * MS, 10 * MS, 1000);
        assertEquals(5_000, reno.windowBytes(), "one reduction per recovery period");
        reno.onPacketsLost(40 * MS, 11 * MS, 1000);
        assertEquals(2_500, reno.windowBytes(), "a packet sent after the recovery start");
    }

    @Test
    void acknowledgementsOfPacketsSentBeforeTheRecoveryStartedDoNotGrowTheWindow() {
        NewReno reno = new NewReno(1000);
        reno.onPacketsLost(10 * MS, 5 * MS, 1000);
        reno.onPacketAcked(20 * MS, 8 * MS, 1000, RTT);
        reno.onPacketAcked(20 * MS, 10 * MS, 1000, RTT);
        assertEquals(5_000, reno.windowBytes());
    }

    @Test
    void congestionAvoidanceAddsOneDatagramPerWindowOfAcknowledgedBytes() {
        NewReno reno = new NewReno(1000);
        reno.onPacketsLost(10 * MS, 5 * MS, 1000);
        assertEquals(5_000, reno.windowBytes());
        for (int i = 0; i < 4; i++) {
            reno.onPacketAcked(200 * MS, 100 * MS, 1000, RTT);
        }
        assertEquals(5_000, reno.windowBytes(), "less than a window acknowledged");
        reno.onPacketAcked(200 * MS, 100 * MS, 1000, RTT);
        assertEquals(6_000, reno.windowBytes());
        for (int i = 0; i < 5; i++) {
            reno.onPacketAcked(200 * MS, 100 * MS, 1000, RTT);
        }
        assertEquals(6_000, reno.windowBytes(), "the next datagram needs a whole new window");
        reno.onPacketAcked(200 * MS, 100 * MS, 1000, RTT);
        assertEquals(7_000, reno.windowBytes());
    }

    @Test
    void theWindowNeverFallsBelowTwoDatagrams() {
        NewReno reno = new NewReno(1000);
        for (int i = 1; i <= 10; i++) {
            reno.onPacketsLost(i * 10 * MS, i * 10 * MS - 1, 1000);
            assertTrue(reno.windowBytes() >= 2_000, "window " + reno.windowBytes());
        }
        assertEquals(2_000, reno.windowBytes());
    }

    @Test
    void afterALossTheWindowStaysAtTheThresholdAndGrowsOnlyByAvoidance() {
        NewReno reno = new NewReno(1000);
        reno.onPacketAcked(50 * MS, 10 * MS, 6000, RTT);
        assertEquals(16_000, reno.windowBytes());
        reno.onPacketsLost(100 * MS, 60 * MS, 1000);
        assertEquals(8_000, reno.windowBytes());
        reno.onPacketAcked(300 * MS, 200 * MS, 4000, RTT);
        assertEquals(8_000, reno.windowBytes(), "no slow start above the threshold");
        reno.onPacketAcked(300 * MS, 200 * MS, 4000, RTT);
        assertEquals(9_000, reno.windowBytes());
    }
}
