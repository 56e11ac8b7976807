package dev.srudp.core.congestion;

import static dev.srudp.core.congestion.BottleneckModel.MS;
import static dev.srudp.core.congestion.BottleneckModel.SECOND;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Goodput of both controllers over the {@link BottleneckModel}: 100 Mbit/s, 50 ms base RTT, a
 * drop-tail buffer of two bandwidth-delay products, 20 s of virtual time.
 */
class GoodputModelTest {
    private static final long DURATION = 20 * SECOND;
    private static final double BUFFER_BDPS = 2.0;

    private static BottleneckModel.Result run(Supplier<CongestionController> controller, double loss) {
        return BottleneckModel.standard(loss, BUFFER_BDPS, 42).run(controller.get(), DURATION, 2 * SECOND);
    }

    @Test
    void theLossTolerantControllerKeepsItsThroughputUnderRandomLossWhereNewRenoCollapses() {
        double[] losses = {0.0, 0.01, 0.05};
        StringBuilder table = new StringBuilder();
        table.append(String.format("%nGoodput over 20 s, 100 Mbit/s bottleneck, 50 ms base RTT, buffer %.0f BDP%n",
                BUFFER_BDPS));
        table.append(String.format("%-8s %16s %16s %22s%n", "loss", "NewReno Mbit/s", "Bbr Mbit/s",
                "Bbr max queue (ms)*"));
        double[] bbr = new double[losses.length];
        long[] bbrQueue = new long[losses.length];
        for (int i = 0; i < losses.length; i++) {
            BottleneckModel.Result reno = run(() -> new NewReno(1200), losses[i]);
            BottleneckModel.Result b = run(() -> new Bbr(1200), losses[i]);
            bbr[i] = b.goodputMbps();
            bbrQueue[i] = b.maxQueueDelayNanos();
            table.append(String.format("%-8s %16.1f %16.1f %22.1f%n", (losses[i] * 100) + "%", reno.goodputMbps(),
                    b.goodputMbps(), b.maxQueueDelayNanos() / (double) MS));
        }
        table.append("* after the first 2 s\n");
        System.out.print(table);
        assertTrue(bbr[1] >= 50, "Bbr at 1% loss: " + bbr[1] + " Mbit/s");
        assertTrue(bbr[2] >= 20, "Bbr at 5% loss: " + bbr[2] + " Mbit/s");
        assertTrue(bbr[0] >= 80, "Bbr at 0% loss: " + bbr[0] + " Mbit/s");
    }

    @Test
    void withoutLossTheLossTolerantControllerDoesNotFillTheQueue() {
        BottleneckModel.Result b = BottleneckModel.standard(0.0, 4.0, 7).run(new Bbr(1200), DURATION, 2 * SECOND);
        assertTrue(b.maxQueueDelayNanos() < 100 * MS, "max queue delay " + b.maxQueueDelayNanos() / MS + " ms");
        assertTrue(b.goodputMbps() >= 80, b.goodputMbps() + " Mbit/s");
    }
}
