package dev.srudp.core.connection;

import dev.srudp.core.wire.FrameCodec;
import java.nio.ByteBuffer;

/**
 * What decoding the frames of one received packet needs, kept by the endpoint and used by one
 * connection at a time on the endpoint's loop: a view of the receive buffer and the views STREAM
 * and ACK frames are decoded into. Nothing of it survives the packet, so the connections share it
 * rather than each holding its own.
 */
final class FrameScratch {
    final FrameCodec.StreamView stream = new FrameCodec.StreamView();
    final FrameCodec.AckView ack = new FrameCodec.AckView();
    private ByteBuffer frames;

    /** The bytes {@code [from, to)} of {@code buf} as a buffer; the same object while the array stays. */
    ByteBuffer frames(byte[] buf, int from, int to) {
        ByteBuffer b = frames;
        if (b == null || b.array() != buf) {
            b = ByteBuffer.wrap(buf);
            frames = b;
        }
        b.limit(to).position(from);
        return b;
    }
}
