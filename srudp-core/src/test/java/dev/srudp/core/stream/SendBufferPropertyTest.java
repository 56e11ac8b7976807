package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random interleavings of writes, sends, acknowledgements and losses: whatever happens, the bytes
 * of the acknowledged chunks rebuild exactly what was written.
 */
class SendBufferPropertyTest {
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    enum Kind { WRITE, FINISH, SEND, ACK, LOSE, REQUEUE }

    record Op(Kind kind, int size, int pick) {
    }

    record Sent(long offset, byte[] bytes, boolean fin) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.WRITE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.FINISH)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.SEND)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ACK)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.LOSE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REQUEUE)));
        return Combinators.combine(kinds, Arbitraries.integers().between(1, 700), Arbitraries.integers().between(0, 1000))
                .as(Op::new).list().ofMaxSize(80);
    }

    @Property(tries = 300)
    void acknowledgedChunksRebuildExactlyWhatWasWritten(@ForAll("operations") List<Op> ops,
            @ForAll @IntRange(min = 1, max = 3000) int totalLength,
            @ForAll @IntRange(min = 1, max = 2500) int capacity, @ForAll long dataSeed) throws IOException {
        byte[] data = new byte[totalLength];
        new Random(dataSeed).nextBytes(data);
        SendBuffer send = new SendBuffer(capacity, () -> { });
        SendBuffer.Chunk chunk = new SendBuffer.Chunk();
        List<Sent> outstanding = new ArrayList<>();
        byte[] rebuilt = new byte[totalLength];
        BitSet ackedBytes = new BitSet();
        boolean[] finAcked = {false};
        int written = 0;
        boolean finished = false;

        for (Op op : ops) {
            switch (op.kind()) {
                case WRITE -> {
                    if (!finished) {
                        int n = Math.min(op.size(), totalLength - written);
                        written += send.tryWrite(ByteBuffer.wrap(data, written, n));
                    }
                }
                case FINISH -> {
                    if (written == totalLength) {
                        send.finish();
                        finished = true;
                    }
                }
                case SEND -> {
                    int maxLength = 1 + op.size() % 400;
                    long flowLimit = op.pick() % 3 == 0 ? op.pick() * 3L : UNLIMITED;
                    if (send.nextChunk(maxLength, flowLimit, UNLIMITED, chunk)) {
                        outstanding.add(take(send, chunk, maxLength, written, finished, data, ackedBytes, finAcked[0]));
                    }
                }
                case REQUEUE -> {
                    // declared lost for a probe, yet still in flight: it may be acknowledged later
                    if (!outstanding.isEmpty()) {
                        Sent s = outstanding.get(op.pick() % outstanding.size());
                        send.onLost(s.offset(), s.bytes().length, s.fin());
                    }
                }
                case ACK, LOSE -> {
                    if (!outstanding.isEmpty()) {
                        Sent s = outstanding.remove(op.pick() % outstanding.size());
                        if (op.kind() == Kind.ACK) {
                            acknowledge(send, s, rebuilt, ackedBytes, finAcked);
                        } else {
                            send.onLost(s.offset(), s.bytes().length, s.fin());
                        }
                    }
                }
            }
            boolean everything = finished && finAcked[0] && ackedBytes.nextClearBit(0) >= written;
            assertEquals(everything, send.isFullyAcknowledged(), () -> "after " + op + ": " + send);
        }

        // drain: write the rest, finish, and let every packet through
        for (int round = 0; !send.isFullyAcknowledged(); round++) {
            assertTrue(round < 10_000, () -> "no progress: " + send);
            if (written < totalLength) {
                written += send.tryWrite(ByteBuffer.wrap(data, written, totalLength - written));
            }
            if (written == totalLength && !finished) {
                send.finish();
                finished = true;
            }
            while (send.nextChunk(300, UNLIMITED, UNLIMITED, chunk)) {
                outstanding.add(take(send, chunk, 300, written, finished, data, ackedBytes, finAcked[0]));
            }
            for (Sent s : outstanding) {
                acknowledge(send, s, rebuilt, ackedBytes, finAcked);
            }
            outstanding.clear();
        }
        assertEquals(totalLength, send.writtenBytes());
        assertTrue(finAcked[0]);
        assertEquals(totalLength, ackedBytes.nextClearBit(0));
        assertArrayEquals(data, rebuilt);
    }

    private static Sent take(SendBuffer send, SendBuffer.Chunk chunk, int maxLength, int written, boolean finished,
            byte[] data, BitSet ackedBytes, boolean finAcked) {
        assertTrue(chunk.length >= 0 && chunk.length <= maxLength, "chunk fits the packet");
        assertTrue(chunk.offset >= 0 && chunk.offset + chunk.length <= written, "chunk is written data");
        if (chunk.fin) {
            assertTrue(finished && chunk.offset + chunk.length == written, "FIN only at the end of a finished stream");
        }
        assertTrue(chunk.length > 0 || chunk.fin, "a chunk carries data or a FIN");
        int firstAcked = ackedBytes.nextSetBit((int) chunk.offset);
        assertTrue(firstAcked < 0 || firstAcked >= chunk.offset + chunk.length,
                () -> "acknowledged byte " + firstAcked + " sent again in [" + chunk.offset + ", +" + chunk.length + ")");
        assertTrue(!chunk.fin || !finAcked, "an acknowledged FIN is not sent again");
        ByteBuffer out = ByteBuffer.allocate(chunk.length);
        send.copy(chunk.offset, chunk.length, out);
        byte[] bytes = out.array();
        for (int i = 0; i < bytes.length; i++) {
            assertEquals(data[(int) chunk.offset + i], bytes[i], "byte at " + (chunk.offset + i));
        }
        return new Sent(chunk.offset, bytes, chunk.fin);
    }

    private static void acknowledge(SendBuffer send, Sent s, byte[] rebuilt, BitSet ackedBytes, boolean[] finAcked) {
        System.arraycopy(s.bytes(), 0, rebuilt, (int) s.offset(), s.bytes().length);
        ackedBytes.set((int) s.offset(), (int) s.offset() + s.bytes().length);
        if (s.fin()) {
            finAcked[0] = true;
        }
        send.onAcked(s.offset(), s.bytes().length, s.fin());
    }
}
