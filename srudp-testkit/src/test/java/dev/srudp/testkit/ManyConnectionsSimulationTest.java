package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ManyConnectionsSimulationTest {

    @Test
    void oneEndpointServesAHundredConcurrentConnectionsEachEchoingItsOwnData() throws Exception {
        echoMany(100, 32 * 1024);
    }

    @Test
    void oneEndpointServesAThousandConcurrentConnections() throws Exception {
        echoMany(1000, 4 * 1024);
    }

    private static InetSocketAddress clientAddress(int i) {
        // 250 hosts with up to 4 ports each, so no source exceeds the per-source handshake cap
        return new InetSocketAddress("198.51.100." + (1 + i % 250), 40000 + i);
    }

    private static void echoMany(int clients, int bytesEach) throws Exception {
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(15)).lossProbability(0.01)
                .bandwidthBitsPerSecond(200_000_000L).queueLimitBytes(4 << 20).build();
        SimNetwork net = new SimNetwork(42, link);
        InetSocketAddress serverAddress = new InetSocketAddress("203.0.113.1", 50000);
        SimEndpoint server = SimEndpoint.create(net, serverAddress, EndpointConfig.defaults(), 1000);
        List<CompletableFuture<Connection>> connects = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            InetSocketAddress a = clientAddress(i);
            SimEndpoint client = SimEndpoint.create(net, a, EndpointConfig.defaults(), 2000 + i);
            connects.add(client.connect(server.addressWithKey()));
        }
        // the server echoes every stream of every connection until the stream's end
        Map<SrudpStream, ByteBuffer> echoes = new HashMap<>();
        List<Connection> serverSide = new ArrayList<>();
        CompletableFuture<Connection>[] nextAccept = new CompletableFuture[] {server.accept()};
        List<CompletableFuture<SrudpStream>> streamAccepts = new ArrayList<>();

        net.runUntilOrFail(() -> {
            while (nextAccept[0].isDone()) {
                Connection c = nextAccept[0].join();
                serverSide.add(c);
                streamAccepts.add(c.acceptStreamAsync());
                nextAccept[0] = server.accept();
            }
            return connects.stream().allMatch(CompletableFuture::isDone);
        }, Duration.ofSeconds(60), "all handshakes");

        List<Connection> clientSide = connects.stream().map(CompletableFuture::join).toList();
        List<SrudpStream> streams = new ArrayList<>();
        List<ByteBuffer> toSend = new ArrayList<>();
        List<ByteBuffer> received = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            streams.add(clientSide.get(i).openStream());
            byte[] data = new byte[bytesEach];
            new java.util.Random(i).nextBytes(data);
            toSend.add(ByteBuffer.wrap(data));
            received.add(ByteBuffer.allocate(bytesEach + 1));
        }
        boolean[] finished = new boolean[clients];
        int[] done = {0};
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        long deadline = net.nowNanos() + Duration.ofMinutes(2).toNanos();
        while (done[0] < clients && net.nowNanos() < deadline) {
            while (nextAccept[0].isDone()) {
                Connection c = nextAccept[0].join();
                serverSide.add(c);
                streamAccepts.add(c.acceptStreamAsync());
                nextAccept[0] = server.accept();
            }
            for (CompletableFuture<SrudpStream> f : streamAccepts) {
                if (f.isDone() && !echoes.containsKey(f.join())) {
                    echoes.put(f.join(), ByteBuffer.allocate(0));
                }
            }
            for (Map.Entry<SrudpStream, ByteBuffer> e : echoes.entrySet()) {
                ByteBuffer backlog = e.getValue();
                if (backlog.hasRemaining()) {
                    e.getKey().tryWrite(backlog);
                    continue;
                }
                scratch.clear();
                int n = e.getKey().tryRead(scratch);
                if (n > 0) {
                    scratch.flip();
                    ByteBuffer copy = ByteBuffer.allocate(n).put(scratch).flip();
                    e.getKey().tryWrite(copy);
                    e.setValue(copy);
                } else if (n < 0) {
                    e.getKey().shutdownOutput();
                    e.setValue(ByteBuffer.allocate(0));
                }
            }
            for (int i = 0; i < clients; i++) {
                if (finished[i]) {
                    continue;
                }
                SrudpStream s = streams.get(i);
                if (toSend.get(i).hasRemaining()) {
                    s.tryWrite(toSend.get(i));
                    if (!toSend.get(i).hasRemaining()) {
                        s.shutdownOutput();
                    }
                }
                int n;
                do {
                    n = s.tryRead(received.get(i));
                } while (n > 0);
                if (n < 0) {
                    finished[i] = true;
                    done[0]++;
                }
            }
            net.runFor(Duration.ofMillis(2));
        }
        assertEquals(clients, done[0], "streams finished; " + net.describe());
        assertEquals(clients, serverSide.size());
        for (int i = 0; i < clients; i++) {
            byte[] expected = toSend.get(i).array();
            ByteBuffer got = received.get(i).flip();
            assertEquals(ByteBuffer.wrap(expected), got, "echo of client " + i);
        }
        assertEquals(clients, server.core().connectionCount());
    }
}
