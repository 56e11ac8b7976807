package dev.srudp.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMapTest {

    @Test
    void randomPutsAndRemovesAgreeWithAHashMapThroughGrowthAndCollidingKeys() {
        Random random = new Random(5);
        for (int round = 0; round < 20; round++) {
            LongMap<String> map = new LongMap<>();
            Map<Long, String> model = new HashMap<>();
            // a small key space makes probe runs long and removals shift entries back often
            long space = 1 + random.nextInt(round < 10 ? 64 : 100_000);
            for (int step = 0; step < 5000; step++) {
                long key = random.nextLong() % space;
                if (random.nextInt(3) == 0) {
                    assertEquals(model.remove(key), map.remove(key), "remove " + key);
                } else {
                    String value = "v" + step;
                    assertEquals(model.put(key, value), map.put(key, value), "put " + key);
                }
                long probe = random.nextLong() % space;
                assertEquals(model.get(probe), map.get(probe), "get " + probe);
                assertEquals(model.containsKey(probe), map.containsKey(probe));
                assertEquals(model.size(), map.size());
            }
            List<String> values = new ArrayList<>(map.values());
            values.sort(null);
            List<String> expected = new ArrayList<>(model.values());
            expected.sort(null);
            assertEquals(expected, values);
        }
    }

    @Test
    void nullValuesAreRefused() {
        assertThrows(NullPointerException.class, () -> new LongMap<String>().put(1, null));
    }
}
