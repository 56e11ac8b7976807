package dev.srudp.core.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFreshPacerAllowsABurstOfTenDatagramsThenSpacesPacketsAtTheRate() {
        Pacer pacer = new Pacer(1200);
        long rate = 1_200_000; // 1200 bytes per millisecond
        long now = 5_000;
        for (int i = 0; i < 10; i++) {
            assertEquals(now, pacer.nextSendTimeNanos(now, 1200, rate));
            pacer.onPacketSent(now, 1200, rate);
        }
        assertEquals(now + 1_000_000, pacer.nextSendTimeNanos(now, 1200, rate));
        assertEquals(now + 500_000, pacer.nextSendTimeNanos(now, 600, rate));
    }

    @Test
    void afterIdleTheBurstIsCappedAtTheAllowance() {
        Pacer pacer = new Pacer(1200);
        long rate = 1_200_000;
        pacer.onPacketSent(0, 1200, rate);
        long later = 3_600 * SECOND; // an hour idle must neither overflow nor allow more than the burst
        int sent = 0;
        while (pacer.nextSendTimeNanos(later, 1200, rate) == later) {
            pacer.onPacketSent(later, 1200, rate);
            sent++;
        }
        assertEquals(10, sent);
    }

    @Test
    void rateZeroMeansUnpaced() {
        Pacer pacer = new Pacer(1200);
        for (int i = 0; i < 1000; i++) {
            assertEquals(7, pacer.nextSendTimeNanos(7, 1200, 0));
            pacer.onPacketSent(7, 1200, 0);
        }
    }

    @Test
    void millionsOfPacketsAtTenGigabitsPerSecondTakeExactlyTheIdealTime() {
        Pacer pacer = new Pacer(1200);
        long rate = 1_250_000_000L; // 10 Gbit/s
        long start = Long.MAX_VALUE - 10 * SECOND; // near the end of the clock's range
        long now = start;
        int packets = 1_000_000;
        for (int i = 0; i < packets; i++) {
            now = pacer.nextSendTimeNanos(now, 1337, rate);
            pacer.onPacketSent(now, 1337, rate);
        }
        // the burst allowance is 12000 bytes (ten datagrams of 1200); every byte beyond it needs
        // 0.8 ns of credit: the last packet goes when packets * 1337 - 12000 bytes have accrued
        long ideal = ((long) packets * 1337 - 12_000) * SECOND / rate;
        long elapsed = now - start;
        assertEquals(ideal, elapsed);
    }

    @Test
    void oneMillionPacketsAtAnOddRateDoNotDrift() {
        Pacer pacer = new Pacer(1200);
        long rate = 3_333_333; // not a divisor of anything convenient
        long now = 0;
        for (int i = 0; i < 1_000_000; i++) {
            now = pacer.nextSendTimeNanos(now, 1200, rate);
            pacer.onPacketSent(now, 1200, rate);
        }
        long exact = Math.floorDiv((1_000_000L - 10) * 1200 * SECOND + rate - 1, rate);
        assertEquals(exact, now);
    }

    @Test
    void aPacketLargerThanTheBurstGoesWhenTheBucketIsFullAndDelaysTheNext() {
        Pacer pacer = new Pacer(1000L);
        long rate = 1_000_000; // a byte per microsecond
        assertEquals(0, pacer.nextSendTimeNanos(0, 3000, rate));
        pacer.onPacketSent(0, 3000, rate);
        // debt of 2000 bytes plus 1000 for the next packet: 3 ms
        assertEquals(3_000_000, pacer.nextSendTimeNanos(0, 1000, rate));
    }
}
