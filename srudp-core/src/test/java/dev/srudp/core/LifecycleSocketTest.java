package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.addressOf;
import static dev.srudp.core.SocketTestSupport.async;
import static dev.srudp.core.SocketTestSupport.config;
import static dev.srudp.core.SocketTestSupport.echo;
import static dev.srudp.core.SocketTestSupport.get;
import static dev.srudp.core.SocketTestSupport.randomBytes;
import static dev.srudp.core.SocketTestSupport.readDigest;
import static dev.srudp.core.SocketTestSupport.writeAllAndFinish;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.ConnectionClosedException;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.ErrorCodes;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import dev.srudp.core.SocketTestSupport.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Datagrams, closing, aborting and timeouts of connections on loopback UDP sockets. */
class LifecycleSocketTest {

    @Test
    @Timeout(30)
    void unreliableDatagramsMostlyArriveInBothDirections() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            assertDatagramsFlow(p.clientSide, p.serverSide);
            assertDatagramsFlow(p.serverSide, p.clientSide);
        }
    }

    private static void assertDatagramsFlow(Connection from, Connection to) throws Exception {
        int count = 200;
        int size = Math.min(from.maxDatagramSize(), 1000);
        for (int i = 0; i < count; i++) {
            byte[] d = randomBytes(size, i);
            d[0] = (byte) (i >> 8);
            d[1] = (byte) i;
            from.sendDatagram(d);
        }
        BitSet seen = new BitSet(count);
        while (!seen.get(count - 1)) {
            byte[] d;
            try {
                d = to.receiveDatagramAsync().get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                break; // the last one was lost; count what came
            }
            int i = ((d[0] & 0xff) << 8) | (d[1] & 0xff);
            assertEquals(size, d.length);
            byte[] expected = randomBytes(size, i);
            expected[0] = d[0];
            expected[1] = d[1];
            assertArrayEquals(expected, d, "datagram " + i + " arrived intact");
            seen.set(i);
        }
        assertTrue(seen.cardinality() >= count / 2, "only " + seen.cardinality() + " of " + count + " arrived");
    }

    @Test
    @Timeout(30)
    void datagramsLargerThanTheMaximumAreRefused() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            int max = p.clientSide.maxDatagramSize();
            assertTrue(max > 0 && max < 1200, "maximum datagram size " + max);
            assertThrows(IllegalArgumentException.class, () -> p.clientSide.sendDatagram(new byte[max + 1]));
            assertThrows(IllegalArgumentException.class, () -> p.serverSide.sendDatagram(new byte[max + 1]));
            byte[] largest = randomBytes(max, 9);
            CompletableFuture<byte[]> received = p.serverSide.receiveDatagramAsync();
            p.clientSide.sendDatagram(largest);
            assertArrayEquals(largest, get(received, 10));
        }
    }

    @Test
    @Timeout(30)
    void gracefulCloseDeliversEverythingWrittenBeforeIt() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            byte[] data = randomBytes(768 * 1024, 11);
            SrudpStream s = p.clientSide.openStream();
            s.getOutputStream().write(data);
            // no FIN and nothing read yet: close must finish the stream and wait for the acknowledgement
            p.clientSide.close();
            assertFalse(p.clientSide.isOpen());
            assertTrue(p.clientSide.awaitClosed(Duration.ofSeconds(1)));

            SrudpStream peer = p.serverSide.acceptStream();
            InputStream in = peer.getInputStream();
            byte[] got = new byte[data.length];
            int off = 0;
            while (off < got.length) {
                int n = in.read(got, off, got.length - off);
                assertTrue(n > 0, "end of stream after " + off + " of " + data.length + " bytes");
                off += n;
            }
            assertArrayEquals(data, got);
            try {
                assertEquals(-1, in.read(), "end of stream after all data");
            } catch (ConnectionClosedException e) {
                assertTrue(e.closedByPeer());
            }
            assertTrue(p.serverSide.awaitClosed(Duration.ofSeconds(10)));
            ConnectionClosedException e = assertThrows(ConnectionClosedException.class, p.serverSide::acceptStream);
            assertTrue(e.closedByPeer(), "the server sees the close as the peer's");
            assertEquals(ErrorCodes.NO_ERROR, e.errorCode());
            ConnectionClosedException local = assertThrows(ConnectionClosedException.class, p.clientSide::openStream);
            assertFalse(local.closedByPeer(), "the client closed it itself");
        }
    }

    @Test
    @Timeout(30)
    void abortSurfacesOnThePeerWithItsCodeAndReason() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            SrudpStream s = p.clientSide.openStream();
            s.getOutputStream().write(1);
            SrudpStream peer = p.serverSide.acceptStream();
            InputStream in = peer.getInputStream();
            assertEquals(1, in.read());
            CompletableFuture<Integer> blockedRead = async(in::read);

            p.clientSide.abort(0x1234, "tired of talking");

            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> blockedRead.get(10, TimeUnit.SECONDS));
            ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, failure.getCause());
            assertEquals(0x1234, e.errorCode());
            assertTrue(e.closedByPeer());
            assertTrue(e.getMessage().contains("tired of talking"), e.getMessage());
            assertTrue(p.serverSide.awaitClosed(Duration.ofSeconds(10)));
            assertTrue(p.clientSide.awaitClosed(Duration.ofSeconds(10)));
            ConnectionClosedException local = assertThrows(ConnectionClosedException.class,
                    () -> p.clientSide.sendDatagram(new byte[1]));
            assertFalse(local.closedByPeer());
        }
    }

    @Test
    @Timeout(30)
    void abortWithAProtocolErrorCodeIsRefused() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            assertThrows(IllegalArgumentException.class,
                    () -> p.clientSide.abort(ErrorCodes.APPLICATION_BASE - 1, "not an application code"));
            assertThrows(IllegalArgumentException.class, () -> p.clientSide.abort(ErrorCodes.NO_ERROR, "no"));
            assertTrue(p.clientSide.isOpen(), "a refused abort leaves the connection open");
        }
    }

    @Test
    @Timeout(30)
    void closingAnEndpointClosesItsConnectionsAndThePeerSeesEndpointClosing() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            SrudpStream s = p.clientSide.openStream();
            s.getOutputStream().write(7);
            SrudpStream peer = p.serverSide.acceptStream();
            assertEquals(7, peer.getInputStream().read());
            CompletableFuture<Integer> blockedRead = async(s.getInputStream()::read);

            p.server.close();

            assertTrue(p.serverSide.awaitClosed(Duration.ofSeconds(5)));
            assertFalse(p.serverSide.isOpen());
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> blockedRead.get(10, TimeUnit.SECONDS));
            ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, failure.getCause());
            assertEquals(ErrorCodes.ENDPOINT_CLOSING, e.errorCode());
            assertTrue(e.closedByPeer());
            assertTrue(p.clientSide.awaitClosed(Duration.ofSeconds(5)));
            assertThrows(ConnectionClosedException.class, () -> get(p.server.acceptAsync(), 5));
        }
    }

    @Test
    @Timeout(30)
    void silentPeerIsDroppedByTheIdleTimeout() throws Exception {
        EndpointConfig config = config(V4).idleTimeout(Duration.ofSeconds(2))
                .keepAliveInterval(Duration.ofMillis(500)).build();
        try (Endpoint server = Srudp.open(config); Endpoint client = Srudp.open(config);
                Relay relay = new Relay(addressOf(server))) {
            CompletableFuture<Connection> accepted = server.acceptAsync();
            Connection c = client.connect(PeerAddress.of(relay.address(), server.certifiedKey()));
            Connection s = get(accepted);
            SrudpStream stream = c.openStream();
            stream.getOutputStream().write(3);
            SrudpStream peer = s.acceptStream();
            assertEquals(3, peer.getInputStream().read());
            CompletableFuture<Integer> blockedRead = async(stream.getInputStream()::read);

            long t0 = System.nanoTime();
            relay.freeze();
            assertTrue(c.awaitClosed(Duration.ofSeconds(10)), "the client gave up on the silent server");
            assertTrue(s.awaitClosed(Duration.ofSeconds(10)), "the server gave up on the silent client");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 1500 && millis < 8000, "closed after " + millis + " ms of silence");
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> blockedRead.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ConnectionTimeoutException.class, failure.getCause());
        }
    }

    @Test
    @Timeout(30)
    void keepalivesHoldAnIdleConnectionOpenPastThreeIdleTimeouts() throws Exception {
        EndpointConfig config = config(V4).idleTimeout(Duration.ofSeconds(2))
                .keepAliveInterval(Duration.ofMillis(500)).build();
        try (Pair p = Pair.connect(config, config)) {
            assertFalse(p.clientSide.awaitClosed(Duration.ofSeconds(6)), "the idle connection timed out");
            assertTrue(p.serverSide.isOpen());
            byte[] data = randomBytes(20_000, 12);
            CompletableFuture<Void> echoed = async(() -> {
                echo(p.serverSide.acceptStream());
                return null;
            });
            SrudpStream s = p.clientSide.openStream();
            writeAllAndFinish(s, data);
            readDigest(s.getInputStream()).assertMatches(data);
            get(echoed);
        }
    }

    /**
     * A UDP relay on loopback between one client and a server, which can be frozen to drop every
     * datagram, so that each side sees the other fall silent.
     */
    static final class Relay implements AutoCloseable {
        private final DatagramChannel channel;
        private final InetSocketAddress server;
        private final Thread thread;
        private volatile boolean frozen;
        private volatile SocketAddress client;

        Relay(InetSocketAddress server) throws IOException {
            this.server = server;
            this.channel = DatagramChannel.open().bind(new InetSocketAddress(V4, 0));
            this.thread = new Thread(this::run, "test-relay");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        void freeze() {
            frozen = true;
        }

        private void run() {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    buf.clear();
                    SocketAddress from = channel.receive(buf);
                    buf.flip();
                    if (frozen) {
                        continue;
                    }
                    if (from.equals(server)) {
                        if (client != null) {
                            channel.send(buf, client);
                        }
                    } else {
                        client = from;
                        channel.send(buf, server);
                    }
                }
            } catch (ClosedChannelException e) {
                // closed
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            channel.close();
            thread.join(2000);
        }
    }
}
