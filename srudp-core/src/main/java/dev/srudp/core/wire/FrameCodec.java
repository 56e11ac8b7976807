package dev.srudp.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes the frames of a DATA packet's plaintext. */
public final class FrameCodec {
    private FrameCodec() {
    }

    /**
     * Reads one frame at the buffer's position and advances past it. STREAM and DATAGRAM frames
     * refer to the buffer's bytes without copying them.
     *
     * @throws WireFormatException for an unknown type, a truncated frame, or values out of range
     */
    public static Frame decode(ByteBuffer in) throws WireFormatException {
        if (!in.hasRemaining()) {
            throw new WireFormatException("no frame: the buffer is empty");
        }
        int type = in.get() & 0xff;
        switch (type) {
            case Frame.TYPE_PADDING: {
                int n = 1;
                while (in.hasRemaining() && in.get(in.position()) == 0) {
                    in.get();
                    n++;
                }
                return new Frame.Padding(n);
            }
            case Frame.TYPE_PING:
                return new Frame.Ping();
            case Frame.TYPE_ACK:
                return decodeAck(in);
            case Frame.TYPE_RESET_STREAM:
                return new Frame.ResetStream(VarInt.read(in), VarInt.read(in), VarInt.read(in));
            case Frame.TYPE_STOP_SENDING:
                return new Frame.StopSending(VarInt.read(in), VarInt.read(in));
            case Frame.TYPE_MAX_DATA:
                return new Frame.MaxData(VarInt.read(in));
            case Frame.TYPE_MAX_STREAM_DATA:
                return new Frame.MaxStreamData(VarInt.read(in), VarInt.read(in));
            case Frame.TYPE_MAX_STREAMS:
                return new Frame.MaxStreams(VarInt.read(in));
            case Frame.TYPE_DATA_BLOCKED:
                return new Frame.DataBlocked(VarInt.read(in));
            case Frame.TYPE_STREAM_DATA_BLOCKED:
                return new Frame.StreamDataBlocked(VarInt.read(in), VarInt.read(in));
            case Frame.TYPE_PATH_CHALLENGE:
                need(in, 8, "PATH_CHALLENGE");
                return new Frame.PathChallenge(in.getLong());
            case Frame.TYPE_PATH_RESPONSE:
                need(in, 8, "PATH_RESPONSE");
                return new Frame.PathResponse(in.getLong());
            case Frame.TYPE_CONNECTION_CLOSE:
                return decodeClose(in);
            case Frame.TYPE_DATAGRAM:
                return new Frame.Datagram(take(in, in.remaining()), false);
            case Frame.TYPE_DATAGRAM_LEN:
                return new Frame.Datagram(take(in, length(in, "DATAGRAM")), true);
            default:
                if ((type & 0xf8) == Frame.TYPE_STREAM) {
                    return decodeStream(in, type);
                }
                throw new WireFormatException("unknown frame type 0x" + Integer.toHexString(type));
        }
    }

    private static Frame decodeStream(ByteBuffer in, int type) throws WireFormatException {
        StreamView view = new StreamView();
        readStream(in, type, view);
        in.position(view.dataPosition);
        return new Frame.Stream(view.streamId, view.offset, view.fin, take(in, view.dataLength), (type & 0x02) != 0);
    }

    /**
     * A STREAM frame as its fields, for receivers that decode every packet into one reused view
     * instead of a new {@link Frame.Stream}. The data is {@code [dataPosition, dataPosition +
     * dataLength)} of the buffer it was decoded from.
     */
    public static final class StreamView {
        public long streamId;
        public long offset;
        public boolean fin;
        public int dataPosition;
        public int dataLength;
    }

    /** Whether the frame at the buffer's position (if any) is a STREAM frame. */
    public static boolean isStream(ByteBuffer in) {
        return in.hasRemaining() && (in.get(in.position()) & 0xf8) == Frame.TYPE_STREAM;
    }

    /**
     * Reads the STREAM frame at the buffer's position into {@code view} (same checks as
     * {@link #decode}) and advances past it.
     *
     * @throws WireFormatException for a truncated frame or values out of range
     * @throws IllegalArgumentException when the frame is not a STREAM frame (see {@link #isStream})
     */
    public static void decodeStream(ByteBuffer in, StreamView view) throws WireFormatException {
        if (!isStream(in)) {
            throw new IllegalArgumentException("not a STREAM frame");
        }
        readStream(in, in.get() & 0xff, view);
    }

