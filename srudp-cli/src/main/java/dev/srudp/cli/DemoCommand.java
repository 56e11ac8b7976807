package dev.srudp.cli;

import dev.srudp.Connection;
import dev.srudp.ConnectionStats;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import dev.srudp.core.Srudp;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code srudp demo}: two endpoints on loopback in one process. Alice connects to Bob with Noise
 * IK, sends a greeting and a bulk transfer on a stream, Bob answers with the SHA-256 of what he
 * received, and both close. Prints each step and the statistics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Two peers on loopback in one process: handshake, a transfer, statistics.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--mib", description = "MiB to transfer (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int mebibytes;

    @Override
    public Integer call() throws Exception {
        final int bulkBytes = Math.multiplyExact(mebibytes, 1 << 20);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EndpointConfig config = EndpointConfig.builder().bind(loopback, 0).build();
        try (Endpoint bob = Srudp.open(config); Endpoint alice = Srudp.open(config)) {
            System.out.println("bob   listens on " + bob.localAddresses().get(0) + " as " + bob.identity());
            System.out.println("alice uses       " + alice.localAddresses().get(0) + " as " + alice.identity());

            CompletableFuture<String> bobSide = CompletableFuture.supplyAsync(() -> serve(bob));

            long t0 = System.nanoTime();
            Connection c = alice.connect(PeerAddress.of(bob.localAddresses().get(0), bob.certifiedKey()));
            System.out.printf("alice connected to %s in %.1f ms (Noise IK, mutual authentication)%n", c.peer(),
                    (System.nanoTime() - t0) / 1e6);

            SrudpStream stream = c.openStream();
            OutputStream out = stream.getOutputStream();
            out.write("hello bob\n".getBytes(StandardCharsets.UTF_8));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[64 * 1024];
            Random random = new Random(1);
            long t1 = System.nanoTime();
            for (int sent = 0; sent < bulkBytes; sent += chunk.length) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
            stream.shutdownOutput();
            InputStream in = stream.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            double seconds = (System.nanoTime() - t1) / 1e9;
            String expected = HexFormat.of().formatHex(sha.digest());
            System.out.printf("alice sent %d MiB in %.2f s (%.0f Mbit/s)%n", bulkBytes >> 20, seconds,
                    bulkBytes * 8 / seconds / 1e6);
            System.out.println("bob's SHA-256 of the data: " + answer);
            System.out.println("alice's SHA-256:           " + expected);
            ConnectionStats stats = c.stats();
            System.out.printf("alice's stats: rtt %.2f ms, %d packets sent, %d lost, %d retransmitted%n",
                    stats.smoothedRtt().toNanos() / 1e6, stats.packetsSent(), stats.packetsLost(),
                    stats.retransmissions());
            c.close();
            System.out.println("alice closed the connection gracefully; " + bobSide.get());
            if (!answer.equals(expected)) {
                throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the data did not arrive intact");
            }
            System.out.println("data arrived intact");
        }
        return ExitCodes.OK;
    }

    private static String serve(Endpoint bob) {
        try {
            Connection c = bob.accept();
            System.out.println("bob   accepted a connection from " + c.peer());
            SrudpStream stream = c.acceptStream();
            DataInputStream in = new DataInputStream(stream.getInputStream());
            StringBuilder greeting = new StringBuilder();
            int ch;
            while ((ch = in.read()) != '\n') {
                greeting.append((char) ch);
            }
            System.out.println("bob   read: \"" + greeting + "\"");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                total += n;
            }
            OutputStream out = stream.getOutputStream();
            out.write((HexFormat.of().formatHex(sha.digest()) + "\n").getBytes(StandardCharsets.UTF_8));
            stream.shutdownOutput();
            c.awaitClosed(java.time.Duration.ofSeconds(30));
            return "bob received " + total + " bytes and saw the connection close";
        } catch (Exception e) {
            return "bob failed: " + e;
        }
    }
}
