package dev.srudp.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The frames carried inside a protected DATA packet. Each frame starts with a type byte
 * (docs/protocol.md, "Frames"); all integers are {@link VarInt}s unless stated otherwise. Each
 * record writes itself with {@link #encode}; {@link FrameCodec#decode} reads any of them.
 */
public sealed interface Frame {

    int TYPE_PADDING = 0x00;
    int TYPE_PING = 0x01;
    int TYPE_ACK = 0x02;
    int TYPE_RESET_STREAM = 0x04;
    int TYPE_STOP_SENDING = 0x05;
    /** STREAM types are 0x08-0x0f: the low three bits are OFF (0x04), LEN (0x02) and FIN (0x01). */
    int TYPE_STREAM = 0x08;
    int TYPE_MAX_DATA = 0x10;
    int TYPE_MAX_STREAM_DATA = 0x11;
    int TYPE_MAX_STREAMS = 0x12;
    int TYPE_DATA_BLOCKED = 0x14;
    int TYPE_STREAM_DATA_BLOCKED = 0x15;
    int TYPE_PATH_CHALLENGE = 0x1a;
    int TYPE_PATH_RESPONSE = 0x1b;
    int TYPE_CONNECTION_CLOSE = 0x1c;
    /** DATAGRAM without a length field: the datagram runs to the end of the packet. */
    int TYPE_DATAGRAM = 0x30;
    /** DATAGRAM with a length field. */
    int TYPE_DATAGRAM_LEN = 0x31;

    /** The longest reason phrase a CONNECTION_CLOSE carries, in UTF-8 bytes. */
    int MAX_REASON_BYTES = 512;

    /** The encoded size in bytes. */
    int encodedLength();

    /** Writes the frame at the buffer's position. */
    void encode(ByteBuffer out);

    /** Whether receiving this frame obliges the receiver to send an acknowledgement. */
    default boolean isAckEliciting() {
        return true;
    }

    /** A run of {@code length} zero bytes, used to pad a packet. */
    record Padding(int length) implements Frame {
        public Padding {
            if (length < 1) {
                throw new IllegalArgumentException("padding length must be positive");
            }
        }

        @Override
        public int encodedLength() {
            return length;
        }

        @Override
        public void encode(ByteBuffer out) {
            for (int i = 0; i < length; i++) {
                out.put((byte) 0);
            }
        }

        @Override
        public boolean isAckEliciting() {
            return false;
        }
    }

    /** Asks for an acknowledgement; keeps a path and its NAT mappings alive. */
    record Ping() implements Frame {
        @Override
        public int encodedLength() {
            return 1;
        }

        @Override
        public void encode(ByteBuffer out) {
            out.put((byte) TYPE_PING);
        }
    }

    /**
     * Acknowledges packet numbers, as ranges from the largest down.
     *
     * <pre>
     * ACK {
     *   Type (8) = 0x02,
     *   Largest Acknowledged (i),
     *   ACK Delay (i),            microseconds the receiver held the ACK
     *   ACK Range Count (i),      number of Gap/Range pairs after the first range
     *   First ACK Range (i),      packets below Largest Acknowledged also acknowledged
     *   ACK Range (..) { Gap (i), ACK Range Length (i) } ...
     * }
     * </pre>
     *
     * <p>The ranges follow RFC 9000, section 19.3.1: "Each Gap indicates a range of packets that are
     * not being acknowledged ... the value of the Gap field establishes the largest packet number
     * value for the subsequent ACK Range using the following formula: largest = previous_smallest -
     * gap - 2".
     *
     * @param ranges pairs (largest, smallest) in descending order, non-overlapping, separated by
     *               at least one unacknowledged number
     */
    record Ack(long ackDelayMicros, long[] ranges) implements Frame {
        /** The most ranges one ACK frame carries; older ranges are left out. */
        public static final int MAX_RANGES = 64;

        public Ack {
            if (ranges.length < 2 || ranges.length % 2 != 0 || ranges.length / 2 > MAX_RANGES) {
                throw new IllegalArgumentException("an ACK needs 1 to " + MAX_RANGES + " ranges");
            }
            long previousSmallest = Long.MAX_VALUE;
            for (int i = 0; i < ranges.length; i += 2) {
                long largest = ranges[i];
                long smallest = ranges[i + 1];
                if (smallest < 0 || largest < smallest || largest > VarInt.MAX
                        || (i > 0 && largest >= previousSmallest - 1)) {
                    throw new IllegalArgumentException("ACK ranges must descend with gaps: " + Arrays.toString(ranges));
                }
                previousSmallest = smallest;
            }
            if (ackDelayMicros < 0 || ackDelayMicros > VarInt.MAX) {
                throw new IllegalArgumentException("ack delay out of range");
            }
        }

        public long largestAcknowledged() {
            return ranges[0];
        }

        public int rangeCount() {
            return ranges.length / 2;
        }

        @Override
        public int encodedLength() {
            int n = 1 + VarInt.length(ranges[0]) + VarInt.length(ackDelayMicros)
                    + VarInt.length(rangeCount() - 1) + VarInt.length(ranges[0] - ranges[1]);
            for (int i = 2; i < ranges.length; i += 2) {
                n += VarInt.length(ranges[i - 1] - ranges[i] - 2) + VarInt.length(ranges[i] - ranges[i + 1]);
            }
            return n;
        }

        @Override
        public void encode(ByteBuffer out) {
            encode(out, ackDelayMicros, ranges, rangeCount());
        }

        /**
         * Writes an ACK frame from the first {@code rangeCount} pairs of {@code ranges} (as the
         * record's), without making a record: for a sender that reuses one array.
         */
        public static void encode(ByteBuffer out, long ackDelayMicros, long[] ranges, int rangeCount) {
            out.put((byte) TYPE_ACK);
            VarInt.write(out, ranges[0]);
            VarInt.write(out, ackDelayMicros);
            VarInt.write(out, rangeCount - 1);
            VarInt.write(out, ranges[0] - ranges[1]);
            for (int i = 2; i < rangeCount * 2; i += 2) {
                VarInt.write(out, ranges[i - 1] - ranges[i] - 2);
                VarInt.write(out, ranges[i] - ranges[i + 1]);
            }
        }

        @Override
        public boolean isAckEliciting() {
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ack a && a.ackDelayMicros == ackDelayMicros && Arrays.equals(a.ranges, ranges);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(ackDelayMicros) * 31 + Arrays.hashCode(ranges);
        }

        @Override
        public String toString() {
            return "Ack[delay=" + ackDelayMicros + "us, ranges=" + Arrays.toString(ranges) + "]";
        }
    }

    /** Abandons sending on a stream; {@code finalSize} is how many bytes were ever sent on it. */
    record ResetStream(long streamId, long errorCode, long finalSize) implements Frame {
        public ResetStream {
            checkVarInt(streamId, errorCode, finalSize);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(streamId, errorCode, finalSize);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_RESET_STREAM, streamId, errorCode, finalSize);
        }
    }

    /** Asks the peer to stop sending on a stream (the reader gave up). */
    record StopSending(long streamId, long errorCode) implements Frame {
        public StopSending {
            checkVarInt(streamId, errorCode);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(streamId, errorCode);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_STOP_SENDING, streamId, errorCode);
        }
    }

    /**
     * Stream data at an offset, optionally the last of the stream.
     *
     * <pre>
     * STREAM {
     *   Type (8) = 0x08..0x0f,    bits: OFF 0x04, LEN 0x02, FIN 0x01
     *   Stream ID (i),
     *   [Offset (i)],             present when OFF is set; otherwise 0
     *   [Length (i)],             present when LEN is set; otherwise to the end of the packet
     *   Stream Data (..),
     * }
     * </pre>
     *
     * <p>{@code data} is a view whose remaining bytes are the data; it is not copied.
     */
    record Stream(long streamId, long offset, boolean fin, ByteBuffer data, boolean explicitLength) implements Frame {
        public Stream {
            checkVarInt(streamId, offset);
            if (offset + data.remaining() > VarInt.MAX) {
                throw new IllegalArgumentException("stream data beyond the largest offset");
            }
        }

        /** A STREAM frame with an explicit length, so other frames may follow it. */
        public Stream(long streamId, long offset, boolean fin, ByteBuffer data) {
            this(streamId, offset, fin, data, true);
        }

        /** The number of header bytes before the data for a frame with these fields. */
        public static int headerLength(long streamId, long offset, int length, boolean explicitLength) {
            return 1 + VarInt.length(streamId) + (offset == 0 ? 0 : VarInt.length(offset))
                    + (explicitLength ? VarInt.length(length) : 0);
        }

        public int length() {
            return data.remaining();
        }

        @Override
        public int encodedLength() {
            return headerLength(streamId, offset, data.remaining(), explicitLength) + data.remaining();
        }

        @Override
        public void encode(ByteBuffer out) {
            int type = TYPE_STREAM | (offset != 0 ? 0x04 : 0) | (explicitLength ? 0x02 : 0) | (fin ? 0x01 : 0);
            out.put((byte) type);
            VarInt.write(out, streamId);
            if (offset != 0) {
                VarInt.write(out, offset);
            }
            if (explicitLength) {
                VarInt.write(out, data.remaining());
            }
            out.put(data.duplicate());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stream s && s.streamId == streamId && s.offset == offset && s.fin == fin
                    && s.explicitLength == explicitLength && s.data.equals(data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(streamId) * 31 + Long.hashCode(offset) * 7 + data.hashCode() + (fin ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Stream[id=" + streamId + ", offset=" + offset + ", length=" + data.remaining() + ", fin=" + fin + "]";
        }
    }

    /** The most bytes the peer may send on all streams together (an absolute offset). */
    record MaxData(long maximum) implements Frame {
        public MaxData {
            checkVarInt(maximum);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(maximum);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_MAX_DATA, maximum);
        }
    }

    /** The largest offset the peer may send on one stream. */
    record MaxStreamData(long streamId, long maximum) implements Frame {
        public MaxStreamData {
            checkVarInt(streamId, maximum);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(streamId, maximum);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_MAX_STREAM_DATA, streamId, maximum);
        }
    }

    /** The cumulative number of streams the peer may open. */
    record MaxStreams(long maximum) implements Frame {
        public MaxStreams {
            checkVarInt(maximum);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(maximum);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_MAX_STREAMS, maximum);
        }
    }

    /** The sender has data to send but the connection-level limit blocks it. */
    record DataBlocked(long limit) implements Frame {
        public DataBlocked {
            checkVarInt(limit);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(limit);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_DATA_BLOCKED, limit);
        }
    }

    /** The sender has data to send on a stream but the stream's limit blocks it. */
    record StreamDataBlocked(long streamId, long limit) implements Frame {
        public StreamDataBlocked {
            checkVarInt(streamId, limit);
        }

        @Override
        public int encodedLength() {
            return 1 + varIntsLength(streamId, limit);
        }

        @Override
        public void encode(ByteBuffer out) {
            writeVarInts(out, TYPE_STREAM_DATA_BLOCKED, streamId, limit);
        }
    }

    /** Eight unpredictable bytes the peer must echo in a PATH_RESPONSE on the same path. */
    record PathChallenge(long data) implements Frame {
        @Override
        public int encodedLength() {
            return 9;
        }

        @Override
        public void encode(ByteBuffer out) {
            out.put((byte) TYPE_PATH_CHALLENGE);
            out.putLong(data);
        }
    }

    /** Echoes a PATH_CHALLENGE's bytes. */
    record PathResponse(long data) implements Frame {
        @Override
        public int encodedLength() {
            return 9;
        }

        @Override
        public void encode(ByteBuffer out) {
            out.put((byte) TYPE_PATH_RESPONSE);
            out.putLong(data);
        }
    }

    /**
     * Ends the connection.
     *
     * <pre>
     * CONNECTION_CLOSE {
     *   Type (8) = 0x1c,
     *   Error Code (i),
     *   Reason Phrase Length (i),   at most 512
     *   Reason Phrase (..),         UTF-8
     * }
     * </pre>
     */
    record ConnectionClose(long errorCode, String reason) implements Frame {
        public ConnectionClose {
            checkVarInt(errorCode);
            reason = truncateUtf8(reason == null ? "" : reason, MAX_REASON_BYTES);
        }

        @Override
        public int encodedLength() {
            int n = reason.getBytes(StandardCharsets.UTF_8).length;
            return 1 + VarInt.length(errorCode) + VarInt.length(n) + n;
        }

        @Override
        public void encode(ByteBuffer out) {
            byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
            out.put((byte) TYPE_CONNECTION_CLOSE);
            VarInt.write(out, errorCode);
            VarInt.write(out, bytes.length);
            out.put(bytes);
        }

        @Override
        public boolean isAckEliciting() {
            return false;
        }
    }

    /** An unreliable application datagram. */
    record Datagram(ByteBuffer data, boolean explicitLength) implements Frame {
        @Override
        public int encodedLength() {
            return 1 + (explicitLength ? VarInt.length(data.remaining()) : 0) + data.remaining();
        }

        @Override
        public void encode(ByteBuffer out) {
            out.put((byte) (explicitLength ? TYPE_DATAGRAM_LEN : TYPE_DATAGRAM));
            if (explicitLength) {
                VarInt.write(out, data.remaining());
            }
            out.put(data.duplicate());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Datagram d && d.explicitLength == explicitLength && d.data.equals(data);
        }

        @Override
        public int hashCode() {
            return data.hashCode() + (explicitLength ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Datagram[length=" + data.remaining() + "]";
        }
    }

    /** The encoded length of a frame's variable-length integer fields. */
    private static int varIntsLength(long... values) {
        int n = 0;
        for (long v : values) {
            n += VarInt.length(v);
        }
        return n;
    }

    /** Writes a frame that is a type byte followed by variable-length integers. */
    private static void writeVarInts(ByteBuffer out, int type, long... values) {
        out.put((byte) type);
        for (long v : values) {
            VarInt.write(out, v);
        }
    }

    private static void checkVarInt(long... values) {
        for (long v : values) {
            if (v < 0 || v > VarInt.MAX) {
                throw new IllegalArgumentException("value out of the variable-length integer range: " + v);
            }
        }
    }

    /**
     * Cuts {@code s} to at most {@code maxBytes} of UTF-8 without splitting a character. The result
     * is what goes on the wire: a lone surrogate, which UTF-8 cannot carry, becomes '?' as
     * {@link String#getBytes} writes it, so a decoded frame equals the one that was sent.
     */
    static String truncateUtf8(String s, int maxBytes) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int end = bytes.length;
        if (end > maxBytes) {
            end = maxBytes;
            while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
