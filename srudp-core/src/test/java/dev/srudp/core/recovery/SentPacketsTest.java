package dev.srudp.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SentPacketsTest {

    @Test
    void randomSendsAcknowledgementsAndLossesAgreeWithASortedMapThroughGrowthAndWrapAround() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            SentPackets ring = new SentPackets();
            TreeMap<Long, SentPacket> model = new TreeMap<>();
            long next = random.nextInt(1000);
            for (int step = 0; step < 2000; step++) {
                int op = random.nextInt(10);
                if (op < 5) {
                    next += 1 + (random.nextInt(20) == 0 ? random.nextInt(5) : 0);
                    SentPacket p = new SentPacket(next, step, 1200, true);
                    ring.add(p);
                    model.put(next, p);
                } else if (op < 9 && !model.isEmpty()) {
                    long from = model.firstKey() + random.nextInt(50) - 5;
                    long to = from + random.nextInt(40);
                    List<SentPacket> removed = new ArrayList<>();
                    ring.removeRange(from, to, removed::add);
                    List<SentPacket> expected = new ArrayList<>(model.subMap(from, true, to, true).values());
                    model.subMap(from, true, to, true).clear();
                    assertEquals(expected, removed);
                } else if (!model.isEmpty()) {
                    long limit = model.firstKey() + random.nextInt(30);
                    List<SentPacket> seen = new ArrayList<>();
                    ring.forEachBelow(limit, seen::add);
                    assertEquals(new ArrayList<>(model.headMap(limit, false).values()), seen);
                }
                assertEquals(model.size(), ring.size());
                if (!model.isEmpty()) {
                    assertSame(model.firstEntry().getValue(), ring.get(model.firstKey()));
                }
            }
        }
    }

    @Test
    void aPacketNumberThatDoesNotIncreaseIsRefused() {
        SentPackets ring = new SentPackets();
        ring.add(new SentPacket(5, 0, 1200, true));
        assertThrows(IllegalArgumentException.class, () -> ring.add(new SentPacket(5, 0, 1200, true)));
        assertThrows(IllegalArgumentException.class, () -> ring.add(new SentPacket(4, 0, 1200, true)));
    }
}
