package dev.srudp.core.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NewRenoPacingTest {
    @Test
    void beforeAnyRttIsKnownNewRenoDoesNotPace() {
        NewReno reno = new NewReno(1200);
        assertEquals(0, reno.pacingRateBytesPerSecond());
        reno.onPacketSent(0, 1200);
        assertEquals(0, reno.pacingRateBytesPerSecond());
    }

    @Test
    void newRenoPacesAtFiveQuartersOfTheWindowPerSmoothedRtt() {
        NewReno reno = new NewReno(1200);
        reno.onPacketSent(0, 1200);
        reno.onPacketAcked(50_000_000, 0, 1200, 50_000_000);
        long window = reno.windowBytes(); // 12000 + 1200 in slow start
        assertEquals(13_200, window);
        assertEquals(window * 5 * 1_000_000_000L / 4 / 50_000_000, reno.pacingRateBytesPerSecond());
        assertEquals(330_000, reno.pacingRateBytesPerSecond());
    }

    @Test
    void theRateFollowsTheLatestSmoothedRtt() {
        NewReno reno = new NewReno(1200);
        reno.onPacketSent(0, 1200);
        reno.onPacketSent(0, 1200);
        reno.onPacketAcked(10_000_000, 0, 1200, 100_000_000);
        long first = reno.pacingRateBytesPerSecond();
        reno.onPacketsLost(20_000_000, 0, 1200); // halves the window
        reno.onPacketSent(30_000_000, 1200);
        reno.onPacketAcked(40_000_000, 30_000_000, 1200, 25_000_000);
        assertEquals(reno.windowBytes() * 5 * 1_000_000_000L / 4 / 25_000_000, reno.pacingRateBytesPerSecond());
        assertEquals(first, 13_200L * 5 * 1_000_000_000L / 4 / 100_000_000);
    }
}
