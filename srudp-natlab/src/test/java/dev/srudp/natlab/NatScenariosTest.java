package dev.srudp.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's other lab acceptance criteria: two hosts behind one router (hairpinning on and off),
 * IPv6 behind stateful firewalls, time to connect with 25 ms of emulated one-way delay, a 50 MiB
 * transfer while both routers forget their connections, and the STUN client against coturn.
 * Figures go to target/nat-scenarios.md and standard output. With {@code srudp.natlab.strict=false}
 * the tests measure and report but only fail when the harness itself fails.
 */
class NatScenariosTest {
    private static final long MS = 1_000_000L;
    private static final int ATTEMPTS = Integer.getInteger("srudp.natlab.attempts", 5);
    /** Issue 5: median time to connect at most 3 round trips plus 50 ms with 25 ms one way (RTT 50 ms). */
    static final long TIME_TO_CONNECT_TARGET_MILLIS = 3 * 50 + 50;

    @BeforeAll
    static void startsAFreshReport() {
        if (LabSettings.tier() == LabSettings.Tier.FULL) {
            Reports.write(report(), "# NAT lab scenarios, " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    + " (strict=" + LabSettings.strict() + ")\n\n");
        }
    }

    @BeforeEach
    void needsTheFullLab() {
        LabSettings.assumeLab(LabSettings.Tier.FULL);
    }

    private static Path report() {
        return LabSettings.report().resolveSibling("nat-scenarios.md");
    }

    private static void record(String line) {
        Reports.progress(line);
        Reports.append(report(), "- " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line + "\n");
    }

    private static void check(boolean condition, String message) {
        if (LabSettings.strict()) {
            assertTrue(condition, message);
        } else if (!condition) {
            Reports.progress("(strict assertions off) would fail: " + message.lines().findFirst().orElse(""));
        }
    }

    private static List<ConnectAttempt.Outcome> attempts(ConnectAttempt attempt, NatLab lab, String x, String y,
            String label) throws IOException, InterruptedException {
        List<ConnectAttempt.Outcome> outcomes = new ArrayList<>();
        for (int i = 1; i <= ATTEMPTS; i++) {
            lab.flush('a');
            lab.flush('b');
            ConnectAttempt.Outcome o = i % 2 == 1 ? attempt.run(x, y) : attempt.run(y, x);
            outcomes.add(o);
            Reports.progress(label + ", attempt " + i + "/" + ATTEMPTS + ": " + o.summary());
        }
        return outcomes;
    }

    private static String summary(List<ConnectAttempt.Outcome> outcomes) {
        List<Long> times = outcomes.stream().filter(ConnectAttempt.Outcome::connected)
                .map(ConnectAttempt.Outcome::timeToConnectMillis).toList();
        return times.size() + "/" + outcomes.size() + " connected, median " + Reports.median(times) + " ms"
                + outcomes.stream().filter(o -> !o.connected()).findFirst()
                        .map(o -> "; a failure: " + Reports.shorten(o.reason())).orElse("");
    }

