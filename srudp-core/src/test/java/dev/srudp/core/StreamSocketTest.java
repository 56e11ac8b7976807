package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.async;
import static dev.srudp.core.SocketTestSupport.get;
import static dev.srudp.core.SocketTestSupport.ik;
import static dev.srudp.core.SocketTestSupport.randomBytes;
import static dev.srudp.core.SocketTestSupport.readDigest;
import static dev.srudp.core.SocketTestSupport.sha256;
import static dev.srudp.core.SocketTestSupport.writeAllAndFinish;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.SrudpStream;
import dev.srudp.StreamResetException;
import dev.srudp.core.SocketTestSupport.Pair;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams over loopback UDP sockets: blocking and asynchronous use, concurrency, half-close, reset. */
class StreamSocketTest {

    @Test
    @Timeout(30)
    void blockingApiConnectsAcceptsAndMovesBytesBothWays() throws Exception {
        try (Endpoint server = SocketTestSupport.open(V4); Endpoint client = SocketTestSupport.open(V4)) {
            byte[] request = randomBytes(300_000, 1);
            byte[] response = randomBytes(500_000, 2);
            CompletableFuture<Void> serverSide = async(() -> {
                Connection s = server.accept();
                SrudpStream stream = s.acceptStream();
                readDigest(stream.getInputStream()).assertMatches(request);
                writeAllAndFinish(stream, response);
                s.awaitClosed(Duration.ofSeconds(20));
                return null;
            });
            Connection c = client.connect(ik(server));
            SrudpStream stream = c.openStream();
            writeAllAndFinish(stream, request);
            readDigest(stream.getInputStream()).assertMatches(response);
            c.close();
            get(serverSide);
            assertTrue(c.awaitClosed(Duration.ofSeconds(1)));
        }
    }

    @Test
    @Timeout(30)
    void asyncApiConnectsAcceptsReadsWritesReceivesDatagramsAndCloses() throws Exception {
        try (Endpoint server = SocketTestSupport.open(V4); Endpoint client = SocketTestSupport.open(V4)) {
            CompletableFuture<Connection> accepted = server.acceptAsync();
            Connection c = get(client.connectAsync(ik(server)));
            Connection s = get(accepted);

            CompletableFuture<SrudpStream> incoming = s.acceptStreamAsync();
            CompletableFuture<byte[]> datagram = s.receiveDatagramAsync();
            byte[] data = randomBytes(2 << 20, 3);
            SrudpStream out = c.openStream();
            CompletableFuture<Void> written = out.writeAsync(ByteBuffer.wrap(data));

            SrudpStream in = get(incoming);
            CompletableFuture<byte[]> reading = readAllAsync(in, new ByteArrayOutputStream());
            get(written);
            out.shutdownOutput();
            // readAllAsync completes only when a read completes with -1 after the FIN
            byte[] received = get(reading, 20);
            assertArrayEquals(sha256(data), sha256(received), "the bytes read asynchronously");
            assertEquals(data.length, received.length);

            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            c.sendDatagram(ping);
            assertArrayEquals(ping, get(datagram, 10));

            // a read pending when the peer's data arrives completes with it
            SrudpStream reply = s.openStream();
            CompletableFuture<SrudpStream> replyIncoming = c.acceptStreamAsync();
            get(reply.writeAsync(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8))));
            SrudpStream replyIn = get(replyIncoming);
            ByteBuffer buf = ByteBuffer.allocate(16);
            int n = get(replyIn.readAsync(buf));
            assertTrue(n > 0 && n <= 4, "read " + n);

