package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srudp.core.stream.ReceiveBuffer.Result;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReceiveBufferPropertyTest {

    record Frame(int offset, int end, boolean fin) {
    }

    @Property(tries = 300)
    void randomlyChunkedPermutedAndDuplicatedFramesReassembleExactly(
            @ForAll @IntRange(min = 0, max = 20_000) int length,
            @ForAll @IntRange(min = 1, max = 3000) int maxFrame,
            @ForAll @IntRange(min = 0, max = 100) int duplicatePercent,
            @ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        random.nextBytes(data);
        List<Frame> frames = new ArrayList<>();
        for (int offset = 0; offset < length || frames.isEmpty(); ) {
            int end = Math.min(length, offset + 1 + random.nextInt(maxFrame));
            frames.add(new Frame(offset, end, end == length));
            offset = end;
        }
        int original = frames.size();
        for (int i = 0; i < original; i++) {
            if (random.nextInt(100) < duplicatePercent) {
                Frame f = frames.get(random.nextInt(original));
                // a duplicate, or an overlapping piece of one
                int from = f.offset() + (f.end() > f.offset() ? random.nextInt(f.end() - f.offset()) : 0);
                int to = from + random.nextInt(Math.max(1, length - from + 1));
                to = Math.min(Math.max(to, from), length);
                frames.add(random.nextBoolean() ? f : new Frame(from, to, to == length && f.fin()));
            }
        }
        Collections.shuffle(frames, random);

        // a window large enough that the fragmentation bound (window / 512 pieces) admits every frame
        ReceiveBuffer rb = new ReceiveBuffer(Math.max(Math.max(1, length), 512 * frames.size()), () -> { },
                Runnable::run);
        for (Frame f : frames) {
            Result result = rb.receive(f.offset(), ByteBuffer.wrap(data, f.offset(), f.end() - f.offset()), f.fin(),
                    length);
            assertEquals(Result.OK, result, () -> f + " into " + rb);
        }
        ByteBuffer out = ByteBuffer.allocate(length + 1);
        int n;
        do {
            // read in random slices
            ByteBuffer slice = out.slice(out.position(), Math.min(out.remaining(), 1 + random.nextInt(4096)));
            n = rb.tryRead(slice);
            out.position(out.position() + Math.max(n, 0));
        } while (n > 0);
        assertEquals(-1, n, () -> "end of stream after everything: " + rb);
        assertArrayEquals(data, Arrays.copyOf(out.array(), out.position()));
    }

    @Property(tries = 100)
    void readingAsYouGoThroughASmallWindowDeliversEveryByte(
            @ForAll @IntRange(min = 1, max = 60_000) int length,
            @ForAll @IntRange(min = 1, max = 9000) int window,
            @ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        random.nextBytes(data);
        ReceiveBuffer rb = new ReceiveBuffer(window, () -> { }, Runnable::run);
        byte[] out = new byte[length];
        int read = 0;
        int received = 0;
        while (read < length) {
            long limit = rb.readOffset() + window;
            int end = (int) Math.min(Math.min(received + 1 + random.nextInt(2 * window), limit), length);
            if (end > received) {
                int mid = received + random.nextInt(end - received + 1);
                assertEquals(Result.OK, rb.receive(mid, ByteBuffer.wrap(data, mid, end - mid), end == length, limit));
                assertEquals(Result.OK, rb.receive(received, ByteBuffer.wrap(data, received, mid - received), false, limit));
                received = end;
            }
            int n = rb.tryRead(ByteBuffer.wrap(out, read, Math.min(length - read, 1 + random.nextInt(2 * window))));
            read += Math.max(n, 0);
        }
        assertArrayEquals(data, out);
        assertEquals(-1, rb.tryRead(ByteBuffer.allocate(1)));
    }
}
