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
 * {@code cpu} answers {@code CPU nanos=N}, the CPU time of the whole process so far;
 * {@code idle-open N} opens a fresh endpoint for N idle connections and answers
 * {@code IDLE port=P key=HEX}, {@code idle-baseline} ends the initiator's warm-up connection and
 * measures the heap, {@code idle-measure} waits until N connections are held and answers
 * {@code IDLED accepted=N perConnection=BYTES}, {@code idle-close} ends them; {@code quit} (or end
 * of input) closes everything and exits. The rates are receiver-side. The cases are interleaved,
 * in an order rotated each round, so slow drift of the machine affects all of them alike; the
 * summary gives the median, minimum and maximum over the rounds.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Loopback benchmark: raw UDP, srudp and TCP throughput, handshakes/s, heap per idle connection.")
final class BenchCommand implements Callable<Integer> {

    /** The UDP payload of one datagram: srudp's default {@code maxUdpPayload}. */
    static final int DATAGRAM = EndpointConfig.defaults().maxUdpPayload();
    private static final int CHUNK = 64 * 1024;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final List<String> TIMED = List.of("udp", "srudp", "tcp", "handshakes");
    /** Handshakes in flight at once while the idle connections are opened. */
    private static final int IDLE_BATCH = 16;

    @Option(names = "--runs", description = "Rounds of all cases (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int runs;

    @Option(names = "--seconds", description = "Length of each timed case in seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    double seconds;

    @Option(names = "--idle", description = "Idle connections held by one endpoint for the heap measurement "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int idle;

    @Option(names = "--warmup", description = "Untimed rounds of the timed cases first, so the JIT has compiled the "
            + "hot paths (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmup;

    @Option(names = "--cases", split = ",", description = "Cases to run, of udp, srudp, tcp, handshakes, idle "
            + "(default: all).", defaultValue = "udp,srudp,tcp,handshakes,idle")
    List<String> cases;

    @Option(names = "--server-jvm-option", description = "An option for the receiving child JVM (repeatable), "
            + "e.g. to record a profile.", hidden = true)
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--role", description = "client (default) or server (the receiving child process).",
            defaultValue = "client", hidden = true)
    String role;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || seconds <= 0 || idle < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--runs, --seconds and --idle must be positive, --warmup not negative");
        }
        for (String c : cases) {
            if (!TIMED.contains(c) && !c.equals("idle")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "unknown case '" + c + "'; the cases are udp, srudp, tcp, handshakes, idle");
            }
        }
        if ("server".equals(role)) {
            new Server().serve();
            return ExitCodes.OK;
        }
        return client(System.out);
    }

    // ---------------------------------------------------------------- client (parent) side

    /** One round's figures, by name; a case that did not run has none. */
    private final Map<String, List<Double>> results = new LinkedHashMap<>();

