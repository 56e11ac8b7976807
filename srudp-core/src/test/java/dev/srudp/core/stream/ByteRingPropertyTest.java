package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The ring against a plain array indexed by absolute offset: writes, reads, releases and growth in
 * any order, with the window wrapping many times around the ring.
 */
class ByteRingPropertyTest {

    @Property(tries = 200)
    void readsReturnWhatWasWrittenAcrossGrowthAndWraparound(
            @ForAll @IntRange(min = 1, max = 40_000) int maxCapacity,
            @ForAll @IntRange(min = 1, max = 300) int steps,
            @ForAll long seed) {
        Random random = new Random(seed);
        int universe = maxCapacity * 8 + 10_000;
        byte[] model = new byte[universe];
        BitSet written = new BitSet(); // offsets whose bytes were written (others hold whatever the ring had)
        ByteRing ring = new ByteRing(maxCapacity);
        long end = 0; // offsets [base, end) hold written bytes
        for (int step = 0; step < steps; step++) {
            long base = ring.base();
            switch (random.nextInt(4)) {
                case 0 -> {
                    // write somewhere inside the allowed window, growing the ring as needed
                    int room = (int) Math.min(maxCapacity, universe - base);
                    if (room == 0) {
                        break;
                    }
                    long from = base + random.nextInt(room);
                    int length = 1 + random.nextInt((int) (base + room - from));
                    assertTrue(ring.ensure(from + length));
                    byte[] chunk = new byte[length];
                    random.nextBytes(chunk);
                    if (random.nextBoolean()) {
                        // a direct buffer with bytes around the chunk, whose position must not move
                        int lead = random.nextInt(4);
                        ByteBuffer buffer = ByteBuffer.allocateDirect(lead + length + 2);
                        buffer.position(lead).put(chunk).position(1);
                        ring.put(from, buffer, lead, length);
                        assertEquals(1, buffer.position(), "the source's position is left alone");
                    } else {
                        ring.put(from, chunk, 0, length);
                    }
                    System.arraycopy(chunk, 0, model, (int) from, length);
                    written.set((int) from, (int) from + length);
                    end = Math.max(end, from + length);
                }
                case 1 -> {
                    if (end > base) {
                        long from = base + random.nextInt((int) (end - base));
                        int length = 1 + random.nextInt((int) (end - from));
                        byte[] viaArray = new byte[length];
                        ring.get(from, viaArray, 0, length);
                        assertWrittenBytesMatch(model, written, from, viaArray);
                        ByteBuffer viaBuffer = ByteBuffer.allocate(length);
                        ring.get(from, viaBuffer, length);
                        assertEquals(length, viaBuffer.position());
                        assertWrittenBytesMatch(model, written, from, viaBuffer.array());
                    }
                }
                case 2 -> {
                    if (end > base) {
                        long newBase = base + 1 + random.nextInt((int) (end - base));
                        ring.release(newBase);
                        written.clear((int) base, (int) newBase);
                    }
                }
                default -> {
                    // the limit holds: nothing beyond base + maxCapacity
                    assertFalse(ring.ensure(base + maxCapacity + 1));
                    assertEquals(base, ring.base());
                }
            }
        }
        if (end > ring.base()) {
            int length = (int) (end - ring.base());
            byte[] all = new byte[length];
            ring.get(ring.base(), all, 0, length);
            assertWrittenBytesMatch(model, written, ring.base(), all);
        }
    }

    private static void assertWrittenBytesMatch(byte[] model, BitSet written, long from, byte[] actual) {
        for (int i = written.nextSetBit((int) from); i >= 0 && i < from + actual.length; i = written.nextSetBit(i + 1)) {
            assertEquals(model[i], actual[(int) (i - from)], "byte at " + i);
        }
    }

    @Property(tries = 50)
    void releasingNeverMovesTheBaseBackwards(@ForAll @IntRange(min = 0, max = 1000) int first,
            @ForAll @IntRange(min = 0, max = 1000) int second) {
        ByteRing ring = new ByteRing(100);
        ring.release(first);
        ring.release(second);
        assertEquals(Math.max(first, second), ring.base());
    }
}
