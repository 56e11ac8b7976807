package dev.srudp.discovery.autonomi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void aSealedRecordOpensToTheSameCounterAndBytes() {
        byte[] record = {9, 8, 7};
        Envelope.Opened opened = Envelope.open(Envelope.seal(1_790_000_000_000L, record)).orElseThrow();
        assertEquals(1_790_000_000_000L, opened.counter());
        assertArrayEquals(record, opened.record());
    }

    @Test
    void theLayoutIsMagicThenABigEndianCounterThenTheRecord() {
        assertEquals("53524131" + "0000000000000102" + "ff", HexFormat.of().formatHex(Envelope.seal(258, new byte[] {-1})));
    }

    @Test
    void anEmptyRecordIsAllowedAndAnOversizedOneIsNot() {
        assertEquals(0, Envelope.open(Envelope.seal(0, new byte[0])).orElseThrow().record().length);
        assertThrows(IllegalArgumentException.class, () -> Envelope.seal(1, new byte[Envelope.MAX_BYTES]));
        assertThrows(IllegalArgumentException.class, () -> Envelope.seal(-1, new byte[0]));
    }

    @Test
    void anyByteStringEitherOpensOrIsRefusedWithoutAnException() {
        Random random = new Random(20261127L);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length >= 4) {
                System.arraycopy(Envelope.MAGIC, 0, bytes, 0, 4);
            }
            Envelope.open(bytes).ifPresent(o -> assertTrue(o.counter() >= 0));
        }
        assertTrue(Envelope.open(null).isEmpty());
        assertTrue(Envelope.open(new byte[] {0x53, 0x52, 0x41, 0x31, 0, 0, 0}).isEmpty(), "too short for a counter");
        assertTrue(Envelope.open(HexFormat.of().parseHex("53524131ffffffffffffffff")).isEmpty(), "negative counter");
    }
}
