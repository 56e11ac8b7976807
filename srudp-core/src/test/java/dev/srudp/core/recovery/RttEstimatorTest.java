package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void beforeAnySampleTheInitialRttOf333MillisecondsApplies() {
        RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(333 * MS, rtt.smoothedRttNanos());
        assertEquals(166_500_000L, rtt.rttVarNanos());
        assertEquals(333 * MS, rtt.latestRttNanos());
        assertEquals(333 * MS, rtt.minRttNanos());
        // 333 + 4 * 166.5 + 25
        assertEquals(1024 * MS, rtt.probeTimeoutNanos(25 * MS));
    }

    @Test
    void theFirstSampleSetsSmoothedToTheSampleAndVarianceToHalfOfItIgnoringAckDelay() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 10 * MS);
        assertTrue(rtt.hasSample());
        assertEquals(100 * MS, rtt.smoothedRttNanos());
        assertEquals(50 * MS, rtt.rttVarNanos());
        assertEquals(100 * MS, rtt.minRttNanos());
        assertEquals(100 * MS, rtt.latestRttNanos());
    }

    @Test
    void laterSamplesSubtractTheAckDelayWhenTheSampleIsAtLeastMinRttPlusAckDelay() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        // 150 >= 100 + 20: adjusted = 130
        rtt.onSample(150 * MS, 20 * MS);
        // rttvar = 3/4 * 50 + 1/4 * |100 - 130| = 45
        assertEquals(45 * MS, rtt.rttVarNanos());
        // smoothed = 7/8 * 100 + 1/8 * 130 = 103.75
        assertEquals(103_750_000L, rtt.smoothedRttNanos());
        assertEquals(150 * MS, rtt.latestRttNanos());
        assertEquals(100 * MS, rtt.minRttNanos());
    }

    @Test
    void laterSamplesKeepTheAckDelayWhenSubtractingItWouldGoBelowMinRtt() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        // 105 < 100 + 10: adjusted = 105
        rtt.onSample(105 * MS, 10 * MS);
        // rttvar = 3/4 * 50 + 1/4 * 5 = 38.75; smoothed = 7/8 * 100 + 1/8 * 105 = 100.625
        assertEquals(38_750_000L, rtt.rttVarNanos());
        assertEquals(100_625_000L, rtt.smoothedRttNanos());
    }

    @Test
    void aSampleExactlyAtMinRttPlusAckDelayIsAdjusted() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        rtt.onSample(110 * MS, 10 * MS);
        // adjusted = 100: rttvar = 3/4 * 50 + 0 = 37.5; smoothed = 100
        assertEquals(37_500_000L, rtt.rttVarNanos());
        assertEquals(100 * MS, rtt.smoothedRttNanos());
    }

    @Test
    void minRttFollowsTheSmallestSample() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        rtt.onSample(80 * MS, 0);
        rtt.onSample(120 * MS, 0);
        assertEquals(80 * MS, rtt.minRttNanos());
        assertEquals(120 * MS, rtt.latestRttNanos());
    }

    @Test
    void aZeroOrNegativeSampleCountsAsOneNanosecond() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(-5, 0);
        assertEquals(1, rtt.latestRttNanos());
        assertEquals(1, rtt.smoothedRttNanos());
    }

    @Test
    void theLossDelayIsNineEighthsOfTheLargerOfSmoothedAndLatestRtt() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        assertEquals(112_500_000L, rtt.lossDelayNanos());
        rtt.onSample(180 * MS, 0);
        // smoothed = 110 < latest = 180: 9/8 * 180 = 202.5
        assertEquals(110 * MS, rtt.smoothedRttNanos());
        assertEquals(202_500_000L, rtt.lossDelayNanos());
    }

    @Test
    void theLossDelayIsAtLeastTheTimerGranularity() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(1000, 0);
        assertEquals(RttEstimator.GRANULARITY_NANOS, rtt.lossDelayNanos());
    }

    @Test
    void theProbeTimeoutIsSmoothedPlusFourVariancesPlusMaxAckDelay() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 0);
        assertEquals((100 + 200 + 25) * MS, rtt.probeTimeoutNanos(25 * MS));
    }

    @Test
    void theProbeTimeoutVarianceTermIsAtLeastTheTimerGranularity() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(1000, 0);
        assertEquals(1000 + RttEstimator.GRANULARITY_NANOS + 25 * MS, rtt.probeTimeoutNanos(25 * MS));
    }
}
