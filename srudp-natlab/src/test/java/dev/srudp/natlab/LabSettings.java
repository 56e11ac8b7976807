package dev.srudp.natlab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the lab tests may do here, from system properties (set in this module's pom) and the
 * environment.
 *
 * <ul>
 *   <li>{@code srudp.natlab} (or the environment variable {@code SRUDP_NATLAB}): {@code off},
 *       {@code quick} (the default: lab build, router self-check, teardown, a smoke connection) or
 *       {@code full} (also the NAT matrix and the scenarios; CI's {@code .ci/run} sets it).
 *   <li>{@code srudp.natlab.strict}: {@code true} makes the matrix and the scenarios assert issue 5's
 *       acceptance; {@code false} (the pom's default until hole punching and STUN have landed) makes
 *       them measure and report only.
 * </ul>
 */
final class LabSettings {
    enum Tier { OFF, QUICK, FULL }

    private LabSettings() {
    }

    static Tier tier() {
        String value = System.getProperty("srudp.natlab");
        if (value == null || value.isBlank()) {
            value = System.getenv("SRUDP_NATLAB");
        }
        if (value == null || value.isBlank()) {
            value = System.getProperty("srudp.natlab.default", "quick");
        }
        return Tier.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    static boolean strict() {
        return Boolean.parseBoolean(System.getProperty("srudp.natlab.strict", "false"));
    }

    static Path script() {
        return Path.of(System.getProperty("srudp.natlab.script", "../lab/natlab.sh")).toAbsolutePath().normalize();
    }

    static Path checker() {
        return script().resolveSibling("natcheck.py");
    }

    static Path report() {
        return Path.of(System.getProperty("srudp.natlab.report", "target/nat-matrix.md")).toAbsolutePath();
    }

    /** Skips the calling test (with the reason) unless the tier allows it and the machine can run the lab. */
    static void assumeLab(Tier needed) {
        Tier tier = tier();
        String skip = null;
        if (tier.compareTo(needed) < 0) {
            skip = "NAT lab " + needed.name().toLowerCase(Locale.ROOT) + " tests skipped: srudp.natlab / SRUDP_NATLAB is "
                    + tier.name().toLowerCase(Locale.ROOT) + " (set it to " + needed.name().toLowerCase(Locale.ROOT)
                    + " to run them)";
        } else {
            String problem = machineProblem();
            if (problem != null) {
                skip = "NAT lab tests skipped: " + problem;
            }
        }
        if (skip != null && SAID.add(skip)) {
            Reports.progress(skip);
        }
        assumeTrue(skip == null, skip);
    }

    private static final java.util.Set<String> SAID = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static String machineProblem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "they need root for network namespaces (CI runs them as root through .ci/run)";
        }
        if (!Files.isExecutable(script())) {
            return "the lab script " + script() + " is missing";
        }
        for (String tool : List.of("/usr/bin/python3")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is missing (apt-get install python3)";
            }
        }
        for (String tool : List.of("ip", "nft", "conntrack", "turnserver")) {
            if (!onPath(tool)) {
                return "'" + tool + "' is missing (apt-get install iproute2 nftables conntrack coturn, "
                        + "or run .ci/run as root)";
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
