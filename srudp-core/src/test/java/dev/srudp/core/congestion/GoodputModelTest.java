package dev.srudp.core.congestion;

import static dev.srudp.core.congestion.BottleneckModel.MS;
import static dev.srudp.core.congestion.BottleneckModel.SECOND;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Goodput of both controllers over the {@link BottleneckModel}: 100 Mbit/s, 50 ms base RTT, a
 * drop-tail buffer of two bandwidth-delay products, random loss after the bottleneck, 20 s of
 * virtual time, 1200-byte datagrams.
 */
class GoodputModelTest {
    private static final long DURATION = 20 * SECOND;
    private static final long STARTUP_ALLOWANCE = 2 * SECOND;
    private static final double BUFFER_BDPS = 2.0;

    private static BottleneckModel.Result run(Supplier<CongestionController> controller, double loss) {
        return BottleneckModel.standard(loss, BUFFER_BDPS, 42).run(controller.get(), DURATION, STARTUP_ALLOWANCE);
    }

    @Test
    void theLossTolerantControllerKeepsItsThroughputUnderRandomLossWhereNewRenoCollapses() {
        double[] losses = {0.0, 0.01, 0.05, 0.10, 0.20};
        StringBuilder table = new StringBuilder();
        table.append(String.format("%nGoodput over 20 s: 100 Mbit/s bottleneck, 50 ms base RTT, drop-tail buffer"
                + " %.0f BDP, random loss after the bottleneck%n", BUFFER_BDPS));
        table.append(String.format("%-6s | %14s | %10s | %18s | %20s%n", "loss", "NewReno Mbit/s", "Bbr Mbit/s",
                "Bbr max queue (ms)", "Bbr max queue >2 s"));
        double[] bbr = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            BottleneckModel.Result reno = run(() -> new NewReno(1200), losses[i]);
            BottleneckModel.Result b = run(() -> new Bbr(1200), losses[i]);
            bbr[i] = b.goodputMbps();
            table.append(String.format("%-6s | %14.1f | %10.1f | %18.1f | %20.1f%n", Math.round(losses[i] * 100) + "%",
                    reno.goodputMbps(), b.goodputMbps(), b.maxQueueDelayOverallNanos() / (double) MS,
                    b.maxQueueDelayNanos() / (double) MS));
        }
        System.out.print(table);
        assertTrue(bbr[0] >= 80, "Bbr at 0% loss: " + bbr[0] + " Mbit/s");
        assertTrue(bbr[1] >= 50, "Bbr at 1% loss: " + bbr[1] + " Mbit/s");
        assertTrue(bbr[2] >= 20, "Bbr at 5% loss: " + bbr[2] + " Mbit/s");
        assertTrue(bbr[3] >= 40, "Bbr at 10% loss: " + bbr[3] + " Mbit/s");
    }

    @Test
    void withoutLossTheLossTolerantControllerKeepsTheQueueBelowTwiceTheBaseRttEvenInADeepBuffer() {
        // four BDPs of buffer (200 ms): a loss-based controller would fill it
        BottleneckModel.Result b = BottleneckModel.standard(0.0, 4.0, 7).run(new Bbr(1200), DURATION, STARTUP_ALLOWANCE);
        // Startup's queue is bounded by (cwnd_gain - 1) * BDP, about 94 ms here
        assertTrue(b.maxQueueDelayOverallNanos() < 100 * MS, "max queue delay " + b.maxQueueDelayOverallNanos() / MS + " ms");
        // after Drain, gain cycling keeps only a short queue
        assertTrue(b.maxQueueDelayNanos() < 25 * MS, "max queue delay after startup " + b.maxQueueDelayNanos() / MS + " ms");
        assertTrue(b.goodputMbps() >= 90, b.goodputMbps() + " Mbit/s");

        BottleneckModel.Result reno = BottleneckModel.standard(0.0, 4.0, 7).run(new NewReno(1200), DURATION,
                STARTUP_ALLOWANCE);
        assertTrue(reno.maxQueueDelayNanos() > b.maxQueueDelayNanos(), "NewReno fills the buffer");
    }
}
