package dev.srudp.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab itself: it builds, every router mode behaves as it claims (lab/natcheck.py, the ground
 * truth for NAT behaviour discovery), it goes away completely, and the srudp command runs in it.
 * Runs by default wherever the lab can run (root, the lab's packages).
 */
class LabInfrastructureTest {

    @BeforeEach
    void needsTheLab() {
        LabSettings.assumeLab(LabSettings.Tier.QUICK);
    }

    @Test
    @Timeout(120)
    void theLabComesUpWithAllItsHostsAndGoesDownWithoutATrace() throws Exception {
        NatLab lab = NatLab.up();
        try {
            assertEquals(NatLab.HOSTS.size(), lab.namespaces().size(), "namespaces of " + lab.prefix);
        } finally {
            lab.close();
        }
        assertEquals(List.of(), lab.namespaces(), "namespaces left behind by " + lab.prefix);
    }

    @Test
    @Timeout(120)
    void aTestThatFailsStillTakesItsLabDown() throws Exception {
        NatLab[] built = new NatLab[1];
        assertThrows(IllegalStateException.class, () -> {
            try (NatLab lab = NatLab.up()) {
                built[0] = lab;
                throw new IllegalStateException("a failing test");
            }
        });
        assertEquals(List.of(), built[0].namespaces());
    }

    @Test
    @Timeout(120)
    void theScriptRefusesAPrefixInUseAndLeavesThatLabAlone() throws Exception {
        try (NatLab lab = NatLab.up()) {
            IOException refused = assertThrows(IOException.class, () -> lab.script("up"));
            assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
            assertEquals(NatLab.HOSTS.size(), lab.namespaces().size());
            IOException badMode = assertThrows(IOException.class, () -> lab.script("mode", "a", "open-door"));
            assertTrue(badMode.getMessage().contains("unknown mode"), badMode.getMessage());
        }
    }

    @Test
    @Timeout(300)
    void everyRouterModeBehavesAsItsNameClaims() throws Exception {
        List<String> failures = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (NatLab lab = NatLab.up()) {
            for (NatMode mode : NatMode.values()) {
                selfCheck(lab, 'a', mode, true, failures, all);
            }
            selfCheck(lab, 'a', NatMode.PORT_RESTRICTED, false, failures, all);
            selfCheck(lab, 'a', NatMode.FULL_CONE, false, failures, all);
            // router B is built by the same code: two modes show its rules take effect there too
            selfCheck(lab, 'b', NatMode.ADDRESS_RESTRICTED, false, failures, all);
            selfCheck(lab, 'b', NatMode.SYMMETRIC_SEQUENTIAL, false, failures, all);
        }
        System.out.print(all);
        assertEquals(List.of(), failures, all.toString());
    }

    private static void selfCheck(NatLab lab, char router, NatMode mode, boolean hairpin, List<String> failures,
            StringBuilder all) throws IOException, InterruptedException {
        List<String> cmd = List.of("/usr/bin/python3", LabSettings.checker().toString(), "check", lab.prefix,
                String.valueOf(router), mode.label, "hairpin", hairpin ? "on" : "off");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        boolean finished = p.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String text = output.join();
        all.append(text);
        System.out.println("natlab: self-check router " + router + " " + mode + " hairpin " + (hairpin ? "on" : "off")
                + ": " + (finished && p.exitValue() == 0 ? "ok" : "FAILED"));
        if (!finished || p.exitValue() != 0) {
            failures.add("router " + router + " " + mode + (finished ? "" : " (timed out)"));
        }
    }

    @Test
    @Timeout(120)
    void lossDropsEverythingAtOneHundredPercentAndNothingAtZero() throws Exception {
        try (NatLab lab = NatLab.up()) {
            lab.loss('a', 100);
            assertEquals("0 of 10 answered", answered(lab, 'a', 10));
            assertEquals("10 of 10 answered", answered(lab, 'b', 10), "router B keeps its own setting");
            lab.loss('a', 0);
            assertEquals("10 of 10 answered", answered(lab, 'a', 10));
        }
    }

    private static String answered(NatLab lab, char router, int count) throws IOException, InterruptedException {
        return NatLab.run(List.of("/usr/bin/python3", LabSettings.checker().toString(), "answered", lab.prefix,
                String.valueOf(router), Integer.toString(count)), 120).trim();
    }

    @Test
    @Timeout(180)
    void aPeerBehindARouterReachesAPeerOnThePublicHostWithTheSrudpCommand(@TempDir Path work) throws Exception {
        try (NatLab lab = NatLab.up()) {
            ConnectAttempt attempt = new ConnectAttempt(lab, work);
            ConnectAttempt.Outcome outcome = attempt.run("pub", "a1");
            System.out.println("natlab: pub <-> a1 behind port-restricted: " + outcome.summary());
            assertTrue(outcome.connected(), outcome.summary() + "\n" + outcome.diagnostics());
            assertNotEquals(-1, outcome.timeToConnectMillis());
        }
    }
}
