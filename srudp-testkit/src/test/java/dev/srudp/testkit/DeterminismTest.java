package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static final InetSocketAddress SENDER = address("10.0.0.1", 1000);
    private static final InetSocketAddress ECHO = address("10.0.0.2", 2000);
    private static final InetSocketAddress OTHER_SENDER = address("10.0.0.3", 3000);
    private static final InetSocketAddress OTHER_SINK = address("10.0.0.4", 4000);

    private static final LinkConditions ROUGH = LinkConditions.builder()
            .lossProbability(0.1)
            .duplicationProbability(0.05)
            .reorderProbability(0.05)
            .delay(Duration.ofMillis(20))
            .jitter(Duration.ofMillis(5))
            .bandwidthBitsPerSecond(20_000_000)
            .queueLimitBytes(30_000)
            .build();

    /** Everything that crossed the network, in order: entries seen by a tap, and arrivals at both ends. */
    private static List<String> trace(long seed, boolean withOtherTraffic) {
        SimNetwork network = new SimNetwork(seed, ROUGH);
        List<String> trace = new ArrayList<>();
        network.addTap((now, d, injector) -> {
            if (!d.from().equals(OTHER_SENDER)) {
                trace.add("enter " + now + " " + d.from() + " " + d.to() + " " + d.hashCode());
            }
            return true;
        });
        PacedSender sender = new PacedSender(SENDER, ECHO, 2_000, 600, 50_000);
        Recorder echo = new Recorder(ECHO, true);
        if (withOtherTraffic) {
            network.attach(new PacedSender(OTHER_SENDER, OTHER_SINK, 2_000, 900, 30_000), OTHER_SENDER);
            network.attach(new Recorder(OTHER_SINK), OTHER_SINK);
        }
        network.attach(sender, SENDER);
        network.attach(echo, ECHO);
        network.runFor(Duration.ofSeconds(2));
        echo.arrivals().forEach(a -> trace.add("echo got " + a));
        sender.arrivals().forEach(a -> trace.add("sender got " + a));
        return trace;
    }

    @Test
    void sameSeedProducesAnIdenticalTrace() {
        List<String> first = trace(42, false);
        List<String> second = trace(42, false);
        assertTrue(first.size() > 3_000, "the trace should be substantial, was " + first.size());
        assertEquals(first, second);
    }

    @Test
    void differentSeedsProduceDifferentTraces() {
        assertNotEquals(trace(1, false), trace(2, false));
    }

    @Test
    void trafficBetweenOtherAddressesDoesNotChangeWhatHappensOnALink() {
        assertEquals(trace(7, false), trace(7, true));
    }
}