            get(c.closeAsync());
            assertTrue(s.awaitClosed(Duration.ofSeconds(10)));
            assertTrue(c.awaitClosed(Duration.ofSeconds(1)));
        }
    }

    private static CompletableFuture<byte[]> readAllAsync(SrudpStream s, ByteArrayOutputStream sink) {
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        return s.readAsync(buf).thenCompose(n -> {
            if (n < 0) {
                return CompletableFuture.completedFuture(sink.toByteArray());
            }
            sink.write(buf.array(), 0, buf.position());
            return readAllAsync(s, sink);
        });
    }

    @Test
    @Timeout(60)
    void eightConcurrentStreamsEachCarryAMebibyteBothWaysIntactAndIndependently() throws Exception {
        int streams = 8;
        int size = 1 << 20;
        try (Pair p = Pair.connect(V4)) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                all.add(async(() -> {
                    SrudpStream s = p.serverSide.acceptStream();
                    // each side's data depends on the stream ID, so crossed streams would show
                    byte[] expected = randomBytes(size, 1000 + s.id());
                    byte[] answer = randomBytes(size, 2000 + s.id());
                    CompletableFuture<Void> w = async(() -> {
                        writeAllAndFinish(s, answer);
                        return null;
                    });
                    readDigest(s.getInputStream()).assertMatches(expected);
                    get(w, 40);
                    return null;
                }));
            }
            Set<Long> ids = java.util.Collections.synchronizedSet(new HashSet<>());
            for (int i = 0; i < streams; i++) {
                all.add(async(() -> {
                    SrudpStream s = p.clientSide.openStream();
                    ids.add(s.id());
                    byte[] data = randomBytes(size, 1000 + s.id());
                    byte[] expected = randomBytes(size, 2000 + s.id());
                    CompletableFuture<Void> w = async(() -> {
                        writeAllAndFinish(s, data);
                        return null;
                    });
                    readDigest(s.getInputStream()).assertMatches(expected);
                    get(w, 40);
                    return null;
                }));
            }
            for (CompletableFuture<Void> f : all) {
                get(f, 50);
            }
            assertEquals(streams, ids.size(), "distinct stream IDs");
            p.clientSide.close();
        }
    }

    @Test
    @Timeout(30)
    void halfClosedStreamStillReadsThePeersReplyAfterItsFin() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            byte[] question = "what is six times seven?".getBytes(StandardCharsets.UTF_8);
            byte[] answer = randomBytes(200_000, 42);
            CompletableFuture<byte[]> heard = async(() -> {
                SrudpStream s = p.serverSide.acceptStream();
                InputStream in = s.getInputStream();
                byte[] got = in.readAllBytes();
                assertEquals(-1, in.read(), "end of stream stays end of stream");
                writeAllAndFinish(s, answer);
                return got;
            });
            SrudpStream s = p.clientSide.openStream();
            s.getOutputStream().write(question);
            s.shutdownOutput();
            readDigest(s.getInputStream()).assertMatches(answer);
            assertArrayEquals(question, get(heard));
            assertThrows(java.io.IOException.class, () -> s.getOutputStream().write(1),
                    "writing after shutdownOutput");
        }
    }

    @Test
    @Timeout(30)
    void resetStreamMakesThePeersReadThrowStreamResetExceptionWithTheCode() throws Exception {
        try (Pair p = Pair.connect(V4)) {
            SrudpStream s = p.clientSide.openStream();
            s.getOutputStream().write(randomBytes(1000, 5));
            SrudpStream peer = p.serverSide.acceptStream();
            InputStream in = peer.getInputStream();
            byte[] buf = new byte[1000];
            int n = in.read(buf);
            assertTrue(n > 0);
            s.reset(0x1234);
            StreamResetException e = assertThrows(StreamResetException.class, () -> {
                while (in.read(buf) >= 0) {
                    // drain what may still be buffered
                }
            });
            assertEquals(0x1234, e.errorCode());

            // the connection and other streams are unaffected
            SrudpStream other = p.clientSide.openStream();
            byte[] data = randomBytes(50_000, 6);
            writeAllAndFinish(other, data);
            readDigest(p.serverSide.acceptStream().getInputStream()).assertMatches(data);
            assertTrue(p.clientSide.isOpen());
        }
    }
}
