package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed encodings, worked out by hand from the documented layouts, that pin the wire format: a
 * change to any of them is a protocol change, not a refactoring.
 */
class WireVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertVector(String hex, Frame frame) throws WireFormatException {
        ByteBuffer out = ByteBuffer.allocate(frame.encodedLength());
        frame.encode(out);
        assertEquals(hex, HEX.formatHex(out.array()), () -> "encoding of " + frame);
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex(hex));
        assertEquals(frame, FrameCodec.decode(in), () -> "decoding of " + hex);
        assertFalse(in.hasRemaining());
    }

    @Test
    void everyFrameTypeHasTheDocumentedEncoding() throws Exception {
        assertVector("000000", new Frame.Padding(3));
        assertVector("01", new Frame.Ping());
        // largest 100, delay 25, one extra range, first range 100..95, gap 95-90-2 = 3, range 90..88
        assertVector("0240641901050302", new Frame.Ack(25, new long[] {100, 95, 90, 88}));
        assertVector("0404410143e8", new Frame.ResetStream(4, 0x101, 1000));
        assertVector("050800", new Frame.StopSending(8, 0));
        assertVector("0a0403616263", new Frame.Stream(4, 0, false, ascii("abc")));
        assertVector("0b0403616263", new Frame.Stream(4, 0, true, ascii("abc")));
        assertVector("0d04800040006869", new Frame.Stream(4, 16384, true, ascii("hi"), false));
        assertVector("0e04410103616263", new Frame.Stream(4, 257, false, ascii("abc")));
        assertVector("1080100000", new Frame.MaxData(1 << 20));
        assertVector("11003f", new Frame.MaxStreamData(0, 63));
        assertVector("124040", new Frame.MaxStreams(64));
        assertVector("14c000000040000000", new Frame.DataBlocked(1L << 30));
        assertVector("15027fff", new Frame.StreamDataBlocked(2, 16383));
        assertVector("1a0102030405060708", new Frame.PathChallenge(0x0102030405060708L));
        assertVector("1bffffffffffffffff", new Frame.PathResponse(-1));
        assertVector("1c0a03627965", new Frame.ConnectionClose(10, "bye"));
        assertVector("1c0002c3a9", new Frame.ConnectionClose(0, "\u00e9"));
        assertVector("307879", new Frame.Datagram(ascii("xy"), false));
        assertVector("31027879", new Frame.Datagram(ascii("xy"), true));
    }

    @Test
    void aPacketPayloadOfSeveralFramesDecodesInOrder() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("01" + "0a0403616263" + "0240641901050302" + "0000" + "307879"));
        List<Frame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            frames.add(FrameCodec.decode(in));
        }
        assertEquals(List.of(new Frame.Ping(), new Frame.Stream(4, 0, false, ascii("abc")),
                new Frame.Ack(25, new long[] {100, 95, 90, 88}), new Frame.Padding(2),
                new Frame.Datagram(ascii("xy"), false)), frames);
    }

    @Test
    void aHandshakePayloadHasTheDocumentedEncoding() throws Exception {
        HandshakePayload payload = new HandshakePayload(null, null, 30_000, 1 << 20, 1 << 16, 100, 1200, 1452);
        String hex = "100480007530" + "110480100000" + "120480010000" + "13024064" + "140244b0" + "150245ac";
        assertEquals(hex, HEX.formatHex(payload.encode()));
        assertEquals(payload, HandshakePayload.decode(HEX.parseHex(hex)));
    }

    @Test
    void aHandshakePayloadWithCertificateAndTimestampHasTheDocumentedEncoding() throws Exception {
        byte[] certificate = new byte[128];
        byte[] timestamp = new byte[12];
        for (int i = 0; i < certificate.length; i++) {
            certificate[i] = (byte) i;
        }
        for (int i = 0; i < timestamp.length; i++) {
            timestamp[i] = (byte) (0xf0 + i);
        }
        HandshakePayload payload = new HandshakePayload(certificate, timestamp, 0, 0, 0, 0, 0, 1200);
        String hex = "01" + "4080" + HEX.formatHex(certificate) + "02" + "0c" + HEX.formatHex(timestamp)
                + "100100" + "110100" + "120100" + "130100" + "140100" + "150244b0";
        assertEquals(hex, HEX.formatHex(payload.encode()));
        assertEquals(payload, HandshakePayload.decode(HEX.parseHex(hex)));
    }
}
