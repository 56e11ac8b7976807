package dev.srudp.core.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of RFC 5769 ("Test Vectors for Session Traversal Utilities for NAT (STUN)"),
 * sections 2.1-2.3, as the RFC prints them. MESSAGE-INTEGRITY is carried but not checked here
 * (srudp does not authenticate Binding); FINGERPRINT is checked.
 */
class StunVectorsTest {
    static final byte[] TRANSACTION_ID = hex("b7e7a701bc34d686fa87dfae");

    /** Section 2.1, "Sample Request": SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
    static final byte[] SAMPLE_REQUEST = hex("""
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae
            80220010 5354554e 20746573 7420636c 69656e74
            00240004 6e0001ff
            80290008 932ff9b1 51263b36
            00060009 6576746a 3a683676 59202020
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            80280004 e57a3bcf""");

    /** Section 2.2, "Sample IPv4 Response": XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200008 0001a147 e112a643
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            80280004 c07d4c96""");

    /** Section 2.3, "Sample IPv6 Response": XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01010048 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
            00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
            80280004 c8fb0b4c""");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    @Test
    void sampleRequestDecodesWithItsFingerprintChecked() throws Exception {
        StunMessage m = StunMessage.decode(ByteBuffer.wrap(SAMPLE_REQUEST));
        assertEquals(StunMessage.METHOD_BINDING, m.method());
        assertEquals(StunMessage.MessageClass.REQUEST, m.messageClass());
        assertArrayEquals(TRANSACTION_ID, m.transactionId());
        assertTrue(m.fingerprinted());
        assertEquals("STUN test client", StunAttributes.decodeSoftware(m.attribute(StunAttributes.SOFTWARE).get()));
        assertEquals("evtj:h6vY", new String(m.attribute(StunAttributes.USERNAME).get().value(), StandardCharsets.UTF_8));
        assertEquals(List.of(0x8022, 0x0024, 0x8029, 0x0006, 0x0008),
                m.attributes().stream().map(StunAttribute::type).toList());
        // PRIORITY (0x0024) is an ICE attribute this agent does not understand
        assertEquals(List.of(0x0024), StunAttributes.notUnderstood(m, StunAttributes.UNDERSTOOD));
    }

    @Test
    void sampleResponsesDecodeToTheDocumentedAddresses() throws Exception {
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), mapped(SAMPLE_IPV4_RESPONSE));
        assertEquals(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853), mapped(SAMPLE_IPV6_RESPONSE));
    }

    private static InetSocketAddress mapped(byte[] vector) throws Exception {
        StunMessage m = StunMessage.decode(ByteBuffer.wrap(vector));
        assertEquals(StunMessage.MessageClass.SUCCESS_RESPONSE, m.messageClass());
        assertTrue(m.fingerprinted());
        assertEquals("test vector", StunAttributes.decodeSoftware(m.attribute(StunAttributes.SOFTWARE).get()));
        return StunAttributes.decodeXorAddress(m.attribute(StunAttributes.XOR_MAPPED_ADDRESS).get(), m.transactionId());
    }

    @Test
    void reEncodingTheVectorsReproducesThemByteForByte() throws Exception {
        // the RFC pads SOFTWARE "test vector" with a space; this codec pads with zeros (section
        // 14: padding "MUST be ignored by receivers"), so the padding byte is set as the RFC has
        // it, and the FINGERPRINT, which covers it, is compared after that
        for (byte[] vector : List.of(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)) {
            byte[] again = StunMessage.decode(ByteBuffer.wrap(vector)).encode();
            StunMessage.decode(ByteBuffer.wrap(again));
            again[20 + 4 + 11] = 0x20;
            int fingerprintValue = again.length - 4;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(again, 0, fingerprintValue - 4);
            ByteBuffer.wrap(again).putInt(fingerprintValue, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
            assertArrayEquals(vector, again);
        }
    }

    @Test
    void theXorAddressEncoderWritesTheVectorsAttributes() {
        StunAttribute v4 = StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS,
                new InetSocketAddress("192.0.2.1", 32853), TRANSACTION_ID);
        assertArrayEquals(hex("0001a147e112a643"), v4.value());
        StunAttribute v6 = StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS,
                new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853), TRANSACTION_ID);
        assertArrayEquals(hex("0002a1470113a9faa5d3f179bc25f4b5bed2b9d9"), v6.value());
    }

    @Test
    void aChangedByteBreaksTheFingerprint() {
        byte[] bytes = SAMPLE_REQUEST.clone();
        bytes[30] ^= 1;
        StunFormatException e = assertThrows(StunFormatException.class, () -> StunMessage.decode(ByteBuffer.wrap(bytes)));
        assertEquals("FINGERPRINT does not match", e.getMessage());
    }

    @Test
    void wrongCookieLengthAndOverrunsAreRefusedWithTheirReason() {
        assertEquals("wrong magic cookie", reason(flip(SAMPLE_REQUEST, 4)));
        byte[] length = SAMPLE_REQUEST.clone();
        length[3] = 0x5c;
        assertTrue(reason(length).startsWith("message length 92 does not match"));
        byte[] overrun = SAMPLE_REQUEST.clone();
        overrun[23] = 0x40;
        assertTrue(reason(overrun).contains("runs past the message"), reason(overrun));
        assertEquals("the two leading bits are not zero", reason(flip(SAMPLE_REQUEST, 0, 0x40)));
        assertTrue(reason(new byte[19]).startsWith("shorter than a STUN header"));
    }

    private static byte[] flip(byte[] b, int at) {
        return flip(b, at, 1);
    }

    private static byte[] flip(byte[] b, int at, int mask) {
        byte[] c = b.clone();
        c[at] ^= (byte) mask;
        return c;
    }

    private static String reason(byte[] bytes) {
        return assertThrows(StunFormatException.class, () -> StunMessage.decode(ByteBuffer.wrap(bytes))).getMessage();
    }

    @Test
    void rfc5780AttributesRoundTrip() throws Exception {
        InetSocketAddress origin = new InetSocketAddress("203.0.113.5", 3478);
        InetSocketAddress other = new InetSocketAddress("fd00::7", 3479);
        StunMessage m = new StunMessage(StunMessage.METHOD_BINDING, StunMessage.MessageClass.SUCCESS_RESPONSE,
                TRANSACTION_ID, List.of(StunAttributes.address(StunAttributes.RESPONSE_ORIGIN, origin),
                        StunAttributes.address(StunAttributes.OTHER_ADDRESS, other),
                        StunAttributes.changeRequest(true, false)), true);
        StunMessage back = StunMessage.decode(ByteBuffer.wrap(m.encode()));
        assertEquals(m, back);
        assertEquals(origin, StunAttributes.decodeAddress(back.attribute(StunAttributes.RESPONSE_ORIGIN).get()));
        assertEquals(other, StunAttributes.decodeAddress(back.attribute(StunAttributes.OTHER_ADDRESS).get()));
        assertEquals(StunAttributes.CHANGE_IP,
                StunAttributes.decodeChangeRequest(back.attribute(StunAttributes.CHANGE_REQUEST).get()));
        assertArrayEquals(hex("00030004 00000006"), java.util.Arrays.copyOfRange(
                new StunMessage(1, StunMessage.MessageClass.REQUEST, TRANSACTION_ID,
                        List.of(StunAttributes.changeRequest(true, true)), false).encode(), 20, 28));
    }

    @Test
    void errorCodeAndUnknownAttributesRoundTrip() throws Exception {
        StunAttribute e = StunAttributes.errorCode(420, "Unknown Attribute");
        assertArrayEquals(hex("00000414"), java.util.Arrays.copyOf(e.value(), 4));
        assertEquals(new StunAttributes.ErrorCode(420, "Unknown Attribute"), StunAttributes.decodeErrorCode(e));
        assertEquals(List.of(0x0024, 0x0003), StunAttributes.decodeUnknownAttributes(
                StunAttributes.unknownAttributes(List.of(0x0024, 0x0003))));
        assertThrows(StunFormatException.class, () -> StunAttributes.decodeErrorCode(
                new StunAttribute(StunAttributes.ERROR_CODE, hex("00000264"))));
    }

    @Test
    void messageTypesInterleaveMethodAndClass() {
        assertEquals(0x0001, new StunMessage(1, StunMessage.MessageClass.REQUEST, TRANSACTION_ID, List.of(), false)
                .messageType());
        assertEquals(0x0101, new StunMessage(1, StunMessage.MessageClass.SUCCESS_RESPONSE, TRANSACTION_ID, List.of(),
                false).messageType());
        assertEquals(0x0111, new StunMessage(1, StunMessage.MessageClass.ERROR_RESPONSE, TRANSACTION_ID, List.of(),
                false).messageType());
        assertEquals(0x0016, new StunMessage(6, StunMessage.MessageClass.INDICATION, TRANSACTION_ID, List.of(),
                false).messageType());
    }
}
