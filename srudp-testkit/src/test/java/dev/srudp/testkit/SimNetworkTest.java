package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.net.Engine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    private static final InetSocketAddress A = address("192.0.2.1", 5000);
    private static final InetSocketAddress B = address("192.0.2.2", 6000);
    private static final long START = VirtualClock.START_NANOS;
    private static final long MILLIS = 1_000_000L;

    /** An engine with a set of deadlines that records when its timers run. */
    private static class Alarm implements Engine {
        final TreeSet<Long> deadlines = new TreeSet<>();
        final List<Long> fired = new ArrayList<>();
        Runnable wakeup;

        @Override
        public void onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        }

        @Override
        public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
            return null;
        }

        @Override
        public long nextTimeoutNanos() {
            return deadlines.isEmpty() ? NO_TIMEOUT : deadlines.first();
        }

        @Override
        public void onTimeout(long nowNanos) {
            fired.add(nowNanos);
            deadlines.headSet(nowNanos, true).clear();
        }

        @Override
        public void setWakeup(Runnable wakeup) {
            this.wakeup = wakeup;
        }
    }

    @Test
    void clockStartsAtAFixedNonZeroTimeAndServesAsALongSupplier() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        assertEquals(START, network.nowNanos());
        assertEquals(START, network.clock().getAsLong());
        network.runFor(Duration.ofMillis(5));
        assertEquals(START + 5 * MILLIS, network.clock().nowNanos());
    }

    @Test
    void timersFireAtExactlyTheRequestedVirtualTime() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Alarm alarm = new Alarm();
        List<Long> wanted = List.of(START + 5 * MILLIS, START + 7 * MILLIS, START + 7 * MILLIS + 1, START + 1_000 * MILLIS);
        alarm.deadlines.addAll(wanted);
        network.attach(alarm, A);
        network.runFor(Duration.ofSeconds(5));
        assertEquals(wanted, alarm.fired);
    }

    @Test
    void timerMovedLaterFiresOnlyAtTheNewDeadline() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Alarm alarm = new Alarm();
        alarm.deadlines.add(START + 5 * MILLIS);
        network.attach(alarm, A);
        network.schedule(Duration.ofMillis(2), () -> {
            alarm.deadlines.clear();
            alarm.deadlines.add(START + 10 * MILLIS);
            alarm.wakeup.run();
        });
        network.runFor(Duration.ofSeconds(1));
        assertEquals(List.of(START + 10 * MILLIS), alarm.fired);
    }

    @Test
    void timerMovedEarlierFiresAtTheNewDeadline() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Alarm alarm = new Alarm();
        alarm.deadlines.add(START + 50 * MILLIS);
        network.attach(alarm, A);
        network.schedule(Duration.ofMillis(2), () -> {
            alarm.deadlines.add(START + 3 * MILLIS);
            alarm.wakeup.run();
        });
        network.runFor(Duration.ofSeconds(1));
        assertEquals(List.of(START + 3 * MILLIS, START + 50 * MILLIS), alarm.fired);
    }

    @Test
    void wakeupFromApplicationCodeGetsTheEngineServedAtThatInstant() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        network.attach(a, A);
        network.attach(b, B);
        network.schedule(Duration.ofMillis(3), () -> a.send(B, Payloads.numbered(9, 16)));
        network.runFor(Duration.ofSeconds(1));
        assertEquals(1, b.arrivals().size());
        assertEquals(START + 4 * MILLIS, b.arrivals().get(0).timeNanos());
        assertEquals(A, b.arrivals().get(0).from());
        assertEquals(B, b.arrivals().get(0).local());
    }

    @Test
    void runUntilStopsAtTheEventThatMakesTheConditionTrue() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        network.attach(new PacedSender(A, B, 10, 8, 10 * MILLIS), A);
        Recorder b = new Recorder(B);
        network.attach(b, B);
        assertTrue(network.runUntil(() -> b.arrivals().size() == 3, Duration.ofSeconds(1)));
        assertEquals(START + 21 * MILLIS, network.nowNanos());
    }

    @Test
    void stepRunsOneEventAtATimeAndReportsWhenNoneAreLeft() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        network.attach(a, A);
        network.attach(b, B);
        a.send(B, Payloads.numbered(1, 8));
        assertTrue(network.step(), "first service of A, which sends");
        assertTrue(network.step(), "first service of B");
        assertEquals(START, network.nowNanos());
        assertTrue(network.step(), "the arrival at B");
        assertEquals(START + MILLIS, network.nowNanos());
        assertEquals(List.of(1), b.sequences());
        assertFalse(network.step());
    }

    @Test
    void runUntilReturnsFalseAndStandsAtTheDeadlineWhenTheConditionNeverHolds() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        network.attach(new Recorder(A), A);
        assertFalse(network.runUntil(() -> false, Duration.ofMillis(250)));
        assertEquals(START + 250 * MILLIS, network.nowNanos());
    }

    @Test
    void runUntilOrFailNamesTheSeedInItsMessage() {
        SimNetwork network = new SimNetwork(424_242, LinkConditions.PERFECT);
        AssertionError e = assertThrows(AssertionError.class,
                () -> network.runUntilOrFail(() -> false, Duration.ofMillis(1), "the impossible"));
        assertTrue(e.getMessage().contains("seed 424242"), e.getMessage());
        assertTrue(e.getMessage().contains("the impossible"), e.getMessage());
    }

    @Test
    void datagramsToAnAddressNobodyOwnsAreDroppedAsNoRoute() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Recorder a = new Recorder(A);
        network.attach(a, A);
        InetSocketAddress nowhere = address("198.51.100.99", 9);
        a.send(nowhere, Payloads.numbered(1, 8));
        network.runFor(Duration.ofMillis(10));
        assertEquals(1, network.linkStats(A, nowhere).droppedNoRoute());
        assertEquals(0, network.stats().delivered());
    }

    @Test
    void datagramsFromALocalAddressTheSenderDoesNotOwnAreDroppedAsNoRoute() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        network.attach(a, A);
        network.attach(b, B);
        a.send(B, A, Payloads.numbered(1, 8));
        network.runFor(Duration.ofMillis(10));
        assertEquals(List.of(), a.arrivals());
        assertEquals(1, network.stats().droppedNoRoute());
        assertEquals(0, network.stats().sent());
    }

    @Test
    void aNodeMayOwnSeveralAddressesAndIsToldWhichOneReceived() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        InetSocketAddress b6 = address("2001:db8::2", 6000);
        Recorder a = new Recorder(A);
        Recorder b = new Recorder(B);
        network.attach(a, A);
        SimNode node = network.attach(b, B, b6);
        assertEquals(List.of(B, b6), node.addresses());
        assertSame(b, node.engine());
        a.send(b6, Payloads.numbered(1, 8));
        network.runFor(Duration.ofMillis(10));
        assertEquals(b6, b.arrivals().get(0).local());
    }

    @Test
    void attachingAnAddressTwiceIsRefused() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        network.attach(new Recorder(A), A);
        assertThrows(IllegalArgumentException.class, () -> network.attach(new Recorder(A), A));
        assertThrows(IllegalArgumentException.class, () -> network.attach(new Recorder(B)));
        assertThrows(IllegalArgumentException.class,
                () -> network.attach(new Recorder(B), InetSocketAddress.createUnresolved("example.org", 1)));
    }

    @Test
    void engineThatNeverStopsSendingIsReportedAsARunaway() {
        SimNetwork network = SimNetwork.builder(99).maxDatagramsPerService(1_000).build();
        network.attach(new Engine() {
            @Override
            public void onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer d) {
            }

            @Override
            public Transmit pollTransmit(long nowNanos, ByteBuffer out) {
                out.put((byte) 1);
                return new Transmit(A, B);
            }

            @Override
            public long nextTimeoutNanos() {
                return NO_TIMEOUT;
            }

            @Override
            public void onTimeout(long nowNanos) {
            }

            @Override
            public void setWakeup(Runnable wakeup) {
            }
        }, A);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> network.runFor(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(A.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("seed 99"), e.getMessage());
    }

    @Test
    void engineWhoseTimerIsAlwaysDueIsReportedBecauseTimeStopsAdvancing() {
        SimNetwork network = SimNetwork.builder(98).maxEventsWithoutTimeAdvance(10_000).build();
        network.attach(new Recorder(B), B);
        network.attach(new Alarm() {
            @Override
            public long nextTimeoutNanos() {
                return 0;
            }
        }, A);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> network.runFor(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(A.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("stuck"), e.getMessage());
    }

    @Test
    void wakeupFromAnotherThreadIsRefusedWithAnExplanation() throws InterruptedException {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        SimNode node = network.attach(new Recorder(A), A);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                node.wakeup();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
    }

    @Test
    void schedulingInThePastIsRefused() {
        SimNetwork network = new SimNetwork(1, LinkConditions.PERFECT);
        network.runFor(Duration.ofMillis(1));
        assertThrows(IllegalArgumentException.class, () -> network.scheduleAt(START, () -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> network.inject(new Datagram(A, B, new byte[1]), START));
    }

    @Test
    void manyRoundTripsOverALossyLinkRunWithinTheEventBudget() {
        // The size of the transfers the transport's tests run: 18,000 datagrams of 1200 bytes each
        // way, echoed, on twenty seeds.
        long events = 0;
        for (long seed = 0; seed < 20; seed++) {
            SimNetwork network = new SimNetwork(seed, LinkConditions.builder()
                    .lossProbability(0.01).delay(Duration.ofMillis(20)).jitter(Duration.ofMillis(2))
                    .bandwidthBitsPerSecond(100_000_000).build());
            PacedSender sender = new PacedSender(A, B, 18_000, 1200, 100_000);
            network.attach(sender, A);
            network.attach(new Recorder(B, true), B);
            network.runFor(Duration.ofSeconds(3));
            assertEquals(18_000, sender.sent());
            assertWithinOnePercentLossEachWay(sender.arrivals().size(), network);
            events += network.stats().delivered();
        }
        assertTrue(events > 20 * 35_000, "deliveries: " + events);
    }

    private static void assertWithinOnePercentLossEachWay(int echoes, SimNetwork network) {
        // About 98% come back; 17,400 leaves a margin of more than five standard deviations.
        assertTrue(echoes > 17_400 && echoes < 18_000, echoes + " echoes; " + network.describe());
    }
}
