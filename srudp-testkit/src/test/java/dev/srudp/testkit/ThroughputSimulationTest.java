package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.CongestionControl;
import dev.srudp.EndpointConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Goodput of each congestion controller on a 100 Mbit/s bottleneck with 50 ms round-trip time
 * and random (non-congestive) loss, in the simulator. Prints the table it measures.
 */
class ThroughputSimulationTest {
    private static final long BYTES = 24L << 20;

    static double goodputMbps(CongestionControl mode, double loss, long seed) throws Exception {
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(25)).lossProbability(loss)
                .bandwidthBitsPerSecond(100_000_000L).queueLimitBytes(1_250_000).build();
        EndpointConfig config = EndpointConfig.builder().congestionControl(mode)
                .streamReceiveWindow(16 << 20).connectionReceiveWindow(32 << 20).streamSendBuffer(16 << 20).build();
        Pair p = new Pair(seed, link, config).connect();
        long start = p.net.nowNanos();
        Transfer t = p.transfer(BYTES, Duration.ofHours(1));
        assertTrue(t.intact());
        double seconds = (p.net.nowNanos() - start) / 1e9;
        return BYTES * 8 / seconds / 1e6;
    }

    @Test
    void theLossTolerantModeKeepsItsRateUnderRandomLoss() throws Exception {
        StringBuilder table = new StringBuilder("\nloss   NEW_RENO Mbit/s   LOSS_TOLERANT Mbit/s\n");
        double[] losses = {0.0, 0.01, 0.05};
        double[] tolerant = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            double reno = goodputMbps(CongestionControl.NEW_RENO, losses[i], 81);
            tolerant[i] = goodputMbps(CongestionControl.LOSS_TOLERANT, losses[i], 81);
            table.append(String.format("%4.0f%%   %15.1f   %20.1f%n", losses[i] * 100, reno, tolerant[i]));
        }
        System.out.println(table);
        assertTrue(tolerant[1] >= 50, "at 1% loss: " + tolerant[1] + table);
        assertTrue(tolerant[2] >= 20, "at 5% loss: " + tolerant[2] + table);
    }
}
