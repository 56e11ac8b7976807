package dev.srudp.cli;

import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import dev.srudp.core.Srudp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code srudp bench}: loopback throughput of raw UDP, srudp and TCP, srudp handshakes per second
 * and heap per idle connection.
 *
 * <p>The command starts a second JVM of itself ({@code --role server}) that receives. The server
 * prints {@code READY udp=PORT srudp=PORT key=HEX tcp=PORT} and then obeys one-line commands on
 * its standard input: {@code start CASE} resets the byte counter of a case and answers {@code OK};
 * {@code stop CASE} waits until the case has been quiet for a moment and answers
 * {@code RESULT CASE bytes=N nanos=T}, the bytes received between the first and the last arrival;
 * {@code quit} (or end of input) closes everything and exits. The rates are receiver-side. The
 * cases are interleaved, in an order rotated each round, so slow drift of the machine affects all
 * of them alike; the summary gives the median, minimum and maximum over the rounds.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Loopback benchmark: raw UDP, srudp and TCP throughput, handshakes/s, heap per idle connection.")
final class BenchCommand implements Callable<Integer> {

    /** The UDP payload of one datagram: srudp's default {@code maxUdpPayload}. */
    static final int DATAGRAM = EndpointConfig.defaults().maxUdpPayload();
    private static final int CHUNK = 64 * 1024;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final String[] CASES = {"udp", "srudp", "tcp", "handshakes"};

    @Option(names = "--runs", description = "Rounds of all cases (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int runs;

    @Option(names = "--seconds", description = "Length of each timed case in seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    double seconds;

    @Option(names = "--idle", description = "Idle connections for the heap measurement (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int idle;

    @Option(names = "--role", description = "client (default) or server (the receiving child process).",
            defaultValue = "client", hidden = true)
    String role;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || seconds <= 0 || idle < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--runs, --seconds and --idle must be positive");
        }
        if ("server".equals(role)) {
            new Server().serve();
            return ExitCodes.OK;
        }
        return client(System.out);
    }

    // ---------------------------------------------------------------- client (parent) side

    private int client(PrintStream out) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "bench", "--role", "server")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (String key : List.of("udp", "srudp", "tcp", "ratio", "handshakes", "idle")) {
            results.put(key, new ArrayList<>());
        }
        try (BufferedReader fromChild = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            Map<String, String> ready = parseReady(expect(fromChild, "READY"));
            int udpPort = Integer.parseInt(ready.get("udp"));
            int srudpPort = Integer.parseInt(ready.get("srudp"));
            int tcpPort = Integer.parseInt(ready.get("tcp"));
            CertifiedKey key = CertifiedKey.fromEncoded(HexFormat.of().parseHex(ready.get("key")));
            InetSocketAddress udpAddr = new InetSocketAddress(loopback, udpPort);
            PeerAddress srudpAddr = PeerAddress.of(new InetSocketAddress(loopback, srudpPort), key);
            InetSocketAddress tcpAddr = new InetSocketAddress(loopback, tcpPort);
            long durationNanos = (long) (seconds * 1e9);

            out.printf("srudp bench: %d round(s), %.1f s per case, %d idle connections, %d-byte datagrams, "
                    + "%d cores, Java %s%n", runs, seconds, idle, DATAGRAM,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            EndpointConfig clientConfig = EndpointConfig.builder().bind(loopback, 0).build();
            try (Endpoint client = Srudp.open(clientConfig)) {
                for (int run = 0; run < runs; run++) {
                    double udp = 0;
                    double srudp = 0;
                    double tcp = 0;
                    double handshakes = 0;
                    for (int i = 0; i < CASES.length; i++) {
                        String c = CASES[(i + run) % CASES.length];
                        switch (c) {
                            case "udp" -> udp = timed(c, fromChild, toChild, () -> sendUdp(udpAddr, durationNanos));
                            case "srudp" -> {
                                srudp = timed(c, fromChild, toChild, () -> sendSrudp(client, srudpAddr, durationNanos));
                                abortPending();
                            }
                            case "tcp" -> tcp = timed(c, fromChild, toChild, () -> sendTcp(tcpAddr, durationNanos));
                            default -> handshakes = handshakes(client, srudpAddr, durationNanos);
                        }
                    }
                    double perIdle = idleBytesPerConnection(idle);
                    double ratio = udp > 0 ? srudp / udp : 0;
                    results.get("udp").add(udp);
                    results.get("srudp").add(srudp);
                    results.get("tcp").add(tcp);
                    results.get("ratio").add(ratio);
                    results.get("handshakes").add(handshakes);
                    results.get("idle").add(perIdle);
                    out.printf("%nround %d of %d (order: %s)%n", run + 1, runs, order(run));
                    out.printf("  %-36s %12.1f Mbit/s%n", "raw UDP (receiver side)", udp);
                    out.printf("  %-36s %12.1f Mbit/s%n", "srudp, one stream (receiver side)", srudp);
                    out.printf("  %-36s %12.1f Mbit/s%n", "TCP (receiver side)", tcp);
                    out.printf("  %-36s %12.3f%n", "srudp/raw UDP", ratio);
                    out.printf("  %-36s %12.1f /s%n", "srudp handshakes (sequential)", handshakes);
                    out.printf("  %-36s %12.0f bytes%n", "heap per idle connection (both ends)", perIdle);
                    out.flush();
                }
            }
            toChild.println("quit");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroy();
                if (!child.waitFor(5, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    child.waitFor();
                }
            }
        }

        out.printf("%nmedian (min .. max) over %d round(s)%n", runs);
        summary(out, "raw UDP", results.get("udp"), "%.1f", "Mbit/s");
        summary(out, "srudp, one stream", results.get("srudp"), "%.1f", "Mbit/s");
        summary(out, "TCP", results.get("tcp"), "%.1f", "Mbit/s");
        summary(out, "srudp handshakes", results.get("handshakes"), "%.1f", "/s");
        summary(out, "heap per idle connection (both ends)", results.get("idle"), "%.0f", "bytes");
        double[] ratio = sorted(results.get("ratio"));
        out.printf("ratio srudp/raw UDP: median %.3f (min %.3f, max %.3f)%n", median(ratio), ratio[0],
                ratio[ratio.length - 1]);
        out.flush();
        return ExitCodes.OK;
    }

