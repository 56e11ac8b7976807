package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PacketsTest {

    @Provide
    Arbitrary<Packets.Handshake> handshakes() {
        Arbitrary<Integer> types = Arbitraries.of(Packets.TYPE_INIT_IK, Packets.TYPE_INIT_XX, Packets.TYPE_RESPONSE,
                Packets.TYPE_FINISH);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(types, Arbitraries.integers().between(0, 255), Arbitraries.longs(),
                Arbitraries.longs(), noise).as((type, version, receiver, sender, message) -> {
                    boolean init = type == Packets.TYPE_INIT_IK || type == Packets.TYPE_INIT_XX;
                    return new Packets.Handshake(type, version, init ? 0 : receiver, sender, ByteBuffer.wrap(message));
                });
    }

    @Provide
    Arbitrary<Packets.Reject> rejects() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.longs(),
                Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofMaxSize(255))
                .as(Packets.Reject::new);
    }

    @Provide
    Arbitrary<byte[]> packetLikeBytes() {
        Arbitrary<Byte> first = Arbitraries.oneOf(
                Arbitraries.bytes().between((byte) 0xC1, (byte) 0xC7),
                Arbitraries.bytes());
        return Combinators.combine(first, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as((f, rest) -> {
            byte[] b = new byte[rest.length + 1];
            b[0] = f;
            System.arraycopy(rest, 0, b, 1, rest.length);
            return b;
        }).injectDuplicates(0.0);
    }

    private static byte[] encode(Packets.Handshake h) {
        ByteBuffer out = ByteBuffer.allocate(h.encodedLength());
        h.encode(out);
        assertFalse(out.hasRemaining());
        return out.array();
    }

    private static byte[] encode(Packets.Reject r) {
        ByteBuffer out = ByteBuffer.allocate(12 + r.supportedVersions().length);
        r.encode(out);
        assertFalse(out.hasRemaining());
        return out.array();
    }

    @Property
    void handshakePacketsOfEveryTypeRoundTrip(@ForAll("handshakes") Packets.Handshake packet) throws Exception {
        byte[] bytes = encode(packet);
        boolean init = packet.type() == Packets.TYPE_INIT_IK || packet.type() == Packets.TYPE_INIT_XX;
        int expected = init
                ? Math.max(Packets.MIN_INIT_LENGTH, Packets.INIT_HEADER_LENGTH + 1 + packet.token().remaining() + 2
                        + packet.noiseMessage().remaining())
                : Packets.RESPONSE_HEADER_LENGTH + packet.noiseMessage().remaining();
        assertEquals(expected, bytes.length);
        assertEquals(packet.type(), bytes[0] & 0xff);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Packets.Handshake decoded = Packets.Handshake.decode(in);
        assertEquals(packet, decoded);
        assertTrue(decoded.noiseMessage().isReadOnly());
        assertEquals(packet.type() == Packets.TYPE_INIT_IK ? Packets.Kind.INIT_IK
                : packet.type() == Packets.TYPE_INIT_XX ? Packets.Kind.INIT_XX
                : packet.type() == Packets.TYPE_RESPONSE ? Packets.Kind.RESPONSE : Packets.Kind.FINISH,
                Packets.kind(bytes[0]));
    }

    @Example
    void handshakeHeadersAreLaidOutBigEndianAsDocumented() throws Exception {
        byte[] init = encode(new Packets.Handshake(Packets.TYPE_INIT_XX, 1, 0, 0x0102030405060708L,
                ByteBuffer.wrap(new byte[] {(byte) 0xAA}), ByteBuffer.wrap(new byte[] {0x55, 0x66})));
        assertEquals(Packets.MIN_INIT_LENGTH, init.length, "an INIT is padded to 1200 bytes");
        assertEquals("c2010102030405060708025566" + "0001aa", HexFormat.of().formatHex(init, 0, 16));
        for (int i = 16; i < init.length; i++) {
            assertEquals(0, init[i], "padding is zeros");
        }
        Packets.Handshake decodedInit = Packets.Handshake.decode(ByteBuffer.wrap(init));
        assertEquals(ByteBuffer.wrap(new byte[] {0x55, 0x66}), decodedInit.token());
        assertEquals(ByteBuffer.wrap(new byte[] {(byte) 0xAA}), decodedInit.noiseMessage());
        byte[] response = encode(new Packets.Handshake(Packets.TYPE_RESPONSE, 1, 0x1112131415161718L,
                0x2122232425262728L, ByteBuffer.allocate(0)));
        assertEquals("c30111121314151617182122232425262728", HexFormat.of().formatHex(response));
        Packets.Handshake decoded = Packets.Handshake.decode(ByteBuffer.wrap(response));
        assertEquals(0x1112131415161718L, decoded.receiverId());
        assertEquals(0x2122232425262728L, decoded.senderId());
        assertEquals(0, decoded.noiseMessage().remaining());
    }

    @Example
    void truncatedOrForeignHandshakePacketsAreRefused() {
        assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.allocate(0)));
        for (int type : new int[] {Packets.TYPE_INIT_IK, Packets.TYPE_INIT_XX}) {
            byte[] b = new byte[Packets.INIT_HEADER_LENGTH];
            b[0] = (byte) type;
            assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.wrap(b)));
            byte[] longToken = new byte[1200];
            longToken[0] = (byte) type;
            longToken[Packets.INIT_HEADER_LENGTH] = (byte) (Packets.MAX_TOKEN_LENGTH + 1);
            assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.wrap(longToken)));
            byte[] longNoise = new byte[1200];
            longNoise[0] = (byte) type;
            longNoise[Packets.INIT_HEADER_LENGTH + 1] = (byte) 0x10;
            assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.wrap(longNoise)));
        }
        for (int type : new int[] {Packets.TYPE_RESPONSE, Packets.TYPE_FINISH}) {
            byte[] b = new byte[Packets.RESPONSE_HEADER_LENGTH - 1];
            b[0] = (byte) type;
            assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.wrap(b)));
        }
        for (int type : new int[] {Packets.TYPE_REJECT, Packets.TYPE_COOKIE, Packets.TYPE_PROBE, Packets.TYPE_DATA, 0}) {
            byte[] b = new byte[64];
            b[0] = (byte) type;
            assertThrows(WireFormatException.class, () -> Packets.Handshake.decode(ByteBuffer.wrap(b)));
        }
    }

    @Property
    void rejectPacketsRoundTrip(@ForAll("rejects") Packets.Reject reject) throws Exception {
        byte[] bytes = encode(reject);
        assertEquals(Packets.Kind.REJECT, Packets.kind(bytes[0]));
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Packets.Reject decoded = Packets.Reject.decode(in);
        assertFalse(in.hasRemaining());
        assertEquals(reject.version(), decoded.version());
        assertEquals(reject.receiverId(), decoded.receiverId());
        assertEquals(reject.reason(), decoded.reason());
        assertArrayEquals(reject.supportedVersions(), decoded.supportedVersions());
    }

    @Example
    void aRejectIsLaidOutAsDocumented() throws Exception {
        byte[] bytes = encode(new Packets.Reject(1, 0x0102030405060708L, Packets.REJECT_VERSION, new byte[] {1, 2}));
        assertEquals("c501010203040506070802020102", HexFormat.of().formatHex(bytes));
    }

    @Example
    void aRejectListingMoreVersionsThanItCarriesIsRefused() {
        byte[] bytes = HexFormat.of().parseHex("c50101020304050607080203" + "0102");
        assertThrows(WireFormatException.class, () -> Packets.Reject.decode(ByteBuffer.wrap(bytes)));
        assertThrows(WireFormatException.class,
                () -> Packets.Reject.decode(ByteBuffer.wrap(HexFormat.of().parseHex("c501010203040506070802"))));
        assertThrows(WireFormatException.class,
                () -> Packets.Reject.decode(ByteBuffer.wrap(HexFormat.of().parseHex("c30101020304050607080200"))));
    }

    @Example
    void kindMapsEveryFirstByte() {
        for (int b = 0; b < 256; b++) {
            Packets.Kind expected;
            if (b <= 0x03) {
                expected = Packets.Kind.STUN;
            } else if (b >= 0xC1 && b <= 0xC7) {
                expected = Packets.Kind.values()[1 + b - 0xC1];
            } else if (b == 0xD0 || b == 0xD1) {
                expected = Packets.Kind.DATA;
            } else {
                expected = Packets.Kind.UNKNOWN;
            }
            assertEquals(expected, Packets.kind(b), "0x" + Integer.toHexString(b));
            assertEquals(expected, Packets.kind((byte) b), "signed byte 0x" + Integer.toHexString(b));
        }
        assertEquals(Packets.Kind.INIT_IK, Packets.kind(0xC1));
        assertEquals(Packets.Kind.INIT_XX, Packets.kind(0xC2));
        assertEquals(Packets.Kind.RESPONSE, Packets.kind(0xC3));
        assertEquals(Packets.Kind.FINISH, Packets.kind(0xC4));
        assertEquals(Packets.Kind.REJECT, Packets.kind(0xC5));
        assertEquals(Packets.Kind.COOKIE, Packets.kind(0xC6));
        assertEquals(Packets.Kind.PROBE, Packets.kind(0xC7));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0xC0));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0xC8));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0xCF));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0xD2));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0x04));
        assertEquals(Packets.Kind.UNKNOWN, Packets.kind(0xFF));
    }

    @Property
    void kindLooksOnlyAtTheLowEightBits(@ForAll @IntRange(min = 0, max = 255) int b, @ForAll int high) {
        assertEquals(Packets.kind(b), Packets.kind((high << 8) | b));
    }

    @Property
    void decodingArbitraryBytesAsAHandshakeThrowsOnlyWireFormatException(@ForAll("packetLikeBytes") byte[] input) {
        try {
            Packets.Handshake h = Packets.Handshake.decode(ByteBuffer.wrap(input));
            int type = input[0] & 0xff;
            assertTrue(type >= Packets.TYPE_INIT_IK && type <= Packets.TYPE_FINISH);
        } catch (WireFormatException expected) {
            // fine
        } catch (Throwable t) {
            throw new AssertionError("Handshake.decode(0x" + HexFormat.of().formatHex(input) + ") threw " + t, t);
        }
    }

    @Property
    void decodingArbitraryBytesAsARejectThrowsOnlyWireFormatException(@ForAll("packetLikeBytes") byte[] input) {
        try {
            Packets.Reject r = Packets.Reject.decode(ByteBuffer.wrap(input));
            assertEquals(Packets.TYPE_REJECT, input[0] & 0xff);
            assertTrue(r.supportedVersions().length <= input.length - 12);
        } catch (WireFormatException expected) {
            // fine
        } catch (Throwable t) {
            throw new AssertionError("Reject.decode(0x" + HexFormat.of().formatHex(input) + ") threw " + t, t);
        }
    }

    @Property
    void aRejectDecodesFromAnyBytesAfterTheFixedHeader(@ForAll @Size(max = 40) byte[] rest,
            @ForAll long receiver, @ForAll byte count) {
        ByteBuffer b = ByteBuffer.allocate(12 + rest.length);
        b.put((byte) Packets.TYPE_REJECT).put((byte) 1).putLong(receiver).put((byte) 3).put(count).put(rest).flip();
        try {
            Packets.Reject r = Packets.Reject.decode(b);
            assertEquals(count & 0xff, r.supportedVersions().length);
        } catch (WireFormatException e) {
            assertTrue((count & 0xff) > rest.length);
        }
    }
}