    private static String details(List<ConnectAttempt.Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        for (ConnectAttempt.Outcome o : outcomes) {
            b.append(o.summary()).append('\n').append(o.diagnostics()).append('\n');
        }
        return b.toString();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void twoHostsBehindOneRouterConnectWithHairpinningOnAndOff(@TempDir Path work) throws Exception {
        try (NatLab lab = NatLab.up()) {
            lab.ipv4Only("a1", "a2");
            ConnectAttempt attempt = new ConnectAttempt(lab, work);
            for (boolean hairpin : new boolean[] {true, false}) {
                lab.mode('a', NatMode.PORT_RESTRICTED, hairpin);
                String label = "a1 <-> a2 behind port-restricted router A, hairpin " + (hairpin ? "on" : "off");
                List<ConnectAttempt.Outcome> outcomes = attempts(attempt, lab, "a1", "a2", label);
                record(label + ": " + summary(outcomes));
                check(outcomes.stream().allMatch(ConnectAttempt.Outcome::connected), label + "\n" + details(outcomes));
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void ipv6PeersBehindStatefulFirewallsConnectDirectly(@TempDir Path work) throws Exception {
        try (NatLab lab = NatLab.up()) {
            // without IPv4 routes out, only IPv6 can carry the connection
            lab.family("a1", "v6");
            lab.family("b1", "v6");
            String label = "a1 <-> b1 over IPv6, firewalls on both routers";
            List<ConnectAttempt.Outcome> outcomes = attempts(new ConnectAttempt(lab, work), lab, "a1", "b1", label);
            record(label + ": " + summary(outcomes));
            check(outcomes.stream().allMatch(o -> o.connected() && o.path().contains("fd00")),
                    label + "\n" + details(outcomes));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void timeToConnectWithTwentyFiveMillisecondsOfOneWayDelay(@TempDir Path work) throws Exception {
        try (NatLab lab = NatLab.up()) {
            lab.ipv4Only("a1", "b1");
            ConnectAttempt attempt = new ConnectAttempt(lab, work).withOptions("--emulate-delay", "25ms");
            String label = "a1 <-> b1, both routers port-restricted, 25 ms one-way delay on both peers";
            List<ConnectAttempt.Outcome> outcomes = new ArrayList<>();
            int runs = Math.max(ATTEMPTS, 9);
            for (int i = 1; i <= runs; i++) {
                lab.flush('a');
                lab.flush('b');
                ConnectAttempt.Outcome o = i % 2 == 1 ? attempt.run("a1", "b1") : attempt.run("b1", "a1");
                outcomes.add(o);
                Reports.progress(label + ", run " + i + "/" + runs + ": " + o.summary()
                        + (o.connected() ? "\n" + o.diagnostics() : ""));
            }
            List<Long> times = outcomes.stream().filter(ConnectAttempt.Outcome::connected)
                    .map(ConnectAttempt.Outcome::timeToConnectMillis).toList();
            long median = Reports.median(times);
            record(label + ": " + summary(outcomes) + " (all: " + times + " ms; target: median <= "
                    + TIME_TO_CONNECT_TARGET_MILLIS + " ms)");
            check(times.size() == outcomes.size(), label + ": not every attempt connected\n" + details(outcomes));
            // issue 5's target (3 round trips + 50 ms) is measured and reported on every run; it is
            // asserted only on request, since the lab shares the machine's cores with other work
            record("time to connect: target " + (median <= TIME_TO_CONNECT_TARGET_MILLIS ? "met" : "NOT met")
                    + ", median " + median + " ms, target " + TIME_TO_CONNECT_TARGET_MILLIS
                    + " ms (asserted with -Dsrudp.natlab.timing=true)");
            if (Boolean.getBoolean("srudp.natlab.timing")) {
                check(median <= TIME_TO_CONNECT_TARGET_MILLIS, label + ": median " + median + " ms\n" + details(outcomes));
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fiftyMebibytesArriveIntactWhileBothRoutersForgetTheirConnections(@TempDir Path work) throws Exception {
        int size = 50 << 20;
        Path data = work.resolve("data.bin");
        byte[] sentDigest = writeRandom(data, size, 5L);
        Path received = work.resolve("received.bin");
        Path empty = Files.createFile(work.resolve("empty"));
        try (NatLab lab = NatLab.up()) {
            lab.ipv4Only("a1", "b1");
            ConnectAttempt attempt = new ConnectAttempt(lab, work);
            List<String> stun = attempt.stunOptions();
            Path recA = work.resolve("a1.rec");
            Path recB = work.resolve("b1.rec");
            String label = "50 MiB a1 -> b1, both routers port-restricted, conntrack flushed at about 16 MiB";
            try (LabProcess a = LabProcess.start("a1", lab.in("a1", SrudpCli.command(
                    transferArgs(work.resolve("home-a1"), recA, recB, stun))), data, work.resolve("a1.out"))) {
                if (a.await(true, l -> l.startsWith("srudp: reaching the partner"), System.nanoTime() + 30_000 * MS) == null) {
                    fail("a1 did not start: " + a.tail(20));
                }
                try (LabProcess b = LabProcess.start("b1", lab.in("b1", SrudpCli.command(
                        transferArgs(work.resolve("home-b1"), recB, recA, stun))), empty, received)) {
                    long deadline = System.nanoTime() + 240_000 * MS;
                    boolean flushed = false;
                    long flushedAt = 0;
                    while (b.isAlive() && System.nanoTime() < deadline) {
                        if (!flushed && Files.size(received) >= 16 << 20) {
                            lab.flush('a');
                            lab.flush('b');
                            flushed = true;
                            flushedAt = Files.size(received);
                            Reports.progress("flushed both routers' conntrack at " + (flushedAt >> 20) + " MiB received");
                        }
                        b.waitFor(System.nanoTime() + 20 * MS); // observing another process's output file
                    }
                    b.waitFor(deadline);
                    a.waitFor(System.nanoTime() + 15_000 * MS);
                    long got = Files.size(received);
                    boolean intact = got == size && MessageDigest.isEqual(sentDigest, sha256(received));
                    record(label + ": " + (intact ? "intact (SHA-256 equal)" : "NOT intact: " + got + " of " + size
                            + " bytes") + (flushed ? ", flushed at " + (flushedAt >> 20) + " MiB" : ", never flushed")
                            + ", exits a1=" + a.exitCode() + " b1=" + b.exitCode());
                    String why = label + "\na1:\n    " + a.tail(20) + "\nb1:\n    " + b.tail(20);
                    check(flushed && intact && b.exitCode() == 0 && a.exitCode() == 0, why);
                }
            }
        }
    }

    private static List<String> transferArgs(Path home, Path own, Path partner, List<String> stun) {
        List<String> args = new ArrayList<>(List.of("connect", "-v", "--home", home.toString(), "--timeout", "15s"));
        args.addAll(stun);
        args.addAll(List.of("--publish", own.toString(), partner.toString()));
        return args;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theStunClientLearnsItsReflexiveAddressFromCoturn() throws Exception {
        boolean doctor = SrudpCli.hasCommand("doctor");
        if (LabSettings.strict()) {
            assertTrue(doctor, "srudp has no doctor command");
        }
        if (!doctor) {
            Reports.progress("srudp doctor does not exist yet (STUN support has not landed): its lab test is skipped");
        }
        assumeTrue(doctor, "srudp doctor does not exist yet (STUN support has not landed)");
        try (NatLab lab = NatLab.up()) {
            String stun = lab.address("pub4") + ":3478";
            String wan = lab.address("ra4");
            List<String> cmd = lab.in("a1", SrudpCli.command(List.of("doctor", "--stun", stun)));
            try (LabProcess p = LabProcess.start("a1", cmd, null, null)) {
                p.closeStdin();
                boolean done = p.waitFor(System.nanoTime() + 60_000 * MS);
                List<String> lines = new ArrayList<>(p.outLines());
                lines.addAll(p.errLines());
                String output = String.join("\n", lines);
                record("srudp doctor --stun " + stun + " behind port-restricted router A: exit "
                        + (done ? p.exitCode() : "(timed out)") + ", reflexive address "
                        + (output.contains(wan) ? wan + " reported" : "NOT reported"));
                assertTrue(done, "doctor did not finish within 60 s:\n" + output);
                assertEquals(0, p.exitCode(), output);
                assertTrue(output.contains(wan), "doctor does not report the reflexive address " + wan + ":\n" + output);
            }
        }
    }

    /** Writes {@code size} seeded random bytes and returns their SHA-256. */
    private static byte[] writeRandom(Path file, int size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        MessageDigest digest = sha256();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                digest.update(chunk);
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
