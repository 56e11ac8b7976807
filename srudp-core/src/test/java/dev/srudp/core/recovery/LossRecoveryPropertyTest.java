package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.congestion.NewReno;
import dev.srudp.core.wire.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sends, ACKs (with gaps, reordering and repeats) and timer runs: every packet's content is
 * reported acknowledged or lost exactly once, and bytes in flight always match the outstanding
 * ack-eliciting packets.
 */
class LossRecoveryPropertyTest {
    private static final long MS = 1_000_000L;

    @Property(tries = 300)
    void everyPacketEndsAcknowledgedOrLostExactlyOnce(@ForAll @IntRange(min = 1, max = 200) int steps,
            @ForAll long seed) {
        Random random = new Random(seed);
        RttEstimator rtt = new RttEstimator();
        NewReno reno = new NewReno(1200);
        LossRecovery recovery = new LossRecovery(rtt, reno, 25 * MS);
        Map<Long, String> fate = new HashMap<>();
        Map<Long, SentPacket> outstanding = new HashMap<>();
        LossRecovery.Listener listener = new LossRecovery.Listener() {
            @Override
            public void onAcked(SentPacket.Item item) {
                record(item.offset(), "acked");
            }

            @Override
            public void onLost(SentPacket.Item item) {
                record(item.offset(), "lost");
            }

            private void record(long pn, String what) {
                String before = fate.put(pn, what);
                assertEquals(null, before, () -> "packet " + pn + " was already " + before + ", now " + what);
                outstanding.remove(pn);
            }
        };
        long now = 0;
        long nextPn = 0;
        TreeSet<Long> delivered = new TreeSet<>();
        for (int step = 0; step < steps; step++) {
            now += random.nextInt(30) * MS;
            switch (random.nextInt(3)) {
                case 0 -> {
                    SentPacket p = new SentPacket(nextPn, now, 100 + random.nextInt(1100), random.nextInt(5) > 0);
                    p.addItem(SentPacket.Kind.PING, 0, nextPn, 0, false);
                    recovery.onPacketSent(p);
                    outstanding.put(nextPn, p);
                    if (random.nextInt(4) > 0) {
                        delivered.add(nextPn);
                    }
                    nextPn++;
                }
                case 1 -> {
                    if (!delivered.isEmpty()) {
                        // acknowledge a random prefix of the delivered packets, as ranges from the top down
                        List<Long> pns = new ArrayList<>(delivered.headSet(
                                delivered.first() + random.nextInt((int) (delivered.last() - delivered.first() + 1)), true));
                        long[] ranges = toRanges(pns);
                        assertTrue(recovery.onAck(new Frame.Ack(random.nextInt(50_000), ranges), now, nextPn - 1, listener));
                    }
                }
                default -> recovery.onTimeout(now, listener);
            }
            long inFlight = outstanding.values().stream().filter(p -> p.ackEliciting).mapToLong(p -> p.size).sum();
            assertEquals(inFlight, reno.bytesInFlight());
            assertEquals(outstanding.size(), recovery.outstandingPackets());
            assertEquals(inFlight > 0, recovery.hasAckElicitingInFlight());
            assertEquals(fate.values().stream().filter("lost"::equals).count(), recovery.packetsLost());
            assertTrue(reno.windowBytes() >= 2 * 1200);
            if (outstanding.isEmpty()) {
                assertEquals(Long.MAX_VALUE, recovery.nextTimeoutNanos(), "no timer without packets");
            } else if (recovery.hasAckElicitingInFlight()) {
                assertTrue(recovery.nextTimeoutNanos() < Long.MAX_VALUE, "a timer while packets are in flight");
            }
        }
        if (nextPn > 0) {
            assertFalse(recovery.onAck(new Frame.Ack(0, new long[] {nextPn, nextPn}), now, nextPn - 1, listener),
                    "a packet number never sent");
        }
    }

    private static long[] toRanges(List<Long> ascending) {
        List<long[]> ranges = new ArrayList<>();
        for (long pn : ascending) {
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] == pn - 1) {
                ranges.get(ranges.size() - 1)[1] = pn;
            } else {
                ranges.add(new long[] {pn, pn});
            }
        }
        int n = Math.min(ranges.size(), Frame.Ack.MAX_RANGES);
        long[] out = new long[2 * n];
        for (int i = 0; i < n; i++) {
            long[] r = ranges.get(ranges.size() - 1 - i);
            out[2 * i] = r[1];
            out[2 * i + 1] = r[0];
        }
        return out;
    }
}
