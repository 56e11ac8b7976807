package dev.srudp.core.congestion;

import static dev.srudp.core.congestion.BottleneckModel.MS;
import static dev.srudp.core.congestion.BottleneckModel.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BbrTest {
    private static final int MDS = 1200;
    private static final long LINK_BYTES_PER_SECOND = 12_500_000; // 100 Mbit/s

    /** Runs the standard model and records each state change as "STATE@ms". */
    private static List<String> stateChanges(Bbr bbr, long duration, java.util.function.LongConsumer extra) {
        List<String> changes = new ArrayList<>();
        changes.add(bbr.state() + "@0");
        Bbr.State[] last = {bbr.state()};
        BottleneckModel.standard(0.0, 2.0, 3).run(bbr, duration, 0, now -> {
            extra.accept(now);
            if (bbr.state() != last[0]) {
                last[0] = bbr.state();
                changes.add(bbr.state() + "@" + now / MS);
            }
        });
        return changes;
    }

    @Test
    void itStartsUpThenDrainsThenProbesBandwidth() {
        Bbr bbr = new Bbr(MDS);
        assertEquals(Bbr.State.STARTUP, bbr.state());
        List<String> changes = stateChanges(bbr, 3 * SECOND, now -> { });
        assertTrue(changes.size() >= 3, changes.toString());
        assertTrue(changes.get(0).startsWith("STARTUP"), changes.toString());
        assertTrue(changes.get(1).startsWith("DRAIN"), changes.toString());
        assertTrue(changes.get(2).startsWith("PROBE_BW"), changes.toString());
        long drainAtMs = Long.parseLong(changes.get(1).substring(changes.get(1).indexOf('@') + 1));
        // doubling from 12 kB to a 625 kB BDP takes about six rounds, plus three to see the plateau
        assertTrue(drainAtMs < 1000, changes.toString());
        assertEquals(Bbr.State.PROBE_BW, bbr.state());
    }

    @Test
    void theBandwidthEstimateMatchesTheBottleneckAndTheMinRttTheBasePath() {
        Bbr bbr = new Bbr(MDS);
        BottleneckModel.standard(0.0, 2.0, 3).run(bbr, 5 * SECOND);
        long bw = bbr.bottleneckBandwidthBytesPerSecond();
        assertTrue(Math.abs(bw - LINK_BYTES_PER_SECOND) < LINK_BYTES_PER_SECOND / 20, "bw " + bw);
        // 50 ms propagation plus one 96 us serialization
        assertTrue(bbr.minRttNanos() >= 50 * MS && bbr.minRttNanos() <= 51 * MS, "min rtt " + bbr.minRttNanos());
        // in PROBE_BW the window is about twice the bandwidth-delay product
        long bdp = LINK_BYTES_PER_SECOND * 50 / 1000;
        assertTrue(bbr.windowBytes() >= 2 * bdp && bbr.windowBytes() <= 2 * bdp + 10 * MDS, "cwnd " + bbr.windowBytes());
    }

    /** One packet per round: sent when nothing is in flight, acknowledged {@code rtt} later. */
    private static long oneRound(Bbr bbr, long now, long rtt) {
        bbr.onPacketSent(now, MDS);
        bbr.onPacketAcked(now + rtt, now, MDS, rtt);
        bbr.onRttSample(now + rtt, rtt, rtt);
        return now + rtt;
    }

    @Test
    void theBandwidthFilterKeepsTheMaximumOfTheLastTenRounds() {
        Bbr bbr = new Bbr(MDS);
        long now = 1_000;
        now = oneRound(bbr, now, 10 * MS); // 1200 B per 10 ms = 120 kB/s
        assertEquals(120_000, bbr.bottleneckBandwidthBytesPerSecond());
        for (int round = 2; round <= 10; round++) {
            now = oneRound(bbr, now, 20 * MS); // 60 kB/s
            assertEquals(120_000, bbr.bottleneckBandwidthBytesPerSecond(), "round " + round);
        }
        now = oneRound(bbr, now, 20 * MS);
        assertEquals(60_000, bbr.bottleneckBandwidthBytesPerSecond(), "the high sample has aged out");
        assertEquals(11, bbr.roundCount());
        assertEquals(10 * MS, bbr.minRttNanos());
    }

    @Test
    void theWindowNeverFallsBelowFourDatagrams() {
        Bbr bbr = new Bbr(MDS);
        long now = 0;
        for (int i = 0; i < 40; i++) {
            now = oneRound(bbr, now, 10 * MS);
            assertTrue(bbr.windowBytes() >= 4 * MDS, "cwnd " + bbr.windowBytes());
        }
        // a tiny bandwidth-delay product: the pipe fills at once and the window settles at the floor
        assertEquals(Bbr.State.PROBE_BW, bbr.state());
        bbr.onPacketSent(now, MDS);
        bbr.onPacketsLost(now + 30 * MS, now, MDS);
        for (int i = 0; i < 20; i++) {
            now = oneRound(bbr, now + 30 * MS, 10 * MS);
            assertTrue(bbr.windowBytes() >= 4 * MDS, "cwnd " + bbr.windowBytes());
        }
    }

    @Test
    void randomLossDoesNotShrinkTheWindow() {
        Bbr bbr = new Bbr(MDS);
        long[] minWindowAfterStartup = {Long.MAX_VALUE};
        BottleneckModel model = BottleneckModel.standard(0.05, 2.0, 11);
        model.run(bbr, 10 * SECOND, 0, now -> {
            if (now > 3 * SECOND && bbr.state() == Bbr.State.PROBE_BW) {
                minWindowAfterStartup[0] = Math.min(minWindowAfterStartup[0], bbr.windowBytes());
            }
        });
        long bdp = LINK_BYTES_PER_SECOND * 50 / 1000;
        // 5% loss: the window stays near twice the BDP instead of collapsing
        assertTrue(minWindowAfterStartup[0] >= bdp, "min cwnd " + minWindowAfterStartup[0]);

        long before = bbr.windowBytes();
        bbr.onPacketsLost(11 * SECOND, 10 * SECOND, 10 * MDS);
        assertEquals(before, bbr.windowBytes());
    }

    private static final long GAP = 250_000; // 250 us between datagrams
    private static final long RTT = 10 * MS;

    /**
     * One round of {@code packets} datagrams sent {@link #GAP} apart, of which the first
     * {@code lost} are declared lost (before any acknowledgement of the round) and the rest are
     * acknowledged {@link #RTT} after being sent. Returns the time after the round.
     */
    private static long round(Bbr bbr, long start, int packets, int lost) {
        for (int i = 0; i < packets; i++) {
            bbr.onPacketSent(start + i * GAP, MDS);
        }
        if (lost > 0) {
            bbr.onPacketsLost(start + RTT, start + (lost - 1) * GAP, (long) lost * MDS);
        }
        for (int i = lost; i < packets; i++) {
            bbr.onPacketAcked(start + RTT + i * GAP, start + i * GAP, MDS, RTT);
        }
        return start + RTT + packets * GAP;
    }

    private static Bbr inProbeBw(long[] now) {
        Bbr bbr = new Bbr(MDS);
        for (int r = 0; r < 12; r++) {
            now[0] = round(bbr, now[0], 40, 0);
        }
        assertEquals(Bbr.State.PROBE_BW, bbr.state());
        return bbr;
    }

    @Test
    void aRoundLosingOverAFifthOfItsDataCutsTheWindowToTheBytesInFlightButNotBelowTheBdp() {
        long[] now = {0};
        Bbr bbr = inProbeBw(now);
        long before = bbr.windowBytes();
        long bdp = bbr.inflight(Bbr.GAIN_UNIT);
        assertTrue(before > bdp + 10 * MDS, "cwnd " + before + " bdp " + bdp);
        // 11 of 40 lost: the first acknowledgement of the round closes the previous round with
        // 11 lost against 40 delivered (22%); 28 datagrams are then still in flight
        for (int i = 0; i < 40; i++) {
            bbr.onPacketSent(now[0] + i * GAP, MDS);
        }
        bbr.onPacketsLost(now[0] + RTT, now[0] + 10 * GAP, 11L * MDS);
        bbr.onPacketAcked(now[0] + RTT + 11 * GAP, now[0] + 11 * GAP, MDS, RTT);
        long inFlightAtCut = 28L * MDS;
        assertEquals(Math.max(inFlightAtCut, bbr.inflight(Bbr.GAIN_UNIT)) + MDS, bbr.windowBytes());
        assertTrue(bbr.windowBytes() < before);
        assertTrue(bbr.windowBytes() >= bdp);
        assertEquals(Bbr.State.PROBE_BW, bbr.state());
    }

    @Test
    void lowerLossOrLossInATinyRoundLeavesTheWindowAlone() {
        long[] now = {0};
        Bbr bbr = inProbeBw(now);
        long before = bbr.windowBytes();
        // 15% loss in every round; the overload rule would act on each round's first
        // acknowledgement. Eight rounds stay within the bandwidth filter's memory of the
        // loss-free rounds, so the model's target is unchanged too.
        long t = now[0];
        for (int r = 0; r < 8; r++) {
            for (int i = 0; i < 40; i++) {
                bbr.onPacketSent(t + i * GAP, MDS);
            }
            bbr.onPacketsLost(t + RTT, t + 5 * GAP, 6L * MDS);
            bbr.onPacketAcked(t + RTT + 6 * GAP, t + 6 * GAP, MDS, RTT);
            assertEquals(before, bbr.windowBytes(), "round " + r);
            for (int i = 7; i < 40; i++) {
                bbr.onPacketAcked(t + RTT + i * GAP, t + i * GAP, MDS, RTT);
            }
            t += RTT + 40 * GAP;
        }
        Bbr small = inProbeBw(new long[] {0});
        long smallBefore = small.windowBytes();
        t = 10 * SECOND;
        for (int r = 0; r < 5; r++) {
            t = round(small, t, 10, 5); // half of ten datagrams: too few to judge
            assertTrue(small.windowBytes() >= smallBefore, "round " + r + ": " + small.windowBytes());
        }
    }

    @Test
    void withoutANewMinimumForTenSecondsItProbesTheRttAtFourDatagrams() {
        Bbr bbr = new Bbr(MDS);
        boolean[] fed = {false};
        long[] probeRttWindowMax = {0};
        List<String> changes = stateChanges(bbr, 13 * SECOND, now -> {
            if (!fed[0] && now > SECOND) {
                // a minimum that the path never shows again
                bbr.onRttSample(now, 40 * MS, 40 * MS);
                fed[0] = true;
            }
            if (bbr.state() == Bbr.State.PROBE_RTT) {
                probeRttWindowMax[0] = Math.max(probeRttWindowMax[0], bbr.windowBytes());
            }
        });
        int probeRtt = -1;
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).startsWith("PROBE_RTT")) {
                probeRtt = i;
                break;
            }
        }
        assertTrue(probeRtt > 0, changes.toString());
        long enteredMs = Long.parseLong(changes.get(probeRtt).substring(changes.get(probeRtt).indexOf('@') + 1));
        assertTrue(enteredMs >= 11_000 && enteredMs < 11_300, changes.toString());
        assertTrue(changes.get(probeRtt + 1).startsWith("PROBE_BW"), changes.toString());
        long leftMs = Long.parseLong(changes.get(probeRtt + 1).substring(changes.get(probeRtt + 1).indexOf('@') + 1));
        assertTrue(leftMs - enteredMs >= 200 && leftMs - enteredMs < 500, changes.toString());
        assertEquals(4L * MDS, probeRttWindowMax[0]);
        assertTrue(bbr.minRttNanos() >= 50 * MS, "the stale minimum was replaced: " + bbr.minRttNanos());
    }

    @Test
    void theFactoryCreatesEitherController() {
        assertTrue(CongestionControllers.create(dev.srudp.CongestionControl.NEW_RENO, MDS) instanceof NewReno);
        assertTrue(CongestionControllers.create(dev.srudp.CongestionControl.LOSS_TOLERANT, MDS) instanceof Bbr);
        assertEquals(0, new NewReno(MDS).pacingRateBytesPerSecond());
        assertTrue(new Bbr(MDS).pacingRateBytesPerSecond() > 0);
    }
}
