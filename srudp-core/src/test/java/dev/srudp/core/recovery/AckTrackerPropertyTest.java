package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.wire.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AckTrackerPropertyTest {

    @Property(tries = 300)
    void theAckListsExactlyTheReceivedPacketNumbersInAnyArrivalOrder(
            @ForAll @IntRange(min = 1, max = 120) int count,
            @ForAll @IntRange(min = 0, max = 80) int lossPercent,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<Long> arrivals = new ArrayList<>();
        for (long pn = 0; pn < count; pn++) {
            if (random.nextInt(100) >= lossPercent || arrivals.isEmpty()) {
                arrivals.add(pn);
            }
        }
        // local reordering
        for (int i = 0; i + 1 < arrivals.size(); i++) {
            if (random.nextInt(5) == 0) {
                Collections.swap(arrivals, i, i + 1);
            }
        }
        AckTracker acks = new AckTracker();
        TreeSet<Long> received = new TreeSet<>();
        for (long pn : arrivals) {
            boolean wasInOrder = received.isEmpty() || pn == received.last() + 1;
            acks.onPacketReceived(pn, true, 0);
            received.add(pn);
            if (!wasInOrder) {
                assertTrue(acks.isAckDue(0), "out of order packet " + pn + " after " + received);
            }
            if (random.nextInt(3) == 0) {
                check(acks.buildAck(0), received);
            }
        }
        check(acks.buildAck(0), received);
    }

    private static void check(Frame.Ack ack, TreeSet<Long> received) {
        TreeSet<Long> listed = new TreeSet<>();
        long[] r = ack.ranges();
        for (int i = 0; i < r.length; i += 2) {
            for (long pn = r[i + 1]; pn <= r[i]; pn++) {
                listed.add(pn);
            }
        }
        assertEquals(received.last(), ack.largestAcknowledged());
        if (ack.rangeCount() < Frame.Ack.MAX_RANGES) {
            assertEquals(received, listed);
        } else {
            // the oldest ranges are left out, the rest is exact
            assertEquals(received.tailSet(listed.first(), true), listed);
        }
    }
}
