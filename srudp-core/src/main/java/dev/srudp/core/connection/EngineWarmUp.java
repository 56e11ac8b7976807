package dev.srudp.core.connection;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.net.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one whole connection between two in-memory endpoints, with throwaway identities and a
 * virtual clock, and no socket: a hole punch from both sides, the IK handshake, a stream carrying
 * 64 KiB each way, and the close. On a fresh JVM the first connection runs interpreted code and
 * loads hundreds of classes, which costs tens of milliseconds per step of the handshake; doing
 * that once in the background while an endpoint is still gathering its addresses makes the first
 * real connection as fast as later ones. The engines are the same {@link EndpointCore} a real
 * endpoint runs, fed with each other's datagrams.
 */
public final class EngineWarmUp {
    /** Virtual time never goes past this: a warm-up that has not finished by then gives up. */
    private static final long VIRTUAL_LIMIT_NANOS = Duration.ofSeconds(30).toNanos();
    private static final int DATA_BYTES = 64 * 1024;
    private static final long EPOCH_NANOS = 1_767_225_600L * 1_000_000_000L;

    private final Engine[] engines = new Engine[2];
    private final InetSocketAddress[] addresses = new InetSocketAddress[2];
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536);
    private long now;

    private EngineWarmUp() {
    }

    /**
     * Runs the warm-up connection.
     *
     * @throws IOException if the connection does not complete or the data does not arrive intact
     *     (a self-check failure)
     */
    public static void run(SecureRandom random) throws IOException {
        new EngineWarmUp().connectAndExchange(random);
    }

    private void connectAndExchange(SecureRandom random) throws IOException {
        EndpointConfig config = EndpointConfig.defaults();
        addresses[0] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 1);
        addresses[1] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 2);
        EndpointCore[] cores = new EndpointCore[2];
        for (int i = 0; i < 2; i++) {
            EndpointContext ctx = new EndpointContext(Identity.generate(random), DhKeyPair.generate(random), config,
                    random, () -> EPOCH_NANOS + now, Runnable::run);
            cores[i] = new EndpointCore(ctx, List.of(addresses[i]));
            engines[i] = cores[i];
        }
        // both sides punch, as two followers do: the controlling side starts the handshake, the
        // other adopts it
        CompletableFuture<Connection> reached = cores[0].punch(cores[1].certifiedKey(), List.of(addresses[1]),
                Duration.ofSeconds(10));
        CompletableFuture<Connection> accepted = cores[1].punch(cores[0].certifiedKey(), List.of(addresses[0]),
                Duration.ofSeconds(10));
        runUntil(() -> reached.isDone() && accepted.isDone(), "the warm-up connection did not complete");
        Connection initiator = reached.join();
        Connection responder = accepted.join();

        SrudpStream out = initiator.openStream();
        byte[] data = new byte[DATA_BYTES];
        random.nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer received = ByteBuffer.allocate(DATA_BYTES);
        CompletableFuture<SrudpStream> incoming = responder.acceptStreamAsync();
        SrudpStream[] in = new SrudpStream[1];
        runUntil(() -> {
            if (toSend.hasRemaining()) {
                out.tryWrite(toSend);
            }
            if (in[0] == null && incoming.isDone()) {
                in[0] = incoming.join();
            }
            if (in[0] != null) {
                in[0].tryRead(received);
            }
            return !received.hasRemaining();
        }, "the warm-up data did not arrive");
        if (!Arrays.equals(data, received.array())) {
            throw new IOException("the warm-up data arrived changed");
        }
        initiator.closeAsync();
        runUntil(() -> !responder.isOpen(), "the warm-up connection did not close");
    }

    private interface Step {
        boolean done() throws IOException;
    }

    /** Delivers every datagram at once and advances virtual time to the next timer when idle. */
    private void runUntil(Step step, String failure) throws IOException {
        while (!step.done()) {
            boolean moved = false;
            for (int i = 0; i < 2; i++) {
                for (;;) {
                    buffer.clear();
                    Engine.Transmit t = engines[i].pollTransmit(now, buffer);
                    if (t == null) {
                        break;
                    }
                    buffer.flip();
                    int to = t.remote().equals(addresses[0]) ? 0 : t.remote().equals(addresses[1]) ? 1 : -1;
                    if (to >= 0) {
                        engines[to].onDatagram(now, addresses[to], addresses[i], buffer);
                    }
                    moved = true;
                }
            }
            if (!moved) {
                long next = Math.min(engines[0].nextTimeoutNanos(), engines[1].nextTimeoutNanos());
                if (next == Engine.NO_TIMEOUT || next > VIRTUAL_LIMIT_NANOS) {
                    throw new IOException(failure);
                }
                now = Math.max(now, next);
                for (Engine e : engines) {
                    if (e.nextTimeoutNanos() <= now) {
                        e.onTimeout(now);
                    }
                }
            }
        }
    }
}
