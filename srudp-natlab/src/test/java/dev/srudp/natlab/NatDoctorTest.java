package dev.srudp.natlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7: NAT behaviour discovery classifies every lab router mode. {@code srudp doctor -v --stun
 * <coturn primary>} runs on a1 behind router A in each mode; coturn listens on two addresses and
 * two ports (RFC 5780), so doctor can test mapping, filtering and port allocation. The line
 * "published in this peer's record as: ..." is compared with what the mode is. Results go to
 * target/nat-doctor.md and standard output.
 */
class NatDoctorTest {
    private static final long MS = 1_000_000L;
    private static final Pattern PUBLISHED = Pattern.compile(
            "published in this peer's record as: mapping (\\w+), filtering (\\w+), port allocation (\\w+)( \\(step -?\\d+\\))?");

    /** What doctor must report for a mode; null members are not checked. */
    record Expected(Set<String> mapping, String filtering, String allocation) {
        String check(String m, String f, String a) {
            List<String> wrong = new ArrayList<>();
            if (mapping != null && !mapping.contains(m)) {
                wrong.add("mapping " + m + " (expected " + String.join(" or ", mapping) + ")");
            }
            if (filtering != null && !filtering.equals(f)) {
                wrong.add("filtering " + f + " (expected " + filtering + ")");
            }
            if (allocation != null && !a.startsWith(allocation)) {
                wrong.add("port allocation " + a + " (expected " + allocation + ")");
            }
            return wrong.isEmpty() ? null : String.join(", ", wrong);
        }
    }

    static Expected expected(NatMode mode) {
        Set<String> ei = Set.of("ENDPOINT_INDEPENDENT");
        Set<String> dependent = Set.of("ADDRESS_DEPENDENT", "ADDRESS_AND_PORT_DEPENDENT");
        return switch (mode) {
            case FULL_CONE -> new Expected(ei, "ENDPOINT_INDEPENDENT", null);
            case ADDRESS_RESTRICTED -> new Expected(ei, "ADDRESS_DEPENDENT", null);
            case PORT_RESTRICTED -> new Expected(ei, "ADDRESS_AND_PORT_DEPENDENT", null);
            // masquerade fully-random: a new random port for every destination address and port
            case SYMMETRIC_RANDOM -> new Expected(Set.of("ADDRESS_AND_PORT_DEPENDENT"), null, "RANDOM");
            case SYMMETRIC_SEQUENTIAL -> new Expected(dependent, null, "SEQUENTIAL");
            case UDP_BLOCKED -> null;
        };
    }

    @BeforeEach
    void needsTheFullLab() {
        LabSettings.assumeLab(LabSettings.Tier.FULL);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void doctorClassifiesEveryRouterMode() throws Exception {
        Path report = LabSettings.report().resolveSibling("nat-doctor.md");
        StringBuilder table = new StringBuilder("## srudp doctor behind each router mode, "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n\n| mode | exit | mapping | filtering "
                + "| port allocation | verdict |\n|---|---|---|---|---|---|\n");
        List<String> problems = new ArrayList<>();
        long start = System.nanoTime();
        try (NatLab lab = NatLab.up()) {
            lab.ipv4Only("a1");
            String stun = lab.address("pub4") + ":3478";
            for (NatMode mode : NatMode.values()) {
                lab.mode('a', mode, false);
                List<String> cmd = lab.in("a1", SrudpCli.command(List.of("doctor", "-v", "--stun", stun)));
                try (LabProcess p = LabProcess.start("a1", cmd, null, null)) {
                    p.closeStdin();
                    boolean done = p.waitFor(System.nanoTime() + 90_000 * MS);
                    List<String> lines = new ArrayList<>(p.outLines());
                    lines.addAll(p.errLines());
                    String output = String.join("\n", lines);
                    String exit = done ? Integer.toString(p.exitCode()) : "timed out";
                    Matcher m = PUBLISHED.matcher(output);
                    String mapping = "-";
                    String filtering = "-";
                    String allocation = "-";
                    String problem;
                    if (!done) {
                        problem = "did not finish within 90 s";
                    } else if (mode == NatMode.UDP_BLOCKED) {
                        problem = p.exitCode() == 5 && output.contains("no answer from any STUN server") ? null
                                : "expected exit 5 and \"no answer from any STUN server\"";
                    } else if (!m.find()) {
                        problem = "no classification line";
                    } else {
                        mapping = m.group(1);
                        filtering = m.group(2);
                        allocation = m.group(3) + (m.group(4) == null ? "" : m.group(4));
                        problem = p.exitCode() != 0 ? "exit " + p.exitCode()
                                : expected(mode).check(mapping, filtering, allocation);
                    }
                    table.append("| ").append(mode).append(" | ").append(exit).append(" | ").append(mapping)
                            .append(" | ").append(filtering).append(" | ").append(allocation).append(" | ")
                            .append(problem == null ? "correct" : "WRONG: " + problem).append(" |\n");
                    Reports.progress("doctor behind " + mode + ": " + (problem == null ? "correct" : problem)
                            + " (mapping " + mapping + ", filtering " + filtering + ", allocation " + allocation + ")");
                    if (problem != null) {
                        problems.add(mode + ": " + problem + "\n" + output);
                    }
                }
            }
        }
        table.append("\n(").append(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).append(" s)\n");
        Reports.write(report, table.toString());
        System.out.println(table);
        if (LabSettings.strict()) {
            assertTrue(problems.isEmpty(), String.join("\n\n", problems));
        } else if (!problems.isEmpty()) {
            Reports.progress("(strict assertions off) would fail: " + problems.size() + " modes misclassified");
        }
    }
}
