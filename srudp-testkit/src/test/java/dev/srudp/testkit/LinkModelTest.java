package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LinkModelTest {

    private static final long SEED = 20_261_127L;
    private static final InetSocketAddress A = address("192.0.2.1", 5000);
    private static final InetSocketAddress B = address("192.0.2.2", 6000);
    private static final long MILLIS = 1_000_000L;

    private static void assertWithin(long expected, long tolerance, long actual, String what, SimNetwork network) {
        assertTrue(Math.abs(actual - expected) <= tolerance,
                what + " was " + actual + ", expected " + expected + " +/- " + tolerance + "; " + network.describe());
    }

    private static List<Integer> ascending(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void lossRateMatchesTheConfiguredProbabilityOverAHundredThousandDatagrams() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder().lossProbability(0.1).build());
        network.attach(new PacedSender(A, B, 100_000, 32, 1_000), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(1));

        SimStats stats = network.stats();
        assertEquals(100_000, stats.sent());
        assertEquals(stats.sent(), stats.delivered() + stats.lost());
        assertEquals(stats.delivered(), receiver.arrivals().size());
        // Binomial(100000, 0.1): standard deviation about 95; five of them is a generous bound.
        assertWithin(10_000, 475, stats.lost(), "lost datagrams", network);
    }

    @Test
    void duplicationDeliversExtraCopiesOfSomeDatagrams() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder().duplicationProbability(0.05).build());
        network.attach(new PacedSender(A, B, 20_000, 32, 10_000), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(1));

        long duplicated = network.stats().duplicated();
        assertWithin(1_000, 160, duplicated, "duplicated datagrams", network);
        assertEquals(20_000 + duplicated, receiver.arrivals().size());
        assertEquals(new HashSet<>(ascending(20_000)), new HashSet<>(receiver.sequences()));
    }

    @Test
    void jitterAloneNeverReordersButDoesVaryTheDelay() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder()
                .delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(9)).build());
        PacedSender sender = new PacedSender(A, B, 10_000, 32, 100_000);
        network.attach(sender, A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(2));

        assertEquals(ascending(10_000), receiver.sequences());
        Set<Long> latencies = new HashSet<>();
        for (Recorder.Arrival arrival : receiver.arrivals()) {
            long latency = arrival.timeNanos() - sender.sendTimes().get(arrival.sequence());
            assertTrue(latency >= MILLIS && latency <= 19 * MILLIS, "latency " + latency + " outside delay +/- jitter");
            latencies.add(latency);
        }
        assertTrue(latencies.size() > 1_000, "jitter should vary the latency; distinct latencies: " + latencies.size());
    }

    @Test
    void reorderingHappensOnlyWhenConfigured() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder()
                .reorderProbability(0.1).reorderExtraDelay(Duration.ofMillis(5)).build());
        network.attach(new PacedSender(A, B, 10_000, 32, 100_000), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(2));

        List<Integer> sequences = receiver.sequences();
        long overtaken = IntStream.range(1, sequences.size()).filter(i -> sequences.get(i) < sequences.get(i - 1)).count();
        assertTrue(overtaken > 500, "expected many out-of-order arrivals, saw " + overtaken + "; " + network.describe());
        assertWithin(1_000, 150, network.stats().reordered(), "reordered datagrams", network);
        assertEquals(new HashSet<>(ascending(10_000)), new HashSet<>(sequences));
        assertEquals(10_000, sequences.size());
    }

    @Test
    void oneMegabitLinkDeliversOneSecondOfDataInOneSecondOfVirtualTime() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder()
                .bandwidthBitsPerSecond(1_000_000).queueLimitBytes(1_000_000).delay(Duration.ofMillis(1)).build());
        // 1222 payload bytes + 28 header bytes = 1250 bytes = 10,000 bits: 10 ms each, 100 per second.
        network.attach(new PacedSender(A, B, 100, 1222, 0), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(2));

        assertEquals(ascending(100), receiver.sequences());
        for (Recorder.Arrival arrival : receiver.arrivals()) {
            long expected = VirtualClock.START_NANOS + (arrival.sequence() + 1) * 10 * MILLIS + MILLIS;
            assertEquals(expected, arrival.timeNanos(), "arrival of datagram " + arrival.sequence());
        }
        assertEquals(VirtualClock.START_NANOS + 1_001 * MILLIS, receiver.arrivals().get(99).timeNanos());
    }

    @Test
    void fullTransmitQueueDropsTheTail() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder()
                .bandwidthBitsPerSecond(1_000_000).queueLimitBytes(10_000).build());
        network.attach(new PacedSender(A, B, 100, 1222, 0), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(2));

        assertEquals(ascending(8), receiver.sequences(), "a 10,000-byte queue holds eight 1250-byte packets");
        assertEquals(92, network.linkStats(A, B).droppedQueueFull());
    }

    @Test
    void queueDrainsSoThatPacedTrafficBelowTheBandwidthIsNeverDropped() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.builder()
                .bandwidthBitsPerSecond(1_000_000).queueLimitBytes(2_500).build());
        network.attach(new PacedSender(A, B, 200, 1222, 10 * MILLIS), A);
        Recorder receiver = new Recorder(B);
        network.attach(receiver, B);
        network.runFor(Duration.ofSeconds(3));

        assertEquals(ascending(200), receiver.sequences());
    }

    @Test
    void datagramsLargerThanTheMtuAreDroppedAndCounted() {
        LinkConditions mtu1280 = LinkConditions.builder().mtuBytes(1280).build();
        SimNetwork network = new SimNetwork(SEED, mtu1280);
        InetSocketAddress a6 = address("2001:db8::1", 5000);
        InetSocketAddress b6 = address("2001:db8::2", 6000);
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        Recorder b6Receiver = new Recorder(b6);
        network.attach(a, A);
        network.attach(b, B);
        Recorder a6Sender = new Recorder(a6);
        network.attach(a6Sender, a6);
        network.attach(b6Receiver, b6);

        a.send(B, Payloads.numbered(1, 1252));
        a.send(B, Payloads.numbered(2, 1253));
        a6Sender.send(b6, Payloads.numbered(3, 1232));
        a6Sender.send(b6, Payloads.numbered(4, 1233));
        network.runFor(Duration.ofMillis(10));

        assertEquals(List.of(1), b.sequences());
        assertEquals(List.of(3), b6Receiver.sequences());
        assertEquals(1, network.linkStats(A, B).droppedMtu());
        assertEquals(1, network.linkStats(a6, b6).droppedMtu());
        assertEquals(2, network.stats().droppedMtu());
    }

    @Test
    void everyDatagramSentOnALinkIsAccountedForOnceTrafficHasDrained() {
        LinkConditions rough = LinkConditions.builder()
                .lossProbability(0.05).duplicationProbability(0.05).reorderProbability(0.05)
                .jitter(Duration.ofMillis(1)).bandwidthBitsPerSecond(5_000_000).queueLimitBytes(20_000)
                .mtuBytes(1280).build();
        InetSocketAddress nowhere = address("198.51.100.1", 1);
        for (long seed = 0; seed < 10; seed++) {
            SimNetwork network = new SimNetwork(seed, rough);
            network.attach(new PacedSender(A, B, 3_000, 1200, 500_000), A);
            network.attach(new Recorder(B, true), B);
            Recorder stray = new Recorder(address("192.0.2.3", 7000));
            network.attach(stray, address("192.0.2.3", 7000));
            stray.send(nowhere, new byte[8]);
            stray.send(B, new byte[1300]);
            network.runFor(Duration.ofSeconds(10));

            SimStats s = network.stats();
            // Each datagram and each extra copy made by duplication has exactly one fate.
            assertEquals(s.sent(), s.delivered() - s.duplicated() + s.lost() + s.droppedMtu() + s.droppedQueueFull()
                    + s.droppedNoRoute() + s.droppedByMiddlebox(), "conservation; " + network.describe());
            assertTrue(s.lost() > 0 && s.duplicated() > 0 && s.droppedMtu() == 1 && s.droppedNoRoute() >= 1,
                    network.describe());
        }
    }

    @Test
    void linkBothWaysSetsTheSameConditionsInEachDirection() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.PERFECT);
        network.linkBothWays(A, B, LinkConditions.builder().delay(Duration.ofMillis(30)).build());
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B, true);
        network.attach(a, A);
        network.attach(b, B);
        a.send(B, Payloads.numbered(1, 8));
        network.runFor(Duration.ofMillis(100));

        assertEquals(VirtualClock.START_NANOS + 30 * MILLIS, b.arrivals().get(0).timeNanos());
        assertEquals(VirtualClock.START_NANOS + 60 * MILLIS, a.arrivals().get(0).timeNanos());
    }

    @Test
    void perDirectionConditionsApplyOnlyToTheirDirection() {
        SimNetwork network = new SimNetwork(SEED, LinkConditions.PERFECT);
        network.link(A, B, LinkConditions.builder().lossProbability(1.0).build());
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        network.attach(a, A);
        network.attach(b, B);
        a.send(B, Payloads.numbered(1, 8));
        b.send(A, Payloads.numbered(2, 8));
        network.runFor(Duration.ofMillis(10));

        assertEquals(List.of(), b.sequences());
        assertEquals(List.of(2), a.sequences());
        assertEquals(1, network.linkStats(A, B).lost());
    }
}
