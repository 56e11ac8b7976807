package dev.srudp.core.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RatesTest {
    @Test
    void productsBeyondSixtyFourBitsAreDividedExactly() {
        // 10 Gbit/s for 100 s, in nanoseconds: 1.25e9 * 1e11 overflows a long before dividing
        assertEquals(125_000_000_000L, Rates.bytesOver(1_250_000_000L, 100_000_000_000L));
        assertEquals(Long.MAX_VALUE / 3, Rates.mulDiv(Long.MAX_VALUE, 2, 6));
    }

    @Test
    void randomProductsOfAnySizeAgreeWithExactArithmetic() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 200_000; i++) {
            long a = random.nextLong() >>> (1 + random.nextInt(63));
            long b = random.nextLong() >>> (1 + random.nextInt(63));
            long c = Math.max(1, random.nextLong() >>> (1 + random.nextInt(63)));
            java.math.BigInteger exact = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                    .divide(java.math.BigInteger.valueOf(c));
            long expected = exact.bitLength() < 64 ? exact.longValue() : Long.MAX_VALUE;
            assertEquals(expected, Rates.mulDiv(a, b, c), a + " * " + b + " / " + c);
        }
    }

    @Test
    void resultsTooLargeForALongSaturate() {
        assertEquals(Long.MAX_VALUE, Rates.mulDiv(Long.MAX_VALUE, Long.MAX_VALUE, 1));
    }

    @Test
    void bytesPerSecondOfAFiftyMillisecondInterval() {
        assertEquals(12_500_000, Rates.bytesPerSecond(625_000, 50_000_000));
    }
}
