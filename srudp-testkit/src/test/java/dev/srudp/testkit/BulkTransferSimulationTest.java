package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BulkTransferSimulationTest {
    private static final long MIB = 1 << 20;

    static LinkConditions clean() {
        return LinkConditions.builder().delay(Duration.ofMillis(10)).bandwidthBitsPerSecond(100_000_000L)
                .queueLimitBytes(1 << 20).build();
    }

    static LinkConditions lossy(double loss) {
        return LinkConditions.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(1))
                .lossProbability(loss).reorderProbability(0.05).reorderExtraDelay(Duration.ofMillis(15))
                .duplicationProbability(0.02).bandwidthBitsPerSecond(100_000_000L).queueLimitBytes(1 << 20).build();
    }

    @Test
    void oneMebibyteArrivesIntactOnACleanLink() throws Exception {
        Pair p = new Pair(1, clean()).connect();
        Transfer t = p.transfer(MIB, Duration.ofSeconds(60));
        assertTrue(t.intact(), "data corrupted; " + p.net.describe());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void twentyMebibytesArriveIntactWithReorderingAndDuplicationButNoLoss(long seed) throws Exception {
        Pair p = new Pair(seed, lossy(0.0)).connect();
        Transfer t = p.transfer(20 * MIB, Duration.ofMinutes(10));
        assertTrue(t.intact(), "data corrupted with seed " + seed + "; " + p.net.describe());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void twentyMebibytesArriveIntactAtFivePercentLossWithReorderingAndDuplication(long seed) throws Exception {
        Pair p = new Pair(seed, lossy(0.05)).connect();
        long start = p.net.nowNanos();
        Transfer t = p.transfer(20 * MIB, Duration.ofMinutes(30));
        System.out.printf("seed %d: %.1f s virtual, %s%n", seed, (p.net.nowNanos() - start) / 1e9,
                p.clientConnection.stats());
        assertTrue(t.intact(), "data corrupted with seed " + seed + "; " + p.net.describe());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void twentyMebibytesArriveIntactAtTwentyPercentLossWithReorderingAndDuplication(long seed) throws Exception {
        Pair p = new Pair(seed, lossy(0.20)).connect();
        long start = p.net.nowNanos();
        Transfer t = p.transfer(20 * MIB, Duration.ofHours(2));
        System.out.printf("20%% loss, seed %d: %.1f s virtual, %s%n", seed, (p.net.nowNanos() - start) / 1e9,
                p.clientConnection.stats());
        assertTrue(t.intact(), "data corrupted with seed " + seed + "; " + p.net.describe());
    }
}
