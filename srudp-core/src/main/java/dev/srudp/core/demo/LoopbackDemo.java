package dev.srudp.core.demo;

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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Two endpoints on loopback: Alice connects to Bob with Noise IK, sends a greeting and 32 MiB on a
 * stream, Bob answers with the SHA-256 of what he received, and both close. Prints each step.
 */
public final class LoopbackDemo {
    private static final int BULK_BYTES = 32 << 20;

    private LoopbackDemo() {
    }

    public static void main(String[] args) throws Exception {
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
            for (int sent = 0; sent < BULK_BYTES; sent += chunk.length) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
            stream.shutdownOutput();
            InputStream in = stream.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            double seconds = (System.nanoTime() - t1) / 1e9;
            String expected = HexFormat.of().formatHex(sha.digest());
            System.out.printf("alice sent %d MiB in %.2f s (%.0f Mbit/s)%n", BULK_BYTES >> 20, seconds,
                    BULK_BYTES * 8 / seconds / 1e6);
            System.out.println("bob's SHA-256 of the data: " + answer);
            System.out.println("alice's SHA-256:           " + expected);
            ConnectionStats stats = c.stats();
            System.out.printf("alice's stats: rtt %.2f ms, %d packets sent, %d lost, %d retransmitted%n",
                    stats.smoothedRtt().toNanos() / 1e6, stats.packetsSent(), stats.packetsLost(),
                    stats.retransmissions());
            c.close();
            System.out.println("alice closed the connection gracefully; " + bobSide.get());
            if (!answer.equals(expected)) {
                System.out.println("MISMATCH");
                System.exit(1);
            }
            System.out.println("data arrived intact");
        }
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

    static InetSocketAddress any() {
        return new InetSocketAddress(0);
    }
}
