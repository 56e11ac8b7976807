package dev.srudp.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReceiveBufferBoundsTest {

    @Test
    void scatteredTinyFramesBeyondTheRangeLimitAreRefusedWhileAdjacentOnesStillFit() {
        int window = 64 * 1024;
        ReceiveBuffer buffer = new ReceiveBuffer(window, () -> { }, Runnable::run);
        int limit = ReceiveBuffer.maxRanges(window);
        ByteBuffer one = ByteBuffer.wrap(new byte[] {42});
        for (int i = 0; i < limit; i++) {
            assertEquals(ReceiveBuffer.Result.OK, buffer.receive(2L * i + 1, one.duplicate(), false, window));
        }
        assertEquals(ReceiveBuffer.Result.TOO_FRAGMENTED,
                buffer.receive(2L * limit + 1, one.duplicate(), false, window), "one hole too many");
        assertEquals(ReceiveBuffer.Result.OK, buffer.receive(2, one.duplicate(), false, window),
                "filling a hole merges ranges and is always accepted");
        assertEquals(ReceiveBuffer.Result.OK, buffer.receive(2L * limit - 1, ByteBuffer.wrap(new byte[3]), false,
                window), "extending the last range adds no hole");
    }
}
