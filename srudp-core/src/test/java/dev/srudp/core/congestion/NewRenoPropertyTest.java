package dev.srudp.core.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class NewRenoPropertyTest {
    private static final long MS = 1_000_000L;

    @Property(tries = 300)
    void theWindowStaysAboveTwoDatagramsAndShrinksOnlyOncePerRecoveryPeriod(
            @ForAll @IntRange(min = 1200, max = 9000) int mds,
            @ForAll @IntRange(min = 1, max = 300) int steps,
            @ForAll long seed) {
        Random random = new Random(seed);
        NewReno reno = new NewReno(mds);
        long now = 0;
        long recoveryStart = Long.MIN_VALUE;
        for (int i = 0; i < steps; i++) {
            now += random.nextInt(20) * MS;
            long before = reno.windowBytes();
            long sentAt = Math.max(0, now - random.nextInt(200) * MS);
            int bytes = 1 + random.nextInt(mds);
            switch (random.nextInt(3)) {
                case 0 -> reno.onPacketSent(now, bytes);
                case 1 -> {
                    reno.onPacketAcked(now, sentAt, bytes, 100 * MS);
                    if (sentAt <= recoveryStart) {
                        assertEquals(before, reno.windowBytes(), "no growth for packets sent before the recovery");
                    } else {
                        assertTrue(reno.windowBytes() >= before && reno.windowBytes() <= before + Math.max(bytes, mds));
                    }
                }
                default -> {
                    reno.onPacketsLost(now, sentAt, bytes);
                    if (sentAt <= recoveryStart) {
                        assertEquals(before, reno.windowBytes(), "one reduction per recovery period");
                    } else {
                        assertEquals(Math.max(before / 2, 2L * mds), reno.windowBytes());
                        recoveryStart = now;
                    }
                }
            }
            assertTrue(reno.windowBytes() >= 2L * mds);
            assertTrue(reno.bytesInFlight() >= 0);
        }
    }
}
