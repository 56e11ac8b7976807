package dev.srudp.core.connection;

import dev.srudp.SrudpStream;
import dev.srudp.core.stream.StreamState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The application's view of a stream; safe from any thread. */
final class StreamHandle implements SrudpStream {
    private final StreamState state;
    private final ConnectionCore core;
    private final EndpointCore endpoint;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    StreamHandle(StreamState state, ConnectionCore core, EndpointCore endpoint) {
        this.state = state;
        this.core = core;
        this.endpoint = endpoint;
    }

    @Override
    public long id() {
        return state.id;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public CompletableFuture<Integer> readAsync(ByteBuffer dst) {
        return state.receive.readAsync(dst);
    }

    @Override
    public CompletableFuture<Void> writeAsync(ByteBuffer src) {
        try {
            state.send.tryWrite(src);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!src.hasRemaining()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] rest = new byte[src.remaining()];
        src.get(rest);
        return CompletableFuture.runAsync(() -> {
            try {
                state.send.write(rest, 0, rest.length);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, endpoint.context().callbacks);
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        return state.send.tryWrite(src);
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        return state.receive.tryRead(dst);
    }

    @Override
    public void shutdownOutput() {
        state.send.finish();
    }

    @Override
    public void reset(long errorCode) {
        endpoint.execute(core, now -> core.resetStream(state, errorCode));
    }

    @Override
    public void close() {
        state.send.finish();
        endpoint.execute(core, now -> {
            if (!state.receive.isComplete()) {
                core.stopReading(state);
            }
        });
    }

    StreamState state() {
        return state;
    }

    @Override
    public String toString() {
        return "Stream[" + state.id + " " + state.send + " " + state.receive + "]";
    }

    private final class In extends InputStream {
        private final byte[] one = new byte[1];

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return state.receive.read(b, off, len);
        }

        @Override
        public int available() {
            return state.receive.available();
        }

        @Override
        public void close() {
            endpoint.execute(core, now -> {
                if (!state.receive.isComplete()) {
                    core.stopReading(state);
                }
            });
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            state.send.write(b, off, len);
        }

        @Override
        public void close() {
            state.send.finish();
        }
    }
}
