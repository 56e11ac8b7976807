package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ReplayWindowPropertyTest {

    @Property(tries = 300)
    void aNumberIsAcceptedAtMostOnceAndExactlyWhenNewAndWithinTheWindow(
            @ForAll @Size(max = 400) List<@LongRange(max = 6000) Long> arrivals) {
        ReplayWindow window = new ReplayWindow();
        Set<Long> accepted = new HashSet<>();
        long highest = -1;
        for (long pn : arrivals) {
            boolean expected = !accepted.contains(pn) && (pn > highest || highest - pn < ReplayWindow.WINDOW_SIZE);
            assertEquals(expected, window.isFresh(pn), "packet " + pn + " after highest " + highest);
            assertEquals(expected, window.isFresh(pn), "isFresh changed state");
            if (expected) {
                window.markSeen(pn);
                accepted.add(pn);
                highest = Math.max(highest, pn);
            }
            assertFalse(window.isFresh(pn));
        }
    }

    @Property(tries = 200)
    void numbersOlderThanTheWindowAreRefused(
            @ForAll @LongRange(min = ReplayWindow.WINDOW_SIZE, max = Long.MAX_VALUE / 2) long highest,
            @ForAll @LongRange(min = ReplayWindow.WINDOW_SIZE, max = 1_000_000) long age) {
        ReplayWindow window = new ReplayWindow();
        window.markSeen(highest);
        assertFalse(window.isFresh(highest - age));
        assertTrue(window.isFresh(highest - ReplayWindow.WINDOW_SIZE + 1));
    }

    @Property(tries = 50)
    void everyNumberOfAWindowArrivingInRandomOrderIsAcceptedOnce(
            @ForAll @LongRange(max = Long.MAX_VALUE / 2) long base, @ForAll long seed) {
        List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < ReplayWindow.WINDOW_SIZE; i++) {
            numbers.add(base + i);
        }
        Collections.shuffle(numbers, new Random(seed));
        ReplayWindow window = new ReplayWindow();
        window.markSeen(base);
        for (long pn : numbers) {
            if (pn != base) {
                assertTrue(window.isFresh(pn), "packet " + pn);
                window.markSeen(pn);
            }
        }
        for (long pn : numbers) {
            assertFalse(window.isFresh(pn), "replayed packet " + pn);
        }
    }

    @Example
    void aLargeJumpForgetsEverythingBehindTheNewWindow() {
        ReplayWindow window = new ReplayWindow();
        window.markSeen(0);
        window.markSeen(5);
        window.markSeen(1_000_000);
        assertFalse(window.isFresh(5));
        assertTrue(window.isFresh(1_000_000 - 1));
        assertFalse(window.isFresh(1_000_000));
        assertFalse(window.isFresh(-1));
        assertTrue(window.isFresh(Long.MAX_VALUE));
        window.markSeen(Long.MAX_VALUE);
        assertFalse(window.isFresh(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, window.highestSeen());
    }
}
