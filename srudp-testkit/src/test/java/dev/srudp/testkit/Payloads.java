package dev.srudp.testkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Numbered test payloads and addresses. */
final class Payloads {

    private Payloads() {
    }

    /** A payload of {@code length} bytes (at least 4) that starts with {@code sequence}, big-endian. */
    static byte[] numbered(int sequence, int length) {
        byte[] bytes = new byte[length];
        ByteBuffer.wrap(bytes).putInt(sequence);
        for (int i = 4; i < length; i++) {
            bytes[i] = (byte) (sequence * 31 + i);
        }
        return bytes;
    }

    /** The sequence number a payload starts with, or -1 if it is too short. */
    static int sequence(byte[] payload) {
        return payload.length < 4 ? -1 : ByteBuffer.wrap(payload).getInt();
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }
}
