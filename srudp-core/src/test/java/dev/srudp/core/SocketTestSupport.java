package dev.srudp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared helpers for the tests that run endpoints on real loopback UDP sockets. */
final class SocketTestSupport {
    static final InetAddress V4 = address("127.0.0.1");
    static final InetAddress V6 = address("::1");
    static final int CHUNK = 64 * 1024;

    private SocketTestSupport() {
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Skips the calling test unless a UDP socket can be bound on ::1. */
    static void assumeIpv6Loopback() {
        boolean ok;
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            ch.bind(new InetSocketAddress(V6, 0));
            ok = true;
        } catch (IOException | UnsupportedOperationException e) {
            ok = false;
        }
        assumeTrue(ok, "::1 cannot be bound on this machine");
    }

    /** A configuration bound to {@code address} with a system-chosen port. */
    static EndpointConfig.Builder config(InetAddress address) {
        return EndpointConfig.builder().bind(address, 0);
    }

    static Endpoint open(InetAddress address) throws IOException {
        return Srudp.open(config(address).build());
    }

    static InetSocketAddress addressOf(Endpoint e) {
        return e.localAddresses().get(0);
    }

    /** The endpoint's address, pinned to its certified key (Noise IK). */
    static PeerAddress ik(Endpoint e) {
        return PeerAddress.of(addressOf(e), e.certifiedKey());
    }

    /** The endpoint's address, pinned to its identity only (Noise XX). */
    static PeerAddress xx(Endpoint e) {
        return PeerAddress.of(addressOf(e), e.identity());
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code data} in chunks, then FIN. */
    static void writeAllAndFinish(SrudpStream s, byte[] data) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int off = 0; off < data.length; off += CHUNK) {
            out.write(data, off, Math.min(CHUNK, data.length - off));
        }
        s.shutdownOutput();
    }

    /** Reads to end of stream and returns the SHA-256 and the count. */
    static Digest readDigest(InputStream in) throws IOException {
        MessageDigest sha = digest();
        byte[] buf = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha.update(buf, 0, n);
            total += n;
        }
        return new Digest(sha.digest(), total);
    }

    record Digest(byte[] sha256, long length) {
        void assertMatches(byte[] expected) {
            org.junit.jupiter.api.Assertions.assertEquals(expected.length, length, "bytes received");
            assertArrayEquals(SocketTestSupport.sha256(expected), sha256, "SHA-256 of the bytes received");
        }
    }

    /** Echoes every byte of the stream back, then FIN at the peer's FIN. */
    static void echo(SrudpStream s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        s.shutdownOutput();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return get(f, 20);
    }

    static <T> T get(CompletableFuture<T> f, int seconds) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            System.err.println("no result within " + seconds + " s; threads:");
            dumpThreads();
            throw new AssertionError("no result within " + seconds + " s", e);
        }
    }

    /** Prints every thread's stack to standard error, to diagnose a hang. */
    static void dumpThreads() {
        for (var info : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            StringBuilder sb = new StringBuilder(info.toString());
            StackTraceElement[] stack = info.getStackTrace();
            for (int i = 8; i < stack.length; i++) {
                sb.append("\tat ").append(stack[i]).append('\n');
            }
            System.err.print(sb);
        }
    }

    /** Runs a task on a new thread and returns its outcome as a future. */
    static <T> CompletableFuture<T> async(ThrowingSupplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "socket-test-worker");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** Two endpoints and a connection between them; closes both endpoints. */
    static final class Pair implements AutoCloseable {
        final Endpoint server;
        final Endpoint client;
        final Connection clientSide;
        final Connection serverSide;

        private Pair(Endpoint server, Endpoint client, Connection clientSide, Connection serverSide) {
            this.server = server;
            this.client = client;
            this.clientSide = clientSide;
            this.serverSide = serverSide;
        }

        static Pair connect(EndpointConfig serverConfig, EndpointConfig clientConfig) throws Exception {
            Endpoint server = Srudp.open(serverConfig);
            Endpoint client = null;
            try {
                client = Srudp.open(clientConfig);
                CompletableFuture<Connection> accepted = server.acceptAsync();
                Connection c = client.connect(ik(server));
                Connection s = get(accepted);
                return new Pair(server, client, c, s);
            } catch (Exception | Error e) {
                if (client != null) {
                    client.close();
                }
                server.close();
                throw e;
            }
        }

        static Pair connect(InetAddress address) throws Exception {
            EndpointConfig config = config(address).build();
            return connect(config, config);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