    private void record(String name, double value) {
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private int client(PrintStream out) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(serverJvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench",
                "--role", "server"));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> timed = TIMED.stream().filter(cases::contains).toList();
        try (BufferedReader fromChild = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            Peer peer = new Peer(fromChild, toChild);
            Map<String, String> ready = parseReady(peer.expect("READY"));
            InetSocketAddress udpAddr = new InetSocketAddress(loopback, Integer.parseInt(ready.get("udp")));
            PeerAddress srudpAddr = PeerAddress.of(new InetSocketAddress(loopback, Integer.parseInt(ready.get("srudp"))),
                    CertifiedKey.fromEncoded(HexFormat.of().parseHex(ready.get("key"))));
            InetSocketAddress tcpAddr = new InetSocketAddress(loopback, Integer.parseInt(ready.get("tcp")));
            long durationNanos = (long) (seconds * 1e9);

            out.printf("srudp bench: %d round(s) after %d warm-up round(s), %.1f s per case, %d idle connections, "
                    + "%d-byte datagrams, %d cores, Java %s%n", runs, warmup, seconds, idle, DATAGRAM,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            EndpointConfig clientConfig = EndpointConfig.builder().bind(loopback, 0).build();
            try (Endpoint client = Srudp.open(clientConfig)) {
                for (int w = 0; w < warmup; w++) {
                    for (String c : timed) {
                        runTimed(c, peer, client, udpAddr, srudpAddr, tcpAddr, durationNanos);
                    }
                }
                results.clear();
                for (int run = 0; run < runs; run++) {
                    out.printf("%nround %d of %d (order: %s)%n", run + 1, runs, order(timed, run));
                    for (int i = 0; i < timed.size(); i++) {
                        runTimed(timed.get((i + run) % timed.size()), peer, client, udpAddr, srudpAddr, tcpAddr,
                                durationNanos);
                    }
                    if (cases.contains("udp") && cases.contains("srudp")) {
                        List<Double> u = results.get("udp");
                        List<Double> s = results.get("srudp");
                        double ratio = u.get(u.size() - 1) > 0 ? s.get(s.size() - 1) / u.get(u.size() - 1) : 0;
                        record("ratio", ratio);
                    }
                    if (cases.contains("idle")) {
                        idleCase(peer, loopback);
                    }
                    printRound(out, run);
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
        for (Map.Entry<String, Line> e : LINES.entrySet()) {
            List<Double> values = results.get(e.getKey());
            if (values != null && !values.isEmpty() && !e.getKey().equals("ratio")) {
                summary(out, e.getValue().label(), values, e.getValue().format(), e.getValue().unit());
            }
        }
        if (results.containsKey("ratio")) {
            double[] ratio = sorted(results.get("ratio"));
            out.printf("ratio srudp/raw UDP: median %.3f (min %.3f, max %.3f)%n", median(ratio), ratio[0],
                    ratio[ratio.length - 1]);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private record Line(String label, String format, String unit) {
    }

    /** What is printed, in order: the key in {@link #results}, its label, format and unit. */
    private static final Map<String, Line> LINES = new LinkedHashMap<>();

    static {
        LINES.put("udp", new Line("raw UDP", "%.1f", "Mbit/s"));
        LINES.put("udp.cpu", new Line("  CPU per MB, sender + receiver", "%.2f", "ms/MB"));
        LINES.put("srudp", new Line("srudp, one stream", "%.1f", "Mbit/s"));
        LINES.put("srudp.cpu", new Line("  CPU per MB, sender + receiver", "%.2f", "ms/MB"));
        LINES.put("ratio", new Line("srudp/raw UDP", "%.3f", ""));
        LINES.put("tcp", new Line("TCP", "%.1f", "Mbit/s"));
        LINES.put("handshakes", new Line("srudp handshakes, sequential", "%.1f", "/s"));
        LINES.put("handshakes.initiatorCpu", new Line("  CPU per handshake, initiator process", "%.0f", "us"));
        LINES.put("handshakes.responderCpu", new Line("  CPU per handshake, responder process", "%.0f", "us"));
        LINES.put("handshakes.perCore", new Line("  handshakes per CPU-second, both ends", "%.1f", "/s"));
        LINES.put("idle.responder", new Line("heap per idle connection, responder", "%.0f", "bytes"));
        LINES.put("idle.initiator", new Line("heap per idle connection, initiator", "%.0f", "bytes"));
    }

    private void printRound(PrintStream out, int run) {
        for (Map.Entry<String, Line> e : LINES.entrySet()) {
            List<Double> values = results.get(e.getKey());
            if (values != null && values.size() == run + 1) {
                out.printf("  %-40s %12s %s%n", e.getValue().label(),
                        String.format(e.getValue().format(), values.get(run)), e.getValue().unit());
            }
        }
    }

    private void runTimed(String c, Peer peer, Endpoint client, InetSocketAddress udpAddr, PeerAddress srudpAddr,
            InetSocketAddress tcpAddr, long durationNanos) throws Exception {
        switch (c) {
            case "udp" -> throughput(c, peer, () -> sendUdp(udpAddr, durationNanos));
            case "srudp" -> {
                throughput(c, peer, () -> sendSrudp(client, srudpAddr, durationNanos));
                abortPending();
            }
            case "tcp" -> throughput(c, peer, () -> sendTcp(tcpAddr, durationNanos));
            default -> handshakes(peer, client, srudpAddr, durationNanos);
        }
    }

    private static String order(List<String> timed, int run) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < timed.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(timed.get((i + run) % timed.size()));
        }
        return sb.toString();
    }

    private static void summary(PrintStream out, String name, List<Double> values, String fmt, String unit) {
        double[] v = sorted(values);
        out.printf("  %-40s %12s  (%s .. %s) %s%n", name, String.format(fmt, median(v)), String.format(fmt, v[0]),
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

    /** The child process, spoken to in lines. */
    private static final class Peer {
        private final BufferedReader in;
        private final PrintWriter out;

        Peer(BufferedReader in, PrintWriter out) {
            this.in = in;
            this.out = out;
        }

        Map<String, String> ask(String command, String answerPrefix) throws IOException {
            out.println(command);
            return parseReady(expect(answerPrefix));
        }

        String expect(String prefix) throws IOException {
            return BenchCommand.expect(in, prefix);
        }

        long cpuNanos() throws IOException {
            return Long.parseLong(ask("cpu", "CPU").get("nanos"));
        }
    }

    /** CPU time of this whole process (every thread, the JIT and the collector included). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Runs one throughput case and records the receiver-side rate in Mbit/s, and the CPU time both
     * processes spent per megabyte received.
     */
    private void throughput(String c, Peer peer, Sender sender) throws Exception {
        peer.ask("start " + c, "OK");
        long childCpu = peer.cpuNanos();
        long ownCpu = processCpuNanos();
        sender.send();
        Map<String, String> r = peer.ask("stop " + c, "RESULT");
        long cpu = processCpuNanos() - ownCpu + peer.cpuNanos() - childCpu;
        long bytes = Long.parseLong(r.get("bytes"));
        long nanos = Long.parseLong(r.get("nanos"));
        record(c, nanos <= 0 ? 0 : bytes * 8.0 / (nanos / 1e9) / 1e6);
        if (bytes > 0 && ownCpu >= 0) {
            record(c + ".cpu", cpu / 1e6 / (bytes / 1e6));
        }
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
        if (Boolean.getBoolean("srudp.bench.stats")) {
            System.err.println("sender " + c.stats());
        }
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

    /**
     * Sequential handshakes: connect, then abort, as many as fit in the duration. Records the rate,
     * the CPU time each process spent per handshake, and handshakes per CPU-second of both processes
     * together (what one core would manage if it did both ends' work).
     */
    private void handshakes(Peer peer, Endpoint client, PeerAddress to, long durationNanos) throws Exception {
        abortPending();
        long childCpu = peer.cpuNanos();
        long ownCpu = processCpuNanos();
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
        long initiatorCpu = processCpuNanos() - ownCpu;
        long responderCpu = peer.cpuNanos() - childCpu;
        record("handshakes", n / ((now - start) / 1e9));
        if (ownCpu >= 0) {
            record("handshakes.initiatorCpu", initiatorCpu / 1e3 / n);
            record("handshakes.responderCpu", responderCpu / 1e3 / n);
            record("handshakes.perCore", n / ((initiatorCpu + responderCpu) / 1e9));
        }
    }

    private static void abortPending() {
        for (Connection c : PENDING) {
            c.abort(256, "bench done");
        }
        PENDING.clear();
    }

    /**
     * Heap per idle connection, each end in its own process: the child opens a fresh endpoint that
     * accepts {@code idle} connections from one fresh endpoint here. Each process measures its own
     * used heap after collection before and after; the difference divided by the count is one
     * end's cost. Both endpoints really hold all the connections when the second measurement is
     * taken.
     */
    private void idleCase(Peer peer, InetAddress loopback) throws Exception {
        abortPending();
        Map<String, String> opened = peer.ask("idle-open " + idle, "IDLE");
        PeerAddress to = PeerAddress.of(new InetSocketAddress(loopback, Integer.parseInt(opened.get("port"))),
                CertifiedKey.fromEncoded(HexFormat.of().parseHex(opened.get("key"))));
        EndpointConfig config = EndpointConfig.builder().bind(loopback, 0).maxConnections(Math.max(10_000, idle))
                .build();
        List<Connection> connections = new ArrayList<>(idle);
        try (Endpoint client = Srudp.open(config)) {
            // one connection first, so class loading and first-use structures are not counted
            client.connect(to).abort(256, "warm-up");
            peer.ask("idle-baseline", "OK");
            long before = usedHeapAfterGc();
            for (int i = 0; i < idle; i += IDLE_BATCH) {
                List<CompletableFuture<Connection>> futures = new ArrayList<>();
                for (int j = i; j < Math.min(idle, i + IDLE_BATCH); j++) {
                    futures.add(client.connectAsync(to));
                }
                for (CompletableFuture<Connection> f : futures) {
                    connections.add(f.get(30, TimeUnit.SECONDS));
                }
            }
            Map<String, String> held = peer.ask("idle-measure", "IDLED");
            long after = usedHeapAfterGc();
            int accepted = Integer.parseInt(held.get("accepted"));
            if (accepted != idle || connections.size() != idle) {
                throw new IllegalStateException("idle connections: opened " + connections.size() + ", accepted "
                        + accepted + " of " + idle);
            }
            record("idle.initiator", (after - before) / (double) idle);
            record("idle.responder", Double.parseDouble(held.get("perConnection")));
            for (Connection c : connections) {
                c.abort(256, "bench done");
            }
        } finally {
            peer.ask("idle-close", "OK");
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
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
                    System.out.println(answer(line.trim().split("\\s+"), loopback));
                    System.out.flush();
                }
            } finally {
                running = false;
                closeIdle();
            }
        }

        private String answer(String[] words, InetAddress loopback) throws Exception {
            switch (words[0]) {
                case "cpu" -> {
                    return "CPU nanos=" + processCpuNanos();
                }
                case "idle-open" -> {
                    return openIdle(Integer.parseInt(words[1]), loopback);
                }
                case "idle-baseline" -> {
                    return baselineIdle();
                }
                case "idle-measure" -> {
                    return measureIdle();
                }
                case "idle-close" -> {
                    closeIdle();
                    return "OK";
                }
                default -> {
                    Meter m = words.length == 2 ? meter(words[1]) : null;
                    if (m != null && words[0].equals("start")) {
                        m.reset();
                        return "OK";
                    }
                    if (m != null && words[0].equals("stop")) {
                        return m.result(words[1]);
                    }
                    return "ERROR unknown command: " + String.join(" ", words);
                }
            }
        }

        // ---- the responder end of the idle connections

        private Endpoint idleEndpoint;
        private final List<Connection> idleAccepted = java.util.Collections.synchronizedList(new ArrayList<>());
        private int idleExpected;
        private long idleHeapBefore;

        private String openIdle(int count, InetAddress loopback) throws Exception {
            closeIdle();
            idleExpected = count;
            idleEndpoint = Srudp.open(EndpointConfig.builder().bind(loopback, 0)
                    .maxConnections(Math.max(10_000, count)).build());
            Endpoint e = idleEndpoint;
            daemon("bench-idle-acceptor", () -> {
                try {
                    while (true) {
                        idleAccepted.add(e.accept());
                    }
                } catch (Exception closed) {
                    // the endpoint was closed
                }
            });
            return "IDLE port=" + e.localAddresses().get(0).getPort() + " key="
                    + HexFormat.of().formatHex(e.certifiedKey().encoded());
        }

        /** Waits for the initiator's warm-up connection, ends it, and measures the heap before. */
        private String baselineIdle() throws Exception {
            awaitAccepted(1);
            for (Connection c : idleAccepted) {
                c.abort(256, "warm-up");
            }
            idleAccepted.clear();
            idleHeapBefore = usedHeapAfterGc();
            return "OK";
        }

        private String measureIdle() throws Exception {
            awaitAccepted(idleExpected);
            long after = usedHeapAfterGc();
            return "IDLED accepted=" + idleAccepted.size() + " perConnection="
                    + (after - idleHeapBefore) / (double) Math.max(1, idleAccepted.size());
        }

        private void awaitAccepted(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (idleAccepted.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        private void closeIdle() {
            for (Connection c : idleAccepted) {
                c.abort(256, "bench done");
            }
            idleAccepted.clear();
            if (idleEndpoint != null) {
                idleEndpoint.close();
                idleEndpoint = null;
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
