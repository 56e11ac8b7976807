package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class HandshakePayloadTest {

    private static final int[] NUMBER_IDS = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15};

    @Provide
    Arbitrary<HandshakePayload> payloads() {
        Arbitrary<byte[]> certificates = Arbitraries.bytes().array(byte[].class)
                .ofSize(HandshakePayload.CERTIFICATE_LENGTH).injectNull(0.3);
        Arbitrary<byte[]> timestamps = Arbitraries.bytes().array(byte[].class)
                .ofSize(HandshakePayload.TIMESTAMP_LENGTH).injectNull(0.5);
        Arbitrary<Long> v = VarIntTest.varints();
        Arbitrary<Long> udp = Arbitraries.longs().between(1200, VarInt.MAX);
        return Combinators.combine(certificates, timestamps, v.list().ofSize(5), udp)
                .as((c, t, n, u) -> new HandshakePayload(c, t, n.get(0), n.get(1), n.get(2), n.get(3), n.get(4), u));
    }

    /** A payload's fields, one per element, each already encoded as ID, length, value. */
    private static List<byte[]> fields(HandshakePayload p) {
        List<byte[]> fields = new ArrayList<>();
        if (p.certificate() != null) {
            fields.add(field(0x01, p.certificate()));
        }
        if (p.timestamp() != null) {
            fields.add(field(0x02, p.timestamp()));
        }
        long[] numbers = {p.maxIdleTimeoutMs(), p.initialMaxData(), p.initialMaxStreamData(), p.initialMaxStreams(),
            p.maxDatagramFrameSize(), p.maxUdpPayload()};
        for (int i = 0; i < numbers.length; i++) {
            fields.add(field(NUMBER_IDS[i], varint(numbers[i])));
        }
        return fields;
    }

    private static byte[] varint(long v) {
        ByteBuffer b = ByteBuffer.allocate(8);
        VarInt.write(b, v);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] field(long id, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(varint(id));
        out.writeBytes(varint(value.length));
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static HandshakePayload typical(byte[] certificate, byte[] timestamp) {
        return new HandshakePayload(certificate, timestamp, 30_000, 1 << 20, 256 * 1024, 100, 1200, 1452);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Property
    void payloadsRoundTrip(@ForAll("payloads") HandshakePayload payload) throws Exception {
        byte[] encoded = payload.encode();
        assertTrue(encoded.length <= HandshakePayload.MAX_LENGTH);
        HandshakePayload decoded = HandshakePayload.decode(encoded);
        assertEquals(payload, decoded);
        assertEquals(payload.hashCode(), decoded.hashCode());
        assertArrayEquals(payload.certificate(), decoded.certificate());
        assertArrayEquals(payload.timestamp(), decoded.timestamp());
    }

    @Example
    void aPayloadRoundTripsWithAndWithoutCertificateAndTimestamp() throws Exception {
        byte[] certificate = bytes(HandshakePayload.CERTIFICATE_LENGTH, 1);
        byte[] timestamp = bytes(HandshakePayload.TIMESTAMP_LENGTH, 2);
        for (HandshakePayload p : List.of(typical(null, null), typical(certificate, null), typical(null, timestamp),
                typical(certificate, timestamp), typical(certificate, null).withTimestamp(timestamp))) {
            HandshakePayload decoded = HandshakePayload.decode(p.encode());
            assertEquals(p, decoded);
            assertArrayEquals(p.certificate(), decoded.certificate());
            assertArrayEquals(p.timestamp(), decoded.timestamp());
        }
        assertNull(HandshakePayload.decode(typical(null, null).encode()).certificate());
        assertNull(HandshakePayload.decode(typical(null, null).encode()).timestamp());
    }

    @Property
    void fieldsMayComeInAnyOrderAndUseNonMinimalLengths(@ForAll("payloads") HandshakePayload payload,
            @ForAll Random random) throws Exception {
        List<byte[]> fields = fields(payload);
        Collections.shuffle(fields, random);
        assertEquals(payload, HandshakePayload.decode(concat(fields)));
    }

    @Property
    void unknownFieldIdsAreSkipped(@ForAll("payloads") HandshakePayload payload, @ForAll Random random,
            @ForAll @IntRange(min = 1, max = 5) int unknownCount) throws Exception {
        List<byte[]> fields = fields(payload);
        long[] candidates = {0x00, 0x03, 0x0f, 0x16, 0x20, 0x3f, 0x40, 0x41, 0x3fff, 1L << 40, VarInt.MAX};
        for (int i = 0; i < unknownCount; i++) {
            long id = candidates[(i + random.nextInt(candidates.length)) % candidates.length];
            byte[] value = new byte[random.nextInt(40)];
            random.nextBytes(value);
            fields.add(random.nextInt(fields.size() + 1), field(id, value));
        }
        // IDs below 64 may appear once only; keep the first of each repeated unknown ID.
        List<byte[]> unique = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (byte[] f : fields) {
            long id = VarInt.read(ByteBuffer.wrap(f));
            if (id >= 64 || seen.add(id)) {
                unique.add(f);
            }
        }
        assertEquals(payload, HandshakePayload.decode(concat(unique)));
    }

    @Example
    void anUnknownFieldAbove63MayRepeat() throws Exception {
        HandshakePayload p = typical(null, null);
        byte[] encoded = concat(List.of(field(0x1234, new byte[] {1}), p.encode(), field(0x1234, new byte[] {2})));
        assertEquals(p, HandshakePayload.decode(encoded));
    }

    @Property
    void aRepeatedFieldIsRefused(@ForAll("payloads") HandshakePayload payload, @ForAll Random random) {
        List<byte[]> fields = fields(payload);
        byte[] repeated = fields.get(random.nextInt(fields.size()));
        fields.add(random.nextInt(fields.size() + 1), repeated);
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(concat(fields)));
    }

    @Example
    void aRepeatedUnknownFieldBelow64IsRefused() {
        byte[] encoded = concat(List.of(typical(null, null).encode(), field(0x20, new byte[0]), field(0x20, new byte[0])));
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(encoded));
    }

    @Property
    void aMissingTransportParameterIsRefused(@ForAll("payloads") HandshakePayload payload,
            @ForAll @IntRange(min = 0, max = 5) int missing) {
        List<byte[]> fields = fields(payload);
        int offset = (payload.certificate() != null ? 1 : 0) + (payload.timestamp() != null ? 1 : 0);
        fields.remove(offset + missing);
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(concat(fields)));
    }

    @Example
    void theEmptyPayloadIsRefused() {
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(new byte[0]));
    }

    @Property
    void maxUdpPayloadBelow1200IsRefused(@ForAll @IntRange(min = 0, max = 1199) int maxUdp) {
        List<byte[]> fields = fields(typical(null, null));
        fields.set(5, field(0x15, varint(maxUdp)));
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(concat(fields)));
    }

    @Example
    void maxUdpPayloadOf1200IsAccepted() throws Exception {
        List<byte[]> fields = fields(typical(null, null));
        fields.set(5, field(0x15, varint(1200)));
        assertEquals(1200, HandshakePayload.decode(concat(fields)).maxUdpPayload());
    }

    @Example
    void oversizeInputIsRefused() {
        byte[] valid = typical(bytes(128, 3), bytes(12, 4)).encode();
        // an unknown field: 2-byte ID, 2-byte length, then padding
        byte[] padded = concat(List.of(valid, field(0x1000, new byte[HandshakePayload.MAX_LENGTH - valid.length - 3])));
        assertEquals(HandshakePayload.MAX_LENGTH + 1, padded.length);
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(padded));
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(new byte[1 << 16]));
    }

    @Example
    void inputOfExactlyMaxLengthIsAccepted() throws Exception {
        HandshakePayload p = typical(bytes(128, 3), bytes(12, 4));
        byte[] valid = p.encode();
        // an unknown field: 2-byte ID, 2-byte length, then padding
        byte[] padded = concat(List.of(valid, field(0x1000, new byte[HandshakePayload.MAX_LENGTH - valid.length - 4])));
        assertEquals(HandshakePayload.MAX_LENGTH, padded.length);
        assertEquals(p, HandshakePayload.decode(padded));
    }

    @Example
    void wrongSizedCertificatesTimestampsAndNumbersAreRefused() {
        List<byte[]> base = fields(typical(null, null));
        for (byte[] extra : List.of(field(0x01, new byte[127]), field(0x01, new byte[129]), field(0x02, new byte[11]),
                field(0x02, new byte[13]))) {
            List<byte[]> fields = new ArrayList<>(base);
            fields.add(extra);
            assertThrows(WireFormatException.class, () -> HandshakePayload.decode(concat(fields)),
                    HexFormat.of().formatHex(extra));
        }
        // a number field with trailing bytes, and an empty number field
        for (byte[] bad : List.of(field(0x10, new byte[] {5, 0}), field(0x10, new byte[0]),
                field(0x10, new byte[] {(byte) 0x80, 0}))) {
            List<byte[]> fields = new ArrayList<>(base);
            fields.set(0, bad);
            assertThrows(WireFormatException.class, () -> HandshakePayload.decode(concat(fields)),
                    HexFormat.of().formatHex(bad));
        }
    }

    @Example
    void aFieldLongerThanTheRestOfThePayloadIsRefused() {
        byte[] valid = typical(null, null).encode();
        byte[] truncated = concat(List.of(valid, HexFormat.of().parseHex("2005010203")));
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(truncated));
        byte[] hugeLength = concat(List.of(valid, HexFormat.of().parseHex("20ffffffffffffffff")));
        assertThrows(WireFormatException.class, () -> HandshakePayload.decode(hugeLength));
    }

    @Example
    void theConstructorRefusesInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> typical(new byte[127], null));
        assertThrows(IllegalArgumentException.class, () -> typical(null, new byte[13]));
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakePayload(null, null, -1, 0, 0, 0, 0, 1200));
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakePayload(null, null, 0, 0, 0, 0, 0, VarInt.MAX + 1));
    }

    @Provide
    Arbitrary<byte[]> payloadLikeBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        // Valid encodings with bytes changed, inserted or cut off.
        Arbitrary<byte[]> mutated = Combinators.combine(payloads(), Arbitraries.randoms()).as((p, r) -> {
            byte[] b = p.encode();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n && b.length > 0; i++) {
                switch (r.nextInt(3)) {
                    case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    case 1 -> b[r.nextInt(b.length)] |= (byte) 0xC0;
                    default -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
                }
            }
            return b;
        });
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(1100);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, random), net.jqwik.api.Tuple.of(5, mutated),
                net.jqwik.api.Tuple.of(1, large));
    }

    @Property
    void decodingArbitraryBytesThrowsOnlyWireFormatException(@ForAll("payloadLikeBytes") byte[] input) {
        try {
            HandshakePayload p = HandshakePayload.decode(input);
            assertTrue(p.maxUdpPayload() >= 1200);
        } catch (WireFormatException expected) {
            // fine
        } catch (Throwable t) {
            throw new AssertionError("HandshakePayload.decode(0x" + HexFormat.of().formatHex(input) + ") threw " + t, t);
        }
    }
}