    private static String order(int run) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < CASES.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(CASES[(i + run) % CASES.length]);
        }
        return sb.append(", idle").toString();
    }

    private static void summary(PrintStream out, String name, List<Double> values, String fmt, String unit) {
        double[] v = sorted(values);
        out.printf("  %-38s %12s  (%s .. %s) %s%n", name, String.format(fmt, median(v)), String.format(fmt, v[0]),
                String.format(fmt, v[v.length - 1]), unit);
    }

    private static double[] sorted(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private interface Sender {
        void send() throws Exception;
    }

    /** Runs one throughput case and returns the receiver-side rate in Mbit/s. */
    private static double timed(String c, BufferedReader fromChild, PrintWriter toChild, Sender sender)
            throws Exception {
        toChild.println("start " + c);
        expect(fromChild, "OK");
        sender.send();
        toChild.println("stop " + c);
        Map<String, String> r = parseReady(expect(fromChild, "RESULT"));
        long bytes = Long.parseLong(r.get("bytes"));
        long nanos = Long.parseLong(r.get("nanos"));
        return nanos <= 0 ? 0 : bytes * 8.0 / (nanos / 1e9) / 1e6;
    }

    private static void sendUdp(InetSocketAddress to, long durationNanos) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            ch.connect(to);
            ByteBuffer buf = ByteBuffer.allocateDirect(DATAGRAM);
            long end = System.nanoTime() + durationNanos;
            int n = 0;
            while ((n++ & 63) != 0 || System.nanoTime() < end) {
                buf.clear();
                try {
                    ch.write(buf);
                } catch (java.net.PortUnreachableException e) {
                    // a stale ICMP report; the receiver is there
                }
            }
        }
    }

    private static void sendSrudp(Endpoint client, PeerAddress to, long durationNanos) throws Exception {
        Connection c = client.connect(to);
        try {
            SrudpStream stream = c.openStream();
            OutputStream out = stream.getOutputStream();
            byte[] chunk = new byte[CHUNK];
            long end = System.nanoTime() + durationNanos;
            while (System.nanoTime() < end) {
                out.write(chunk);
            }
            out.flush();
        } catch (Exception e) {
            c.abort(257, "bench failed");
            throw e;
        }
        // The connection is aborted once the receiver has reported.
        PENDING.add(c);
    }

    /** srudp connections kept open until the receiver has drained them. */
    private static final List<Connection> PENDING = new CopyOnWriteArrayList<>();

    private static void sendTcp(InetSocketAddress to, long durationNanos) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(to, 5000);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[CHUNK];
            long end = System.nanoTime() + durationNanos;
            while (System.nanoTime() < end) {
                out.write(chunk);
            }
            out.flush();
            s.shutdownOutput();
        }
    }

    /** Sequential handshakes: connect, then abort, as many as fit in the duration. */
    private static double handshakes(Endpoint client, PeerAddress to, long durationNanos) throws Exception {
        abortPending();
        long start = System.nanoTime();
        long end = start + durationNanos;
        long n = 0;
        long now;
        do {
            Connection c = client.connect(to);
            c.abort(256, "bench");
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    private static void abortPending() {
        for (Connection c : PENDING) {
            c.abort(256, "bench done");
        }
        PENDING.clear();
    }

    /**
     * Heap per idle connection, in this process: two endpoints, {@code count} connections between
     * them, used heap after collection before and after. Each connection is counted with both of
     * its ends (the initiator's and the responder's state).
     */
    static double idleBytesPerConnection(int count) throws Exception {
        abortPending();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EndpointConfig config = EndpointConfig.builder().bind(loopback, 0).maxConnections(Math.max(10_000, count * 2))
                .build();
        try (Endpoint server = Srudp.open(config); Endpoint client = Srudp.open(config)) {
            PeerAddress to = PeerAddress.of(server.localAddresses().get(0), server.certifiedKey());
            List<Connection> accepted = new ArrayList<>(count);
            List<Connection> opened = new ArrayList<>(count);
            // Warm up the code paths so class loading and JIT metadata are not counted.
            Connection warm = client.connect(to);
            server.accept().abort(256, "warm-up");
            warm.abort(256, "warm-up");
            long before = usedHeapAfterGc();
            CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        accepted.add(server.accept());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int batch = 16;
            for (int i = 0; i < count; i += batch) {
                List<CompletableFuture<Connection>> futures = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + batch); j++) {
                    futures.add(client.connectAsync(to));
                }
                for (CompletableFuture<Connection> f : futures) {
                    opened.add(f.get(30, TimeUnit.SECONDS));
                }
            }
            acceptor.get(30, TimeUnit.SECONDS);
            long after = usedHeapAfterGc();
            double perConnection = (after - before) / (double) count;
            if (opened.size() != count || accepted.size() != count) {
                throw new IllegalStateException("idle connections: opened " + opened.size() + ", accepted "
                        + accepted.size());
            }
            for (Connection c : opened) {
                c.abort(256, "bench done");
            }
            return perConnection;
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static String expect(BufferedReader in, String prefix) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("ERROR")) {
                throw new IOException("bench server: " + line);
            }
        }
        throw new IOException("the bench server ended before " + prefix);
    }

    private static Map<String, String> parseReady(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- server (child) side

    /** Bytes received by one case between its first and last arrival. */
    static final class Meter {
        private final AtomicLong bytes = new AtomicLong();
        private volatile long first;
        private volatile long last;

        void add(int n) {
            long now = System.nanoTime();
            if (first == 0) {
                first = now;
            }
            last = now;
            bytes.addAndGet(n);
        }

        void reset() {
            bytes.set(0);
            first = 0;
            last = 0;
        }

        /** Waits until nothing has arrived for a while (at most 5 s), then reports. */
        String result(String name) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                long l = last;
                if (l != 0 && System.nanoTime() - l > QUIET_NANOS) {
                    break;
                }
                if (l == 0 && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(4)) {
                    break;
                }
                Thread.sleep(20);
            }
            long f = first;
            long l = last;
            return "RESULT " + name + " bytes=" + bytes.get() + " nanos=" + (f == 0 ? 0 : l - f);
        }
    }

    private static final class Server {
        private final Meter udp = new Meter();
        private final Meter srudp = new Meter();
        private final Meter tcp = new Meter();
        private volatile boolean running = true;

        void serve() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            EndpointConfig config = EndpointConfig.builder().bind(loopback, 0).build();
            try (DatagramChannel udpChannel = DatagramChannel.open();
                    ServerSocket tcpServer = new ServerSocket();
                    Endpoint endpoint = Srudp.open(config)) {
                udpChannel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                udpChannel.bind(new InetSocketAddress(loopback, 0));
                tcpServer.bind(new InetSocketAddress(loopback, 0));
                daemon("bench-udp", () -> receiveUdp(udpChannel));
                daemon("bench-tcp", () -> acceptTcp(tcpServer));
                daemon("bench-srudp", () -> acceptSrudp(endpoint));
                int udpPort = ((InetSocketAddress) udpChannel.getLocalAddress()).getPort();
                System.out.println("READY udp=" + udpPort + " srudp=" + endpoint.localAddresses().get(0).getPort()
                        + " key=" + HexFormat.of().formatHex(endpoint.certifiedKey().encoded()) + " tcp="
                        + tcpServer.getLocalPort());
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.equals("quit")) {
                    String[] words = line.trim().split("\\s+");
                    Meter m = words.length == 2 ? meter(words[1]) : null;
                    if (m == null) {
                        System.out.println("ERROR unknown command: " + line);
                    } else if (words[0].equals("start")) {
                        m.reset();
                        System.out.println("OK");
                    } else if (words[0].equals("stop")) {
                        System.out.println(m.result(words[1]));
                    } else {
                        System.out.println("ERROR unknown command: " + line);
                    }
                    System.out.flush();
                }
            } finally {
                running = false;
            }
        }

        private Meter meter(String name) {
            return switch (name) {
                case "udp" -> udp;
                case "srudp" -> srudp;
                case "tcp" -> tcp;
                default -> null;
            };
        }

        private void receiveUdp(DatagramChannel ch) {
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            try {
                while (running) {
                    buf.clear();
                    if (ch.receive(buf) != null) {
                        udp.add(buf.position());
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void acceptTcp(ServerSocket server) {
            try {
                while (running) {
                    Socket s = server.accept();
                    daemon("bench-tcp-reader", () -> {
                        try (s; InputStream in = s.getInputStream()) {
                            drain(in, tcp);
                        } catch (IOException e) {
                            // the sender went away
                        }
                    });
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void acceptSrudp(Endpoint endpoint) {
            try {
                while (running) {
                    Connection c = endpoint.accept();
                    c.acceptStreamAsync().thenAccept(stream -> daemon("bench-srudp-reader", () -> {
                        try {
                            drain(stream.getInputStream(), srudp);
                        } catch (IOException e) {
                            // the sender aborted
                        } finally {
                            c.abort(256, "done");
                        }
                    }));
                }
            } catch (Exception e) {
                // closed
            }
        }

        private static void drain(InputStream in, Meter meter) throws IOException {
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    meter.add(n);
                }
            }
        }

        private static void daemon(String name, Runnable r) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        }
    }
}
