package dev.srudp.bench;

import dev.srudp.core.wire.Frame;
import dev.srudp.core.wire.FrameCodec;
import dev.srudp.core.wire.VarInt;
import dev.srudp.core.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding the frames of a full-sized packet of stream data, and encoding an ACK frame. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
    private final ByteBuffer streamPayload = ByteBuffer.allocate(1419);
    private final ByteBuffer ackOut = ByteBuffer.allocate(256);
    private Frame.Ack ack;
    private final FrameCodec.StreamView view = new FrameCodec.StreamView();

    @Setup
    public void setUp() {
        streamPayload.put((byte) (Frame.TYPE_STREAM | 0x04 | 0x02));
        VarInt.write(streamPayload, 0);
        VarInt.write(streamPayload, 123_456_789L);
        int length = streamPayload.remaining() - 2;
        VarInt.write(streamPayload, length);
        streamPayload.position(streamPayload.limit());
        streamPayload.flip();
        ack = new Frame.Ack(12, new long[] {100_000, 99_000, 98_990, 98_000});
    }

    /** One STREAM frame carrying the rest of the packet, as every bulk packet holds. */
    @Benchmark
    public Object decodeStreamFrame() throws WireFormatException {
        ByteBuffer in = streamPayload.duplicate();
        return FrameCodec.decode(in);
    }

    /** The same frame decoded as the receive path does it: into a reused view, the data left in place. */
    @Benchmark
    public long decodeStreamFrameIntoView() throws WireFormatException {
        ByteBuffer in = streamPayload;
        in.position(0);
        FrameCodec.decodeStream(in, view);
        return view.offset + view.dataLength;
    }

    /** An ACK frame with two ranges. */
    @Benchmark
    public int encodeAck() {
        ackOut.clear();
        ack.encode(ackOut);
        return ackOut.position();
    }
}
