package dev.srudp.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeSetTest {

    @Test
    void addingAdjacentRangesMergesThemIntoOne() {
        RangeSet set = new RangeSet();
        set.add(0, 10);
        set.add(20, 30);
        set.add(10, 20);
        assertEquals("{[0,30)}", set.toString());
    }

    @Test
    void addingARangeThatSpansSeveralRangesMergesAllOfThem() {
        RangeSet set = new RangeSet();
        for (int i = 0; i < 10; i++) {
            set.add(i * 10, i * 10 + 5);
        }
        assertEquals(10, set.rangeCount());
        set.add(12, 73);
        assertEquals("{[0,5), [10,75), [80,85), [90,95)}", set.toString());
    }

    @Test
    void anEmptyRangeChangesNothing() {
        RangeSet set = new RangeSet();
        set.add(5, 5);
        set.remove(3, 3);
        assertTrue(set.isEmpty());
        assertTrue(set.containsAll(7, 7));
    }

    @Test
    void removingTheMiddleOfARangeSplitsIt() {
        RangeSet set = new RangeSet();
        set.add(0, 100);
        set.remove(40, 60);
        assertEquals("{[0,40), [60,100)}", set.toString());
        assertFalse(set.contains(40));
        assertTrue(set.contains(39));
        assertTrue(set.contains(60));
        assertEquals(40, set.contiguousEnd(0));
        assertEquals(45, set.contiguousEnd(45));
    }

    @Test
    void removeBelowTrimsTheFirstRemainingRange() {
        RangeSet set = new RangeSet();
        set.add(0, 10);
        set.add(20, 30);
        set.removeBelow(25);
        assertEquals("{[25,30)}", set.toString());
        set.removeBelow(100);
        assertTrue(set.isEmpty());
    }

    @Test
    void keepHighestDropsTheLowestRanges() {
        RangeSet set = new RangeSet();
        set.add(0, 1);
        set.add(2, 3);
        set.add(4, 5);
        set.keepHighest(2);
        assertEquals("{[2,3), [4,5)}", set.toString());
        set.keepHighest(5);
        assertEquals(2, set.rangeCount());
    }
}
