package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Two simulated endpoints, a client and a server, and helpers to connect them and move data. */
final class Pair {
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.1", 40000);
    static final InetSocketAddress SERVER = new InetSocketAddress("203.0.113.1", 50000);

    final SimNetwork net;
    final SimEndpoint client;
    final SimEndpoint server;
    Connection clientConnection;
    Connection serverConnection;

    Pair(long seed, LinkConditions conditions) {
        this(seed, conditions, EndpointConfig.defaults());
    }

    Pair(long seed, LinkConditions conditions, EndpointConfig config) {
        net = new SimNetwork(seed, conditions);
        client = SimEndpoint.create(net, CLIENT, config, seed * 31 + 1);
        server = SimEndpoint.create(net, SERVER, config, seed * 31 + 2);
    }

    /** Connects with Noise IK and waits (in virtual time) for both sides. */
    Pair connect() {
        CompletableFuture<Connection> accepted = server.accept();
        CompletableFuture<Connection> connected = client.connect(server.addressWithKey());
        net.runUntilOrFail(() -> connected.isDone() && accepted.isDone(), Duration.ofSeconds(30),
                "handshake");
        clientConnection = connected.join();
        serverConnection = accepted.join();
        return this;
    }

    /** Sends {@code bytes} from client to server on a new stream; returns the transfer when done. */
    Transfer transfer(long bytes, Duration maxVirtualTime) throws IOException {
        SrudpStream out = clientConnection.openStream();
        // the server learns of the stream with its first data
        Transfer[] transfer = new Transfer[1];
        CompletableFuture<dev.srudp.SrudpStream> incoming = serverConnection.acceptStreamAsync();
        out.tryWrite(java.nio.ByteBuffer.allocate(0));
        long deadline = net.nowNanos() + maxVirtualTime.toNanos();
        Transfer.Pending pending = new Transfer.Pending(out, incoming, bytes, net.seed());
        while (net.nowNanos() < deadline) {
            if (pending.pump()) {
                return pending.transfer();
            }
            net.runFor(Duration.ofMillis(1));
        }
        assertTrue(false, "transfer of " + bytes + " bytes not done after " + maxVirtualTime + " of virtual time; "
                + pending.progress() + "; " + net.describe());
        return transfer[0];
    }
}
