package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class VarIntTest {

    /** Values spread over all four encoding lengths, boundaries included as edge cases. */
    static Arbitrary<Long> varints() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 63),
                Arbitraries.longs().between(64, 16383),
                Arbitraries.longs().between(16384, (1L << 30) - 1),
                Arbitraries.longs().between(1L << 30, VarInt.MAX));
    }

    @Provide
    Arbitrary<Long> encodable() {
        return varints();
    }

    @Provide
    Arbitrary<Long> notEncodable() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(Long.MIN_VALUE, -1),
                Arbitraries.longs().between(VarInt.MAX + 1, Long.MAX_VALUE));
    }

    private static byte[] encode(long value) {
        ByteBuffer out = ByteBuffer.allocate(8);
        VarInt.write(out, value);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static long decode(String hex) throws WireFormatException {
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        long value = VarInt.read(in);
        assertFalse(in.hasRemaining(), "the whole encoding is consumed");
        return value;
    }

    private static int expectedLength(long value) {
        return value <= 63 ? 1 : value <= 16383 ? 2 : value <= (1L << 30) - 1 ? 4 : 8;
    }

    @Property
    void everyEncodableValueRoundTripsInExactlyLengthBytes(@ForAll("encodable") long value) throws Exception {
        byte[] bytes = encode(value);
        assertEquals(VarInt.length(value), bytes.length);
        assertEquals(expectedLength(value), bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertEquals(value, VarInt.read(in));
        assertFalse(in.hasRemaining());
    }

    @Property
    void theTwoHighBitsOfTheFirstByteGiveTheLength(@ForAll("encodable") long value) {
        byte[] bytes = encode(value);
        assertEquals(bytes.length, 1 << ((bytes[0] & 0xff) >>> 6));
    }

    @Property
    void readingStopsAtTheEndOfTheEncodingAndLeavesFollowingBytes(@ForAll("encodable") long value,
            @ForAll byte following) throws Exception {
        byte[] bytes = encode(value);
        ByteBuffer in = ByteBuffer.allocate(bytes.length + 1).put(bytes).put(following).flip();
        assertEquals(value, VarInt.read(in));
        assertEquals(1, in.remaining());
        assertEquals(following, in.get());
    }

    @Example
    void boundariesBetweenEncodingLengthsAreWhereRfc9000PutsThem() throws Exception {
        long[][] cases = {
            {0, 1}, {63, 1}, {64, 2}, {16383, 2}, {16384, 4}, {(1L << 30) - 1, 4}, {1L << 30, 8}, {VarInt.MAX, 8},
        };
        for (long[] c : cases) {
            assertEquals(c[1], VarInt.length(c[0]), "length of " + c[0]);
            byte[] bytes = encode(c[0]);
            assertEquals(c[1], bytes.length, "encoded length of " + c[0]);
            assertEquals(c[0], VarInt.read(ByteBuffer.wrap(bytes)));
        }
        assertArrayEquals(HexFormat.of().parseHex("3f"), encode(63));
        assertArrayEquals(HexFormat.of().parseHex("4040"), encode(64));
        assertArrayEquals(HexFormat.of().parseHex("7fff"), encode(16383));
        assertArrayEquals(HexFormat.of().parseHex("80004000"), encode(16384));
        assertArrayEquals(HexFormat.of().parseHex("bfffffff"), encode((1L << 30) - 1));
        assertArrayEquals(HexFormat.of().parseHex("c000000040000000"), encode(1L << 30));
        assertArrayEquals(HexFormat.of().parseHex("ffffffffffffffff"), encode(VarInt.MAX));
    }

    @Example
    void theRfc9000AppendixA1ExamplesDecodeCorrectly() throws Exception {
        assertEquals(151288809941952652L, decode("c2197c5eff14e88c"));
        assertEquals(494878333L, decode("9d7f3e7d"));
        assertEquals(15293L, decode("7bbd"));
        assertEquals(37L, decode("25"));
        assertEquals(37L, decode("4025"));
    }

    @Example
    void theRfc9000AppendixA1ValuesEncodeToTheirMinimalForms() {
        assertArrayEquals(HexFormat.of().parseHex("c2197c5eff14e88c"), encode(151288809941952652L));
        assertArrayEquals(HexFormat.of().parseHex("9d7f3e7d"), encode(494878333L));
        assertArrayEquals(HexFormat.of().parseHex("7bbd"), encode(15293L));
        assertArrayEquals(HexFormat.of().parseHex("25"), encode(37L));
    }

    @Property
    void nonMinimalEncodingsAreAccepted(@ForAll("encodable") long value,
            @ForAll @IntRange(min = 0, max = 3) int lengthExponent) throws Exception {
        int length = 1 << lengthExponent;
        long capacity = (1L << (8 * length - 2)) - 1;
        if (value > capacity) {
            value = value & capacity;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        switch (length) {
            case 1 -> out.put((byte) value);
            case 2 -> out.putShort((short) (value | 0x4000));
            case 4 -> out.putInt((int) (value | 0x8000_0000L));
            default -> out.putLong(value | 0xC000_0000_0000_0000L);
        }
        ByteBuffer in = out.flip();
        assertEquals(value, VarInt.read(in));
        assertFalse(in.hasRemaining());
    }

    @Property
    void outOfRangeValuesAreRefusedWithIllegalArgumentException(@ForAll("notEncodable") long value) {
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(value));
        ByteBuffer out = ByteBuffer.allocate(16);
        assertThrows(IllegalArgumentException.class, () -> VarInt.write(out, value));
        assertEquals(0, out.position(), "nothing is written for a refused value");
    }

    @Example
    void theValuesJustOutsideTheRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(-1));
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(VarInt.MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(Long.MIN_VALUE));
    }

    @Property
    void truncatedInputIsAWireFormatExceptionAndConsumesNothing(@ForAll("encodable") long value,
            @ForAll @IntRange(min = 0, max = 7) int keep) {
        byte[] bytes = encode(value);
        if (keep >= bytes.length) {
            keep = bytes.length - 1;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, keep);
        assertThrows(WireFormatException.class, () -> VarInt.read(in));
        assertEquals(0, in.position());
    }

    @Example
    void anEmptyBufferIsAWireFormatException() {
        assertThrows(WireFormatException.class, () -> VarInt.read(ByteBuffer.allocate(0)));
    }

    @Property
    void anyFirstByteWithEnoughFollowingBytesDecodesToAnEncodableValue(@ForAll byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            long value = VarInt.read(in);
            assertEquals(true, value >= 0 && value <= VarInt.MAX);
            assertEquals(1 << ((bytes[0] & 0xff) >>> 6), in.position());
        } catch (WireFormatException e) {
            assertEquals(true, bytes.length < (bytes.length == 0 ? 1 : 1 << ((bytes[0] & 0xff) >>> 6)));
        }
    }
}
