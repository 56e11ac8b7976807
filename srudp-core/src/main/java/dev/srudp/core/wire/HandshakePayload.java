package dev.srudp.core.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The payload each side puts inside its encrypted Noise handshake messages: its key certificate,
 * a timestamp (IK first message) and its transport parameters.
 *
 * <pre>
 * Handshake Payload { Field (..) ... }
 * Field { ID (i), Length (i), Value (..) }
 *
 *  ID    name                         value
 *  0x01  certificate                  128 bytes: identity key, static key, signature
 *  0x02  timestamp                    12 bytes TAI64N, IK first message only
 *  0x10  max_idle_timeout_ms          varint
 *  0x11  initial_max_data             varint, connection flow-control limit
 *  0x12  initial_max_stream_data      varint, per-stream flow-control limit
 *  0x13  initial_max_streams          varint, streams the peer may open
 *  0x14  max_datagram_frame_size      varint, 0 = no DATAGRAM frames
 *  0x15  max_udp_payload              varint, at least 1200
 * </pre>
 *
 * Unknown IDs are skipped, so later versions can add fields; a repeated ID is an error.
 */
public record HandshakePayload(
        byte[] certificate,
        byte[] timestamp,
        long maxIdleTimeoutMs,
        long initialMaxData,
        long initialMaxStreamData,
        long initialMaxStreams,
        long maxDatagramFrameSize,
        long maxUdpPayload) {

    public static final int CERTIFICATE_LENGTH = 128;
    public static final int TIMESTAMP_LENGTH = 12;
    /** The largest payload accepted: far above any real one, far below a Noise message's limit. */
    public static final int MAX_LENGTH = 1024;

    private static final int ID_CERTIFICATE = 0x01;
    private static final int ID_TIMESTAMP = 0x02;
    private static final int ID_IDLE = 0x10;
    private static final int ID_MAX_DATA = 0x11;
    private static final int ID_MAX_STREAM_DATA = 0x12;
    private static final int ID_MAX_STREAMS = 0x13;
    private static final int ID_MAX_DATAGRAM = 0x14;
    private static final int ID_MAX_UDP = 0x15;

    public HandshakePayload {
        if (certificate != null && certificate.length != CERTIFICATE_LENGTH) {
            throw new IllegalArgumentException("certificate must be " + CERTIFICATE_LENGTH + " bytes");
        }
        if (timestamp != null && timestamp.length != TIMESTAMP_LENGTH) {
            throw new IllegalArgumentException("timestamp must be " + TIMESTAMP_LENGTH + " bytes");
        }
        for (long v : new long[] {maxIdleTimeoutMs, initialMaxData, initialMaxStreamData, initialMaxStreams,
                maxDatagramFrameSize, maxUdpPayload}) {
            if (v < 0 || v > VarInt.MAX) {
                throw new IllegalArgumentException("transport parameter out of range: " + v);
            }
        }
    }

    /** The same payload with a timestamp. */
    public HandshakePayload withTimestamp(byte[] tai64n) {
        return new HandshakePayload(certificate, tai64n, maxIdleTimeoutMs, initialMaxData, initialMaxStreamData,
                initialMaxStreams, maxDatagramFrameSize, maxUdpPayload);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(MAX_LENGTH);
        if (certificate != null) {
            bytes(out, ID_CERTIFICATE, certificate);
        }
        if (timestamp != null) {
            bytes(out, ID_TIMESTAMP, timestamp);
        }
        number(out, ID_IDLE, maxIdleTimeoutMs);
        number(out, ID_MAX_DATA, initialMaxData);
        number(out, ID_MAX_STREAM_DATA, initialMaxStreamData);
        number(out, ID_MAX_STREAMS, initialMaxStreams);
        number(out, ID_MAX_DATAGRAM, maxDatagramFrameSize);
        number(out, ID_MAX_UDP, maxUdpPayload);
        return Arrays.copyOf(out.array(), out.position());
    }

    public static HandshakePayload decode(byte[] bytes) throws WireFormatException {
        if (bytes.length > MAX_LENGTH) {
            throw new WireFormatException("handshake payload of " + bytes.length + " bytes; at most " + MAX_LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] certificate = null;
        byte[] timestamp = null;
        long[] numbers = new long[6];
        long seen = 0;
        while (in.hasRemaining()) {
            long id = VarInt.read(in);
            long length = VarInt.read(in);
            if (length > in.remaining()) {
                throw new WireFormatException("handshake field 0x" + Long.toHexString(id) + " is truncated");
            }
            if (id < 64) {
                if ((seen & (1L << id)) != 0) {
                    throw new WireFormatException("handshake field 0x" + Long.toHexString(id) + " repeated");
                }
                seen |= 1L << id;
            }
            ByteBuffer value = in.slice();
            value.limit((int) length);
            in.position(in.position() + (int) length);
            if (id == ID_CERTIFICATE) {
                certificate = fixed(value, CERTIFICATE_LENGTH, "certificate");
            } else if (id == ID_TIMESTAMP) {
                timestamp = fixed(value, TIMESTAMP_LENGTH, "timestamp");
            } else if (id >= ID_IDLE && id <= ID_MAX_UDP) {
                numbers[(int) id - ID_IDLE] = VarInt.read(value);
                if (value.hasRemaining()) {
                    throw new WireFormatException("handshake field 0x" + Long.toHexString(id) + " has trailing bytes");
                }
            }
        }
        for (int id = ID_IDLE; id <= ID_MAX_UDP; id++) {
            if ((seen & (1L << id)) == 0) {
                throw new WireFormatException("handshake field 0x" + Integer.toHexString(id) + " is missing");
            }
        }
        if (numbers[ID_MAX_UDP - ID_IDLE] < 1200) {
            throw new WireFormatException("max_udp_payload below 1200");
        }
        return new HandshakePayload(certificate, timestamp, numbers[0], numbers[1], numbers[2], numbers[3],
                numbers[4], numbers[5]);
    }

    private static byte[] fixed(ByteBuffer value, int length, String name) throws WireFormatException {
        if (value.remaining() != length) {
            throw new WireFormatException(name + " must be " + length + " bytes, got " + value.remaining());
        }
        byte[] b = new byte[length];
        value.get(b);
        return b;
    }

    private static void bytes(ByteBuffer out, int id, byte[] value) {
        VarInt.write(out, id);
        VarInt.write(out, value.length);
        out.put(value);
    }

    private static void number(ByteBuffer out, int id, long value) {
        VarInt.write(out, id);
        VarInt.write(out, VarInt.length(value));
        VarInt.write(out, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakePayload p && Arrays.equals(p.certificate, certificate)
                && Arrays.equals(p.timestamp, timestamp) && p.maxIdleTimeoutMs == maxIdleTimeoutMs
                && p.initialMaxData == initialMaxData && p.initialMaxStreamData == initialMaxStreamData
                && p.initialMaxStreams == initialMaxStreams && p.maxDatagramFrameSize == maxDatagramFrameSize
                && p.maxUdpPayload == maxUdpPayload;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(certificate) * 31 + Long.hashCode(initialMaxData);
    }

    @Override
    public String toString() {
        return "HandshakePayload[certificate=" + (certificate != null) + ", timestamp=" + (timestamp != null)
                + ", idle=" + maxIdleTimeoutMs + "ms, maxData=" + initialMaxData + ", maxStreamData="
                + initialMaxStreamData + ", maxStreams=" + initialMaxStreams + ", maxDatagram="
                + maxDatagramFrameSize + ", maxUdp=" + maxUdpPayload + "]";
    }
}
