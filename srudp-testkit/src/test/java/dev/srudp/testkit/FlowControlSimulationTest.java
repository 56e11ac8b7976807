package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FlowControlSimulationTest {
    private static final int WINDOW = 64 * 1024;
    private static final int SEND_BUFFER = 32 * 1024;

    private static Pair pair() {
        EndpointConfig config = EndpointConfig.builder().streamReceiveWindow(WINDOW).connectionReceiveWindow(4 * WINDOW)
                .streamSendBuffer(SEND_BUFFER).build();
        return new Pair(71, LinkConditions.builder().delay(Duration.ofMillis(10)).build(), config).connect();
    }

    @Test
    void aReaderThatStopsReadingThrottlesItsSenderWithBoundedBuffersOnBothSides() throws Exception {
        Pair p = pair();
        SrudpStream out = p.clientConnection.openStream();
        CompletableFuture<SrudpStream> in = p.serverConnection.acceptStreamAsync();
        ByteBuffer data = ByteBuffer.allocate(1 << 20);
        long written = 0;
        for (int i = 0; i < 200; i++) {
            written += out.tryWrite(data);
            p.net.runFor(Duration.ofMillis(20));
        }
        // the sender may have at most the peer's window in flight plus its own send buffer
        assertTrue(written <= WINDOW + SEND_BUFFER, "written " + written);
        assertTrue(written >= WINDOW, "the window was used: " + written);
        assertEquals(0, out.tryWrite(data), "the writer is blocked");
        ByteBuffer sink = ByteBuffer.allocate(1 << 20);
        assertEquals(WINDOW, in.join().tryRead(sink), "exactly one window is buffered at the reader");
        // reading opens the window again
        for (int i = 0; i < 100 && out.tryWrite(data) == 0; i++) {
            p.net.runFor(Duration.ofMillis(10));
        }
        assertTrue(data.position() > written, "the sender moves on once the reader reads");
    }

    @Test
    void aStalledStreamDoesNotHoldUpAnotherStream() throws Exception {
        Pair p = pair();
        SrudpStream stalled = p.clientConnection.openStream();
        ByteBuffer filler = ByteBuffer.allocate(1 << 20);
        stalled.tryWrite(filler);
        p.net.runFor(Duration.ofMillis(200));
        // the server accepts the stalled stream but never reads it; a second stream must flow
        CompletableFuture<SrudpStream> first = p.serverConnection.acceptStreamAsync();
        p.net.runUntilOrFail(first::isDone, Duration.ofSeconds(5), "first stream");
        Transfer t = p.transfer(1 << 20, Duration.ofMinutes(1));
        assertTrue(t.intact());
    }
}
