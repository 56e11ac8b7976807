package dev.srudp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.core.Srudp;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.RecordVerifier;
import dev.srudp.core.record.SequenceStore;
import dev.srudp.discovery.manual.RendezvousCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code srudp doctor} and {@code --stun} against srudp endpoints that answer STUN on loopback. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    private static Endpoint reflector() throws Exception {
        return Srudp.open(EndpointConfig.builder().bind(InetAddress.getLoopbackAddress(), 0).answerStun(true).build());
    }

    private static String spec(Endpoint... reflectors) {
        StringBuilder b = new StringBuilder();
        for (Endpoint e : reflectors) {
            b.append(b.length() == 0 ? "" : ",").append("127.0.0.1:").append(e.localAddresses().get(0).getPort());
        }
        return b.toString();
    }

    private static int freePort() throws java.io.IOException {
        try (java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open()) {
            return ((InetSocketAddress) c.bind(new InetSocketAddress(0)).getLocalAddress()).getPort();
        }
    }

    private record Run(int exitCode, String out) {
    }

    private static Run doctor(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DoctorCommand command = new DoctorCommand();
        new CommandLine(command).parseArgs(args);
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = command.run(out);
        }
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(30)
    void doctorReportsTheReflexiveAddressAndWorkingUdpFromTwoLocalReflectors() throws Exception {
        try (Endpoint a = reflector(); Endpoint b = reflector()) {
            Run run = doctor("--stun", spec(a, b), "--bind", "127.0.0.1");
            assertEquals(ExitCodes.OK, run.exitCode(), run.out());
            String port = run.out().lines().filter(l -> l.startsWith("Local socket: ")).findFirst().orElseThrow()
                    .replaceAll(".*:", "");
            assertTrue(run.out().contains("you are 127.0.0.1:" + port), run.out());
            assertTrue(run.out().contains("Outgoing UDP: works"), run.out());
            assertTrue(run.out().contains("NAT mapping: no NAT"), run.out());
            assertTrue(run.out().contains("Port: preserved"), run.out());
            assertTrue(run.out().contains("What this means: Partners can reach this machine directly"), run.out());
        }
    }

    /**
     * An srudp endpoint on 127.0.0.1 and 127.0.0.2, two ports each: an RFC 5780 server. Ports
     * are tried until both are free on both addresses.
     */
    private static Endpoint behaviourServer() throws Exception {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            int p1 = 20_000 + random.nextInt(30_000);
            int p2 = p1 + 1;
            InetAddress a1 = InetAddress.getByName("127.0.0.1");
            InetAddress a2 = InetAddress.getByName("127.0.0.2");
            try {
                return Srudp.open(EndpointConfig.builder().answerStun(true).bind(new InetSocketAddress(a1, p1),
                        new InetSocketAddress(a1, p2), new InetSocketAddress(a2, p1), new InetSocketAddress(a2, p2))
                        .build());
            } catch (java.io.IOException e) {
                if (attempt > 20) {
                    throw e;
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void doctorClassifiesTheNatWithAnSrudpEndpointActingAsRfc5780Server() throws Exception {
        try (Endpoint server = behaviourServer()) {
            Run run = doctor("--stun", "127.0.0.1:" + server.localAddresses().get(0).getPort(), "--bind", "127.0.0.1");
            assertEquals(ExitCodes.OK, run.exitCode(), run.out());
            assertTrue(run.out().contains("NAT behaviour (RFC 5780 tests):"), run.out());
            assertTrue(run.out().contains("mapping: no NAT"), run.out());
            assertTrue(run.out().contains("filtering: endpoint-independent"), run.out());
            assertTrue(run.out().contains("published in this peer's record as: mapping ENDPOINT_INDEPENDENT, "
                    + "filtering ENDPOINT_INDEPENDENT, port allocation PRESERVING"), run.out());
            assertTrue(run.out().contains("No NAT and no filtering firewall"), run.out());
        }
    }

    @Test
    @Timeout(60)
    void thePublishedInvitationGainsNatHintsAndIsRewrittenWhenTheReflexiveAddressGoes() throws Exception {
        Path file = dir.resolve("me.srudp");
        Endpoint reflector = reflector();
        InetSocketAddress server = reflector.localAddresses().get(0);
        Session session = new Session();
        new CommandLine(new Object() {
            @picocli.CommandLine.Mixin
            Session s = session;
        }).parseArgs("--home", dir.resolve("home").toString(), "--publish", file.toString());
        try (Endpoint endpoint = Srudp.open(EndpointConfig.builder().bind(new InetSocketAddress(0))
                .stunServers(List.of(server)).stunRefreshInterval(java.time.Duration.ofSeconds(1)).build())) {
            session.describeAndPublish(endpoint, List.of(server));
            EndpointRecord first = awaitRecord(file, r -> r.candidates().stream().anyMatch(
                    c -> c.kind() == CandidateKind.REFLEXIVE && c.address().getAddress().isLoopbackAddress())
                    && r.natHints().mapping() != dev.srudp.core.record.NatHints.Mapping.UNKNOWN);
            // the one reflector saw this machine's own (loopback) address: no NAT
            assertEquals(dev.srudp.core.record.NatHints.Mapping.ENDPOINT_INDEPENDENT, first.natHints().mapping());
            reflector.close();
            EndpointRecord after = awaitRecord(file, r -> r.candidates().stream()
                    .noneMatch(c -> c.kind() == CandidateKind.REFLEXIVE));
            assertTrue(after.sequence() > first.sequence());
        } finally {
            reflector.close();
        }
    }

    private static EndpointRecord awaitRecord(Path file, java.util.function.Predicate<EndpointRecord> wanted)
            throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        EndpointRecord last = null;
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(file)) {
                last = new RecordVerifier(Clock.systemUTC(), SequenceStore.inMemory())
                        .check(RendezvousCodec.decode(java.nio.file.Files.readString(file).trim())).orElseThrow();
                if (wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the published record never became as expected; last: " + last);
    }

    @Test
    @Timeout(30)
    void doctorExitsFiveWhenNoServerAnswers() throws Exception {
        int silent;
        try (Endpoint gone = reflector()) {
            silent = gone.localAddresses().get(0).getPort();
        }
        Run run = doctor("--stun", "127.0.0.1:" + silent, "--bind", "127.0.0.1");
        assertEquals(ExitCodes.CONNECT, run.exitCode(), run.out());
        assertTrue(run.out().contains("no answer from the STUN server"), run.out());
        assertTrue(run.out().contains("outgoing UDP seems blocked"), run.out());
    }

    @Test
    void aMalformedStunListIsAUsageError() {
        ExitCodes.Failure f = org.junit.jupiter.api.Assertions.assertThrows(ExitCodes.Failure.class,
                () -> StunServers.resolve("::1", System.err));
        assertEquals(ExitCodes.USAGE, f.code);
        assertTrue(f.getMessage().contains("[::1]:3478"), f.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(ExitCodes.Failure.class,
                () -> StunServers.resolve("127.0.0.1:99999", System.err));
        assertEquals(2, Main.run("doctor", "--stun", "127.0.0.1:x"));
    }

    @Test
    void theListParsesNamesPortsAndBracketedIpv6() throws Exception {
        List<StunServers.Server> servers = StunServers.resolve("127.0.0.1:19302, [::1]:3479 ,127.0.0.2", System.err);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 19302), new InetSocketAddress("::1", 3479),
                new InetSocketAddress("127.0.0.2", 3478)), StunServers.addresses(servers));
        assertEquals(List.of(), StunServers.resolve("none", System.err));
    }

    @Test
    void testsRunWithThePublicDefaultTurnedOff() {
        assertEquals("none", StunServers.effective(null));
    }

    @Test
    @Timeout(60)
    void anInvitationListsTheReflexiveAddressTheStunServerSaw() throws Exception {
        try (Endpoint r = reflector()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            int code;
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                System.setOut(out);
                code = Main.run("invite", "--home", dir.toString(), "--port", String.valueOf(freePort()), "--stun",
                        spec(r));
            } finally {
                System.setOut(saved);
            }
            assertEquals(0, code);
            String text = bytes.toString(StandardCharsets.UTF_8).trim();
            EndpointRecord record = new RecordVerifier(Clock.systemUTC(), SequenceStore.inMemory())
                    .check(RendezvousCodec.decode(text)).orElseThrow();
            assertTrue(record.candidates().stream().anyMatch(c -> c.kind() == CandidateKind.REFLEXIVE
                    && c.address().getAddress().isLoopbackAddress()), record.toString());
            assertTrue(record.candidates().stream().noneMatch(c -> c.kind() == CandidateKind.HOST
                    && c.address().getAddress().isLoopbackAddress()), "loopback is a host candidate only when asked");
        }
    }
}
