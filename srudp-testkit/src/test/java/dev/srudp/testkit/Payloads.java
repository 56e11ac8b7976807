package dev.srudp.testkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Numbered test payloads and addresses. */
final class Payloads {

    private Payloads() {
    }

    /** A payload of {@code length} bytes (at least 4) that starts with {@code sequence}, big-endian. */
    static byte[] numbered(int sequence, int length) {
        byte[] bytes = new byte[length];
        ByteBuffer.wrap(bytes).putInt(sequence);
        Arrays.fill(bytes, 4, length, (byte) (sequence * 31));
        return bytes;
    }

    /** The sequence number a payload starts with, or -1 if it is too short. */
    static int sequence(byte[] payload) {
        return payload.length < 4 ? -1 : ByteBuffer.wrap(payload).getInt();
    }

    /** A cheap fingerprint of a datagram's bytes for traces; consumes the buffer's remaining bytes. */
    static Recorder.Arrival arrival(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        int length = datagram.remaining();
        int sequence = length < 4 ? -1 : datagram.getInt(datagram.position());
        CRC32 crc = new CRC32();
        crc.update(datagram);
        return new Recorder.Arrival(nowNanos, local, from, sequence, length, (int) crc.getValue());
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }
}
