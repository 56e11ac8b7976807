package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Tai64nTest {

    @Test
    void theUnixEpochIsTheTai64LabelTwoToTheSixtySecond() {
        assertEquals("400000000000000000000000", TestHex.encode(Tai64n.fromEpochNanos(0)));
        assertEquals("40000000000000010000007b", TestHex.encode(Tai64n.fromEpochNanos(1_000_000_123L)));
        assertEquals("3fffffffffffffff3b9ac9ff", TestHex.encode(Tai64n.fromEpochNanos(-1)));
    }

    @Test
    void laterTimesCompareGreaterAsUnsignedBytes() {
        long now = 1_790_000_000_123_456_789L;
        byte[] earlier = Tai64n.fromEpochNanos(now);
        byte[] later = Tai64n.fromEpochNanos(now + 1);
        assertTrue(Tai64n.compare(earlier, later) < 0);
        assertTrue(Tai64n.compare(later, earlier) > 0);
        assertEquals(0, Tai64n.compare(earlier, Tai64n.fromEpochNanos(now)));
        assertTrue(Tai64n.compare(Tai64n.fromEpochNanos(127), Tai64n.fromEpochNanos(128)) < 0);
        assertTrue(Tai64n.compare(Tai64n.fromEpochNanos(-1), Tai64n.fromEpochNanos(0)) < 0);
    }

    @Test
    void comparingSomethingThatIsNotATimestampIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tai64n.compare(new byte[11], new byte[12]));
    }
}
