package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import net.jqwik.api.constraints.Size;

class FrameCodecPropertiesTest {

    // ---------------------------------------------------------------- arbitraries

    static Arbitrary<Long> varints() {
        return VarIntTest.varints();
    }

    static Arbitrary<ByteBuffer> payloads(int maxSize) {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
        // Sometimes a view into the middle of a larger array, as a decoded frame's data is.
        return Combinators.combine(bytes, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .as((b, before, after) -> {
                    byte[] backing = new byte[before + b.length + after];
                    System.arraycopy(b, 0, backing, before, b.length);
                    return ByteBuffer.wrap(backing, before, b.length);
                });
    }

    static Arbitrary<Frame.Padding> paddings() {
        return Arbitraries.integers().between(1, 300).map(Frame.Padding::new);
    }

    static Arbitrary<Frame.Ping> pings() {
        return Arbitraries.just(new Frame.Ping());
    }

    /** Gaps and range lengths: mostly small, sometimes large enough to need 8-byte varints. */
    private static Arbitrary<Long> ackSpans() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 70)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 20_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 1L << 53)));
    }

    static Arbitrary<Frame.Ack> acks() {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 4)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, Frame.Ack.MAX_RANGES)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Frame.Ack.MAX_RANGES)));
        Arbitrary<Frame.Ack> built = count.flatMap(n -> Combinators.combine(
                ackSpans().list().ofSize(n), ackSpans().list().ofSize(n), ackSpans(), varints())
                .as((lengths, gaps, base, delay) -> {
                    // Built from the smallest range upwards, then reversed into descending order.
                    long[] ranges = new long[2 * n];
                    long smallest = base;
                    for (int k = 0; k < n; k++) {
                        long largest = smallest + lengths.get(k);
                        int i = 2 * (n - 1 - k);
                        ranges[i] = largest;
                        ranges[i + 1] = smallest;
                        smallest = largest + gaps.get(k) + 2;
                    }
                    return new Frame.Ack(delay, ranges);
                }));
        Arbitrary<Frame.Ack> atTheTop = Combinators.combine(ackSpans(), varints())
                .as((length, delay) -> new Frame.Ack(delay, new long[] {VarInt.MAX, VarInt.MAX - length}));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, built), net.jqwik.api.Tuple.of(1, atTheTop));
    }

    static Arbitrary<Frame.ResetStream> resetStreams() {
        return Combinators.combine(varints(), varints(), varints()).as(Frame.ResetStream::new);
    }

    static Arbitrary<Frame.StopSending> stopSendings() {
        return Combinators.combine(varints(), varints()).as(Frame.StopSending::new);
    }

    static Arbitrary<Frame.Stream> streams(boolean explicitLengthOnly) {
        Arbitrary<Long> offsets = Arbitraries.oneOf(Arbitraries.just(0L), varints().map(o -> Math.min(o, VarInt.MAX - 2000)));
        Arbitrary<Boolean> explicit = explicitLengthOnly ? Arbitraries.just(true) : Arbitraries.of(true, false);
        return Combinators.combine(varints(), offsets, Arbitraries.of(true, false), payloads(1500), explicit)
                .as(Frame.Stream::new);
    }

    static Arbitrary<Frame.MaxData> maxDatas() {
        return varints().map(Frame.MaxData::new);
    }

    static Arbitrary<Frame.MaxStreamData> maxStreamDatas() {
        return Combinators.combine(varints(), varints()).as(Frame.MaxStreamData::new);
    }

    static Arbitrary<Frame.MaxStreams> maxStreams() {
        return varints().map(Frame.MaxStreams::new);
    }

    static Arbitrary<Frame.DataBlocked> dataBlockeds() {
        return varints().map(Frame.DataBlocked::new);
    }

    static Arbitrary<Frame.StreamDataBlocked> streamDataBlockeds() {
        return Combinators.combine(varints(), varints()).as(Frame.StreamDataBlocked::new);
    }

    static Arbitrary<Frame.PathChallenge> pathChallenges() {
        return Arbitraries.longs().map(Frame.PathChallenge::new);
    }

    static Arbitrary<Frame.PathResponse> pathResponses() {
        return Arbitraries.longs().map(Frame.PathResponse::new);
    }

    /** Unicode scalar values (no lone surrogates) of every UTF-8 width: 1, 2, 3 and 4 bytes. */
    static Arbitrary<Integer> codePoints() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0x00, 0x7f),
                Arbitraries.integers().between(0x80, 0x7ff),
                Arbitraries.integers().between(0x800, 0xd7ff),
                Arbitraries.integers().between(0xe000, 0xffff),
                Arbitraries.integers().between(0x10000, 0x10ffff));
    }

    /** Strings from empty to well over 512 UTF-8 bytes. */
    static Arbitrary<String> reasons() {
        return codePoints().list().ofMaxSize(400).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    static Arbitrary<Frame.ConnectionClose> connectionCloses() {
        return Combinators.combine(varints(), reasons()).as(Frame.ConnectionClose::new);
    }

    static Arbitrary<Frame.Datagram> datagrams(boolean explicitLengthOnly) {
        Arbitrary<Boolean> explicit = explicitLengthOnly ? Arbitraries.just(true) : Arbitraries.of(true, false);
        return Combinators.combine(payloads(1500), explicit).as(Frame.Datagram::new);
    }

    /** Frames of every type; {@code selfDelimiting} leaves out those that run to the end of the packet. */
    static Arbitrary<Frame> frames(boolean selfDelimiting) {
        return Arbitraries.oneOf(List.of(
                paddings(), pings(), acks(), resetStreams(), stopSendings(), streams(selfDelimiting), maxDatas(),
                maxStreamDatas(), maxStreams(), dataBlockeds(), streamDataBlockeds(), pathChallenges(),
                pathResponses(), connectionCloses(), datagrams(selfDelimiting)));
    }

    @Provide
    Arbitrary<Frame> anyFrame() {
        return frames(false);
    }

    @Provide
    Arbitrary<Frame.Ack> anyAck() {
        return acks();
    }

    @Provide
    Arbitrary<String> anyReason() {
        return reasons();
    }

    /** A frame sequence as a packet carries it: only the last frame may run to the end. */
    @Provide
    Arbitrary<List<Frame>> frameSequences() {
        return Combinators.combine(frames(true).list().ofMaxSize(12), frames(false).optional())
                .as((init, last) -> {
                    List<Frame> all = new ArrayList<>(init);
                    last.ifPresent(all::add);
                    // Adjacent paddings are one run of zero bytes on the wire: merge them.
                    List<Frame> merged = new ArrayList<>();
                    for (Frame f : all) {
                        if (f instanceof Frame.Padding p && !merged.isEmpty()
                                && merged.get(merged.size() - 1) instanceof Frame.Padding q) {
                            merged.set(merged.size() - 1, new Frame.Padding(p.length() + q.length()));
                        } else {
                            merged.add(f);
                        }
                    }
                    return merged;
                });
    }

    /** Random bytes, with the first byte often a real frame type so decoding goes deeper. */
    @Provide
    Arbitrary<byte[]> arbitraryBytes() {
        Arbitrary<Byte> typeBytes = Arbitraries.oneOf(
                Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x02, (byte) 0x04, (byte) 0x05, (byte) 0x10,
                        (byte) 0x11, (byte) 0x12, (byte) 0x14, (byte) 0x15, (byte) 0x1a, (byte) 0x1b, (byte) 0x1c,
                        (byte) 0x30, (byte) 0x31),
                Arbitraries.bytes().between((byte) 0x08, (byte) 0x0f),
                Arbitraries.bytes());
        Arbitrary<byte[]> rest = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
                Combinators.combine(typeBytes, rest).as((t, r) -> {
                    byte[] b = new byte[r.length + 1];
                    b[0] = t;
                    System.arraycopy(r, 0, b, 1, r.length);
                    return b;
                }));
    }

    // ---------------------------------------------------------------- helpers

    static byte[] encode(Frame frame) {
        ByteBuffer out = ByteBuffer.allocate(frame.encodedLength() + 16);
        frame.encode(out);
        assertEquals(frame.encodedLength(), out.position(), () -> "encodedLength() of " + frame);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    static byte[] encodeAll(List<Frame> frames) {
        int total = frames.stream().mapToInt(Frame::encodedLength).sum();
        ByteBuffer out = ByteBuffer.allocate(total);
        frames.forEach(f -> f.encode(out));
        assertFalse(out.hasRemaining());
        return out.array();
    }

    /**
     * Decodes the whole buffer frame by frame. Each decode either advances past at least one byte
     * and returns a frame, or throws WireFormatException; anything else fails with the input.
     */
    static List<Frame> decodeAllOrFormatError(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        List<Frame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            int before = in.position();
            Frame frame;
            try {
                frame = FrameCodec.decode(in);
            } catch (WireFormatException e) {
                return frames;
            } catch (Throwable t) {
                throw new AssertionError("decoding 0x" + HexFormat.of().formatHex(input) + " at " + before
                        + " threw " + t, t);
            }
            if (frame == null || in.position() <= before || in.position() > input.length) {
                fail("decoding 0x" + HexFormat.of().formatHex(input) + " at " + before + " returned " + frame
                        + " and moved to " + in.position());
            }
            // A decoded frame re-encodes to the bytes it came from, up to non-minimal varints,
            // so its encoded length is never longer than what it consumed.
            assertTrue(frame.encodedLength() <= in.position() - before
                    || frame instanceof Frame.Stream, () -> "re-encoding of " + frame + " grew");
            frames.add(frame);
        }
        return frames;
    }

    // ---------------------------------------------------------------- round trips

    @Property
    void everyFrameEncodesToExactlyEncodedLengthBytesAndDecodesBackToAnEqualFrame(@ForAll("anyFrame") Frame frame)
            throws Exception {
        byte[] bytes = encode(frame);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Frame decoded = FrameCodec.decode(in);
        assertEquals(frame, decoded);
        assertFalse(in.hasRemaining(), () -> "decoding " + frame + " left bytes");
        assertEquals(frame.isAckEliciting(), decoded.isAckEliciting());
        assertEquals(frame.encodedLength(), decoded.encodedLength());
    }

    @Property
    void encodingWritesAtTheBufferPositionAndNoFurther(@ForAll("anyFrame") Frame frame) {
        ByteBuffer out = ByteBuffer.allocate(frame.encodedLength() + 10);
        out.position(3);
        frame.encode(out);
        assertEquals(3 + frame.encodedLength(), out.position());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, out.get(i));
        }
    }

    @Property
    void aSequenceOfFramesDecodesBackInOrder(@ForAll("frameSequences") List<Frame> frames) throws Exception {
        byte[] bytes = encodeAll(frames);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Frame> decoded = new ArrayList<>();
        while (in.hasRemaining()) {
            decoded.add(FrameCodec.decode(in));
        }
        assertEquals(frames, decoded);
    }

    @Property
    void ackRangesSurviveTheRoundTripInDescendingOrder(@ForAll("anyAck") Frame.Ack ack) throws Exception {
        Frame.Ack decoded = (Frame.Ack) FrameCodec.decode(ByteBuffer.wrap(encode(ack)));
        assertEquals(ack.rangeCount(), decoded.rangeCount());
        assertEquals(ack.largestAcknowledged(), decoded.largestAcknowledged());
        long[] r = decoded.ranges();
        for (int i = 0; i < r.length; i += 2) {
            assertTrue(r[i] >= r[i + 1] && r[i + 1] >= 0);
            if (i > 0) {
                assertTrue(r[i] <= r[i - 1] - 2);
            }
        }
    }

    @Property
    void connectionCloseReasonsAreCutToAtMost512BytesWithoutSplittingACharacter(
            @ForAll("anyReason") String reason) {
        String kept = new Frame.ConnectionClose(0, reason).reason();
        byte[] original = reason.getBytes(StandardCharsets.UTF_8);
        byte[] keptBytes = kept.getBytes(StandardCharsets.UTF_8);
        assertTrue(keptBytes.length <= Frame.MAX_REASON_BYTES);
        assertTrue(reason.startsWith(kept), "the kept reason is a prefix of the original");
        if (original.length <= Frame.MAX_REASON_BYTES) {
            assertEquals(reason, kept);
        } else {
            // As much as fits: the next whole character would not have.
            int next = reason.codePointAt(kept.length());
            assertTrue(keptBytes.length + new String(Character.toChars(next)).getBytes(StandardCharsets.UTF_8).length
                    > Frame.MAX_REASON_BYTES);
        }
    }

    @Example
    void aLongReasonOfFourByteCharactersIsCutAtACharacterBoundary() throws Exception {
        String reason = "a" + "\uD83D\uDE00".repeat(200); // 1 + 800 bytes
        Frame.ConnectionClose close = new Frame.ConnectionClose(7, reason);
        assertEquals("a" + "\uD83D\uDE00".repeat(127), close.reason()); // 509 bytes; 513 would not fit
        assertEquals(close, FrameCodec.decode(ByteBuffer.wrap(encode(close))));
    }

    /** Any Java string, lone surrogates included: not every one is well-formed Unicode. */
    @Provide
    Arbitrary<String> anyJavaString() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\uffff'),
                Arbitraries.chars().range('\ud800', '\udfff'),
                Arbitraries.chars().range('a', 'z'));
        return chars.list().ofMaxSize(600).map(cs -> {
            StringBuilder sb = new StringBuilder(cs.size());
            cs.forEach(sb::append);
            return sb.toString();
        });
    }

    @Property
    void aConnectionCloseWithAnyJavaStringAsReasonDecodesBackToAnEqualFrame(@ForAll("anyJavaString") String reason)
            throws Exception {
        Frame.ConnectionClose close = new Frame.ConnectionClose(1, reason);
        assertTrue(close.reason().getBytes(StandardCharsets.UTF_8).length <= Frame.MAX_REASON_BYTES);
        assertEquals(close, FrameCodec.decode(ByteBuffer.wrap(encode(close))));
    }

    @Example
    void aLoneSurrogateInAReasonBecomesAQuestionMarkAsOnTheWire() throws Exception {
        Frame.ConnectionClose close = new Frame.ConnectionClose(1, "bad \uD800 end");
        assertEquals("bad ? end", close.reason());
        assertEquals(close, FrameCodec.decode(ByteBuffer.wrap(encode(close))));
    }

    @Example
    void aNullReasonIsEmpty() {
        assertEquals("", new Frame.ConnectionClose(0, null).reason());
    }

    // ---------------------------------------------------------------- robustness

    /**
     * The receive path decodes STREAM and ACK frames into reused views; on any bytes (real frames,
     * mutated or truncated ones) a view must say what the record says, or fail alike.
     */
    @Property
    void streamAndAckViewsAgreeWithTheRecordsOnAnyInput(@ForAll("frameSequences") List<Frame> frames,
            @ForAll Random random) {
        byte[] bytes = encodeAll(frames);
        if (bytes.length > 0 && random.nextBoolean()) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            bytes = java.util.Arrays.copyOf(bytes, bytes.length - random.nextInt(Math.min(3, bytes.length)));
        }
        FrameCodec.StreamView stream = new FrameCodec.StreamView();
        FrameCodec.AckView ack = new FrameCodec.AckView();
        ByteBuffer byRecord = ByteBuffer.wrap(bytes);
        ByteBuffer byView = ByteBuffer.wrap(bytes);
        while (byRecord.hasRemaining()) {
            Frame record;
            try {
                record = FrameCodec.decode(byRecord);
            } catch (WireFormatException e) {
                if (FrameCodec.isStream(byView)) {
                    assertThrows(WireFormatException.class, () -> FrameCodec.decodeStream(byView, stream));
                } else if (FrameCodec.isAck(byView)) {
                    assertThrows(WireFormatException.class, () -> FrameCodec.decodeAck(byView, ack));
                }
                return;
            }
            try {
                if (record instanceof Frame.Stream s) {
                    assertTrue(FrameCodec.isStream(byView));
                    FrameCodec.decodeStream(byView, stream);
                    assertEquals(s.streamId(), stream.streamId);
                    assertEquals(s.offset(), stream.offset);
                    assertEquals(s.fin(), stream.fin);
                    assertEquals(s.data(), ByteBuffer.wrap(bytes, stream.dataPosition, stream.dataLength));
                } else if (record instanceof Frame.Ack a) {
                    assertTrue(FrameCodec.isAck(byView));
                    FrameCodec.decodeAck(byView, ack);
                    assertEquals(a, new Frame.Ack(ack.ackDelayMicros,
                            java.util.Arrays.copyOf(ack.ranges, 2 * ack.rangeCount)));
                } else {
                    assertFalse(FrameCodec.isStream(byView) || FrameCodec.isAck(byView));
                    FrameCodec.decode(byView);
                }
            } catch (WireFormatException e) {
                fail("the view failed where the record did not: " + e.getMessage());
            }
            assertEquals(byRecord.position(), byView.position());
        }
    }

    @Property
    void decodingArbitraryBytesNeverThrowsAnythingButWireFormatException(@ForAll("arbitraryBytes") byte[] input) {
        decodeAllOrFormatError(input);
    }

    @Property
    void decodingMutatedEncodingsNeverThrowsAnythingButWireFormatException(
            @ForAll("frameSequences") List<Frame> frames, @ForAll Random random) {
        byte[] bytes = encodeAll(frames);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            switch (random.nextInt(4)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                default -> {
                    // Set the two length bits of some byte, so a varint claims to be long.
                    bytes[random.nextInt(bytes.length)] |= (byte) 0xC0;
                }
            }
        }
        decodeAllOrFormatError(bytes);
    }

    @Property
    void everyTruncationOfAFrameIsAWireFormatExceptionOrAShorterFrame(@ForAll("anyFrame") Frame frame) {
        byte[] bytes = encode(frame);
        for (int keep = 0; keep < bytes.length; keep++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, keep);
            ByteBuffer in = ByteBuffer.wrap(cut);
            try {
                Frame decoded = FrameCodec.decode(in);
                // Only frames that run to the end of the packet, or padding, survive a cut.
                assertTrue(decoded instanceof Frame.Padding
                        || decoded instanceof Frame.Stream s && !s.explicitLength()
                        || decoded instanceof Frame.Datagram d && !d.explicitLength(),
                        () -> "a cut " + frame + " decoded as " + decoded);
            } catch (WireFormatException expected) {
                // fine
            } catch (Throwable t) {
                throw new AssertionError("decoding 0x" + HexFormat.of().formatHex(cut) + " threw " + t, t);
            }
        }
    }

    @Example
    void aRunOfZeroBytesDecodesAsOnePaddingFrame() throws Exception {
        ByteBuffer in = ByteBuffer.allocate(1200);
        assertEquals(new Frame.Padding(1200), FrameCodec.decode(in));
        assertFalse(in.hasRemaining());
    }

    @Example
    void paddingStopsAtTheFirstNonZeroByte() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {0, 0, 0, Frame.TYPE_PING, 0});
        assertEquals(new Frame.Padding(3), FrameCodec.decode(in));
        assertEquals(new Frame.Ping(), FrameCodec.decode(in));
        assertEquals(new Frame.Padding(1), FrameCodec.decode(in));
        assertFalse(in.hasRemaining());
    }

    @Example
    void anEmptyBufferIsAWireFormatException() {
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(ByteBuffer.allocate(0)));
    }

    @Example
    void unknownFrameTypesAreWireFormatExceptions() {
        for (int type = 0; type < 256; type++) {
            boolean known = type <= 0x02 || type == 0x04 || type == 0x05 || (type >= 0x08 && type <= 0x12)
                    || type == 0x14 || type == 0x15 || type == 0x1a || type == 0x1b || type == 0x1c
                    || type == 0x30 || type == 0x31;
            ByteBuffer in = ByteBuffer.allocate(64);
            in.put(0, (byte) type);
            if (!known) {
                assertThrows(WireFormatException.class, () -> FrameCodec.decode(in), "type 0x" + Integer.toHexString(type));
            } else {
                try {
                    FrameCodec.decode(in);
                } catch (WireFormatException e) {
                    fail("type 0x" + Integer.toHexString(type) + " followed by zeros should decode: " + e.getMessage());
                }
            }
        }
    }

    @Example
    void anAckWithMoreThanMaxRangesIsAWireFormatException() {
        ByteBuffer in = ByteBuffer.allocate(1 + 3 + 2 * 65 + 10);
        in.put((byte) Frame.TYPE_ACK);
        VarInt.write(in, 1000); // largest
        VarInt.write(in, 0); // delay
        VarInt.write(in, Frame.Ack.MAX_RANGES); // one too many extra ranges
        VarInt.write(in, 0);
        for (int i = 0; i < Frame.Ack.MAX_RANGES; i++) {
            VarInt.write(in, 0);
            VarInt.write(in, 0);
        }
        in.flip();
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(in));
    }

    @Example
    void anAckReachingBelowPacketNumberZeroIsAWireFormatException() {
        // first range larger than the largest acknowledged
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {2, 5, 0, 0, 6})));
        // gap jumps below zero
        assertThrows(WireFormatException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {2, 5, 0, 1, 0, 4, 0})));
        // second range longer than what is left
        assertThrows(WireFormatException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {2, 10, 0, 1, 0, 0, 9})));
    }

    @Example
    void aConnectionCloseWithAReasonOver512BytesOrInvalidUtf8IsAWireFormatException() {
        ByteBuffer tooLong = ByteBuffer.allocate(1 + 1 + 2 + 513);
        tooLong.put((byte) Frame.TYPE_CONNECTION_CLOSE).put((byte) 0);
        VarInt.write(tooLong, 513);
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(tooLong.flip()));
        assertThrows(WireFormatException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x1c, 0, 2, (byte) 0xc3, 0x28})));
        // a surrogate encoded in UTF-8 (CESU) is not valid UTF-8
        assertThrows(WireFormatException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x1c, 0, 3, (byte) 0xed, (byte) 0xa0, (byte) 0x80})));
    }

    @Example
    void streamDataBeyondTheLargestOffsetIsAWireFormatException() {
        ByteBuffer in = ByteBuffer.allocate(32);
        in.put((byte) 0x0e); // OFF | LEN
        VarInt.write(in, 0);
        VarInt.write(in, VarInt.MAX);
        VarInt.write(in, 1);
        in.put((byte) 42).flip();
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(in));
    }

    @Example
    void lengthsBeyondThePacketAreWireFormatExceptions() {
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x0a, 0, 2, 1})));
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x31, 2, 1})));
        assertThrows(WireFormatException.class, () -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x1a, 1, 2, 3})));
    }

    @Example
    void decodedDataIsAReadOnlyViewOfThePacket() throws Exception {
        byte[] packet = {0x0b, 4, 3, 'a', 'b', 'c', 0x01};
        ByteBuffer in = ByteBuffer.wrap(packet);
        Frame.Stream s = assertInstanceOf(Frame.Stream.class, FrameCodec.decode(in));
        assertTrue(s.data().isReadOnly());
        assertEquals(ByteBuffer.wrap(new byte[] {'a', 'b', 'c'}), s.data());
        assertTrue(s.fin());
        assertEquals(4, s.streamId());
        packet[3] = 'z';
        assertEquals('z', s.data().get(0), "not copied");
        assertEquals(new Frame.Ping(), FrameCodec.decode(in));
    }
}
