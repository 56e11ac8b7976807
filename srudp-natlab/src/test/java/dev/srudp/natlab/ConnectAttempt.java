package dev.srudp.natlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One connection attempt between two lab hosts with the srudp command, both sides as
 * {@code srudp connect -v --home DIR [--stun ADDR] --publish OWN.rec PARTNER.rec}: records are
 * exchanged through files and each side follows the other. Each side writes one line; the attempt
 * succeeds when each side's standard output shows the partner's line.
 *
 * <p>Time to connect runs from the moment the second side starts connecting with both records known
 * to the later of the two lines delivered. That moment is the latest of the second side's
 * {@code srudp: reaching the partner} line (it already holds the first side's record) and the
 * {@code srudp: punching} lines of either side (a side that is reached before it punches prints
 * none). A failure must be reported within {@link #BOUND_MILLIS} of the same moment.
 */
final class ConnectAttempt {
    /** The longest an attempt may take to fail, with its reason (issue 5). */
    static final long BOUND_MILLIS = 15_000;
    /** The bound where a side is behind a symmetric NAT and the symmetric-NAT techniques run (issue 7). */
    static final long SYMMETRIC_BOUND_MILLIS = 20_000;
    /** Extra time the harness waits beyond the bound before it ends the programs itself. */
    static final long GRACE_MILLIS = 8_000;
    /** Time allowed for a JVM to start and publish its record. */
    static final long START_MILLIS = 30_000;
    private static final long MS = 1_000_000L;

    /** What one attempt showed. */
    record Outcome(boolean connected, long timeToConnectMillis, String anchor, String path, String reason,
            long failedAfterMillis, boolean clearReason, String diagnostics, long boundMillis, int probes) {

        /** A failure reported within the bound, with the reason wording the contract promises. */
        boolean failedClearlyInTime() {
            return !connected && clearReason && failedAfterMillis >= 0 && failedAfterMillis <= boundMillis;
        }

        String summary() {
            return connected ? "connected in " + timeToConnectMillis + " ms (from " + anchor + "): " + path
                    : "failed after " + (failedAfterMillis < 0 ? "?" : failedAfterMillis) + " ms: " + reason;
        }
    }

    private final NatLab lab;
    private final Path workDir;
    private final List<String> extraOptions = new ArrayList<>();
    private long boundMillis = BOUND_MILLIS;

    ConnectAttempt(NatLab lab, Path workDir) {
        this.lab = lab;
        this.workDir = workDir;
    }

    /** Options given to both sides (for example {@code --emulate-delay 25ms}). */
    ConnectAttempt withOptions(String... options) {
        extraOptions.addAll(List.of(options));
        return this;
    }

    /** The bound for the following attempts (given to both sides as --timeout). */
    ConnectAttempt withBound(long millis) {
        boundMillis = millis;
        return this;
    }

    /** STUN servers for both sides: coturn's address, when this srudp knows --stun. */
    List<String> stunOptions() throws IOException, InterruptedException {
        if (!SrudpCli.connectHasOption("--stun")) {
            return List.of();
        }
        return List.of("--stun", lab.address("pub4") + ":3478");
    }

    /** Runs one attempt: {@code first} starts and publishes, then {@code second} starts. */
    Outcome run(String first, String second) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), first + "-" + second + "-");
        Path recFirst = dir.resolve(first + ".rec");
        Path recSecond = dir.resolve(second + ".rec");
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String lineFromFirst = "line-from-" + first + "-" + nonce;
        String lineFromSecond = "line-from-" + second + "-" + nonce;
        List<String> stun = stunOptions();
        try (LabProcess a = start(first, dir.resolve("home-" + first), recFirst, recSecond, stun);
                LabProcess b = startAfter(a, second, dir.resolve("home-" + second), recSecond, recFirst, stun)) {
            a.write(lineFromFirst + "\n");
            b.write(lineFromSecond + "\n");
            LabProcess.Line bReaching = b.await(true, l -> l.startsWith("srudp: reaching the partner"),
                    b.startedNanos() + START_MILLIS * MS);
            if (bReaching == null) {
                return notStarted(b, a);
            }
            long deadline = bReaching.atNanos() + (boundMillis + GRACE_MILLIS) * MS;
            LabProcess.Line atB = b.await(false, lineFromFirst::equals, deadline);
            LabProcess.Line atA = atB == null ? null : a.await(false, lineFromSecond::equals, deadline);
            long anchorNanos = anchor(a, b, bReaching);
            String anchorName = anchorNanos == bReaching.atNanos() ? "reaching" : "punching";
            if (atA != null && atB != null) {
                long ttc = (Math.max(atA.atNanos(), atB.atNanos()) - anchorNanos) / MS;
                a.closeStdin();
                b.closeStdin();
                a.waitFor(System.nanoTime() + 10_000 * MS);
                b.waitFor(System.nanoTime() + 10_000 * MS);
                return new Outcome(true, ttc, anchorName, path(a, b), "", -1, false, timeline(a, b, anchorNanos),
                        boundMillis, probes(a, b));
            }
            a.waitFor(deadline);
            b.waitFor(deadline);
            return failure(a, b, anchorNanos, boundMillis);
        }
    }

    private LabProcess start(String host, Path home, Path own, Path partner, List<String> stun) throws IOException {
        List<String> args = new ArrayList<>(List.of("connect", "-v", "--home", home.toString(), "--timeout",
                boundMillis / 1000 + "s"));
        args.addAll(stun);
        args.addAll(extraOptions);
        args.addAll(List.of("--publish", own.toString(), partner.toString()));
        return LabProcess.start(host, lab.in(host, SrudpCli.command(args)), null, null);
    }

    /** Starts the second side once the first has published its record. */
    private LabProcess startAfter(LabProcess first, String host, Path home, Path own, Path partner, List<String> stun)
            throws IOException, InterruptedException {
        LabProcess.Line published = first.await(true, l -> l.startsWith("srudp: reaching the partner"),
                first.startedNanos() + START_MILLIS * MS);
        if (published == null) {
            throw new IOException(first.name + " did not publish its record within " + START_MILLIS / 1000
                    + " s (exit " + first.exitCode() + "):\n    " + first.tail(20));
        }
        return start(host, home, own, partner, stun);
    }

    /** The latest of the second side's reaching line and the first punching line of each side. */
    private static long anchor(LabProcess a, LabProcess b, LabProcess.Line bReaching) {
        long anchor = bReaching.atNanos();
        for (LabProcess p : List.of(a, b)) {
            LabProcess.Line punching = p.firstErr(l -> l.startsWith("srudp: punching"));
            if (punching != null) {
                anchor = Math.max(anchor, punching.atNanos());
            }
        }
        return anchor;
    }

    private static String path(LabProcess a, LabProcess b) {
        for (LabProcess p : List.of(a, b)) {
            LabProcess.Line direct = p.firstErr(l -> l.startsWith("srudp: direct path"));
            if (direct != null) {
                return p.name + ": " + direct.text().substring("srudp: ".length());
            }
        }
        LabProcess.Line connected = a.firstErr(l -> l.startsWith("srudp: connected to"));
        return connected == null ? "(no path line)" : a.name + ": " + connected.text().substring("srudp: ".length());
    }

    private static final java.util.regex.Pattern PROBES = java.util.regex.Pattern.compile(
            "^srudp: direct path .* after \\d+ ms, (\\d+) probes");

    /** Probes both sides sent until their direct path (srudp -v prints them per side), or -1 if neither says. */
    static int probes(LabProcess a, LabProcess b) {
        int sum = -1;
        for (LabProcess p : List.of(a, b)) {
            LabProcess.Line direct = p.firstErr(l -> PROBES.matcher(l).find());
            if (direct != null) {
                java.util.regex.Matcher m = PROBES.matcher(direct.text());
                m.find();
                sum = Math.max(sum, 0) + Integer.parseInt(m.group(1));
            }
        }
        return sum;
    }

    private static Outcome failure(LabProcess a, LabProcess b, long anchorNanos, long boundMillis) {
        String reason = null;
        long failedAt = Long.MAX_VALUE;
        for (LabProcess p : List.of(a, b)) {
            if (!p.isAlive() && p.exitCode() != 0 && p.exitedNanos() != 0) {
                failedAt = Math.min(failedAt, p.exitedNanos());
            }
            LabProcess.Line cannot = p.firstErr(l -> l.startsWith("srudp: cannot reach"));
            if (cannot != null && reason == null) {
                reason = p.name + ": " + cannot.text().substring("srudp: ".length());
            }
        }
        boolean clear = reason != null;
        if (reason == null) {
            for (LabProcess p : List.of(a, b)) {
                List<String> lines = p.errLines();
                if (!p.isAlive() && !lines.isEmpty()) {
                    reason = p.name + " (exit " + p.exitCode() + "): " + lines.get(lines.size() - 1);
                    break;
                }
            }
        }
        if (reason == null) {
            reason = "no line delivered and no failure reported within " + (boundMillis + GRACE_MILLIS) / 1000
                    + " s; the harness ended both programs";
        }
        long after = failedAt == Long.MAX_VALUE ? -1 : (failedAt - anchorNanos) / MS;
        return new Outcome(false, -1, "", "", reason, after, clear, diagnostics(a, b), boundMillis, -1);
    }

    private static Outcome notStarted(LabProcess b, LabProcess a) {
        return new Outcome(false, -1, "", "", b.name + " did not start reaching the partner within "
                + START_MILLIS / 1000 + " s (exit " + b.exitCode() + ")", -1, false, diagnostics(a, b), BOUND_MILLIS, -1);
    }

    /** Both sides' output lines in the order they were read, in ms from the anchor (may be negative). */
    static String timeline(LabProcess a, LabProcess b, long anchorNanos) {
        List<String[]> rows = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (LabProcess p : List.of(a, b)) {
            for (boolean stderr : new boolean[] {true, false}) {
                for (LabProcess.Line l : p.timedLines(stderr)) {
                    times.add(l.atNanos());
                    rows.add(new String[] {p.name + (stderr ? "" : " (out)"), l.text()});
                }
            }
        }
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(times::get));
        StringBuilder s = new StringBuilder("timeline (ms from the anchor):");
        for (int i : order) {
            s.append(String.format("%n    %+6d %s: %s", (times.get(i) - anchorNanos) / MS, rows.get(i)[0], rows.get(i)[1]));
        }
        return s.toString();
    }

    private static String diagnostics(LabProcess a, LabProcess b) {
        return a.name + " stderr:\n    " + a.tail(15) + "\n" + b.name + " stderr:\n    " + b.tail(15);
    }
}