    /** Reads a STREAM frame's fields after its type byte, leaving the buffer after its data. */
    private static void readStream(ByteBuffer in, int type, StreamView view) throws WireFormatException {
        long streamId = VarInt.read(in);
        long offset = (type & 0x04) != 0 ? VarInt.read(in) : 0;
        int length = (type & 0x02) != 0 ? length(in, "STREAM") : in.remaining();
        if (offset + length > VarInt.MAX) {
            throw new WireFormatException("STREAM data beyond the largest offset");
        }
        view.streamId = streamId;
        view.offset = offset;
        view.fin = (type & 0x01) != 0;
        view.dataPosition = in.position();
        view.dataLength = length;
        in.position(in.position() + length);
    }

    private static Frame decodeAck(ByteBuffer in) throws WireFormatException {
        AckView view = new AckView();
        readAck(in, view);
        return new Frame.Ack(view.ackDelayMicros, java.util.Arrays.copyOf(view.ranges, 2 * view.rangeCount));
    }

    /**
     * An ACK frame as its fields, for senders that decode every acknowledgement into one reused
     * view instead of a new {@link Frame.Ack}: {@code ranges[0, 2 * rangeCount)} are the pairs
     * (largest, smallest), newest first, as in the record.
     */
    public static final class AckView {
        public long ackDelayMicros;
        public final long[] ranges = new long[2 * Frame.Ack.MAX_RANGES];
        public int rangeCount;

        public long largestAcknowledged() {
            return ranges[0];
        }
    }

    /** Whether the frame at the buffer's position (if any) is an ACK frame. */
    public static boolean isAck(ByteBuffer in) {
        return in.hasRemaining() && (in.get(in.position()) & 0xff) == Frame.TYPE_ACK;
    }

    /**
     * Reads the ACK frame at the buffer's position into {@code view} (same checks as
     * {@link #decode}) and advances past it.
     *
     * @throws WireFormatException for a truncated frame, too many ranges or ranges below 0
     * @throws IllegalArgumentException when the frame is not an ACK frame (see {@link #isAck})
     */
    public static void decodeAck(ByteBuffer in, AckView view) throws WireFormatException {
        if (!isAck(in)) {
            throw new IllegalArgumentException("not an ACK frame");
        }
        in.get();
        readAck(in, view);
    }

    private static void readAck(ByteBuffer in, AckView view) throws WireFormatException {
        long largest = VarInt.read(in);
        long delay = VarInt.read(in);
        long extraRanges = VarInt.read(in);
        if (extraRanges >= Frame.Ack.MAX_RANGES) {
            throw new WireFormatException("ACK with " + (extraRanges + 1) + " ranges; at most "
                    + Frame.Ack.MAX_RANGES + " are allowed");
        }
        long[] ranges = view.ranges;
        int length = (int) (extraRanges + 1) * 2;
        long firstRange = VarInt.read(in);
        if (firstRange > largest) {
            throw new WireFormatException("ACK first range below packet number 0");
        }
        ranges[0] = largest;
        ranges[1] = largest - firstRange;
        for (int i = 2; i < length; i += 2) {
            long gap = VarInt.read(in);
            long range = VarInt.read(in);
            long next = ranges[i - 1] - gap - 2;
            if (next < 0 || range > next) {
                throw new WireFormatException("ACK range below packet number 0");
            }
            ranges[i] = next;
            ranges[i + 1] = next - range;
        }
        view.ackDelayMicros = delay;
        view.rangeCount = length / 2;
    }

    private static Frame decodeClose(ByteBuffer in) throws WireFormatException {
        long code = VarInt.read(in);
        int length = length(in, "CONNECTION_CLOSE");
        if (length > Frame.MAX_REASON_BYTES) {
            throw new WireFormatException("CONNECTION_CLOSE reason of " + length + " bytes; at most "
                    + Frame.MAX_REASON_BYTES + " are allowed");
        }
        ByteBuffer bytes = take(in, length);
        try {
            String reason = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
            return new Frame.ConnectionClose(code, reason);
        } catch (CharacterCodingException e) {
            throw new WireFormatException("CONNECTION_CLOSE reason is not valid UTF-8");
        }
    }

    private static int length(ByteBuffer in, String frame) throws WireFormatException {
        long length = VarInt.read(in);
        if (length > in.remaining()) {
            throw new WireFormatException(frame + " length " + length + " exceeds the " + in.remaining()
                    + " bytes left in the packet");
        }
        return (int) length;
    }

    private static void need(ByteBuffer in, int n, String frame) throws WireFormatException {
        if (in.remaining() < n) {
            throw new WireFormatException("truncated " + frame);
        }
    }

    private static ByteBuffer take(ByteBuffer in, int n) {
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        return slice.asReadOnlyBuffer();
    }
}
