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
