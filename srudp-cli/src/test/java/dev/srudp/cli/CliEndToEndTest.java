package dev.srudp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code srudp} processes on loopback, each with its own home, as a person would run them. */
class CliEndToEndTest {
    @TempDir
    Path dir;

    private ProcessBuilder srudp(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private String output(String... args) throws Exception {
        Process p = srudp(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "srudp " + String.join(" ", args));
        return out;
    }

    private Path randomFile(String name, int bytes, long seed) throws IOException {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    private static int finish(Process p, Path err) throws Exception {
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("srudp did not finish; its messages: " + Files.readString(err));
        }
        return p.exitValue();
    }

    @Test
    @Timeout(180)
    void twoProcessesExchangeTenMebibytesThroughStandardInputAndOutputInBothDirections() throws Exception {
        String homeA = dir.resolve("a").toString();
        String homeB = dir.resolve("b").toString();
        String inviteA = output("invite", "--home", homeA, "--bind", "127.0.0.1");
        String inviteB = output("invite", "--home", homeB, "--bind", "127.0.0.1");
        Path inA = randomFile("in-a", 10 << 20, 1);
        Path inB = randomFile("in-b", 10 << 20, 2);
        exchange(inA, inB, List.of("connect", "--home", homeA, "--bind", "127.0.0.1", inviteB),
                List.of("connect", "--home", homeB, "--bind", "127.0.0.1", inviteA));
    }

    @Test
    @Timeout(180)
    void peersThatOnlyShareAFolderFindEachOtherThroughTheirInvitationFiles() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path fileA = shared.resolve("a.srudp");
        Path fileB = shared.resolve("b.srudp");
        Path inA = randomFile("in-a", 1 << 20, 4);
        Path inB = randomFile("in-b", 1 << 20, 5);
        // A starts first and waits for B's file to appear
        exchange(inA, inB,
                List.of("connect", "-v", "--home", dir.resolve("a").toString(), "--bind", "127.0.0.1", "--publish",
                        fileA.toString(), fileB.toString()),
                List.of("connect", "-v", "--home", dir.resolve("b").toString(), "--bind", "127.0.0.1", "--publish",
                        fileB.toString(), fileA.toString()));
        // the lines the NAT lab's harness parses (docs/cli.md)
        String both = Files.readString(dir.resolve("err-a")) + Files.readString(dir.resolve("err-b"));
        assertTrue(both.matches("(?s).*srudp: punching [a-z0-9]{4}-[a-z0-9-]+: 1 candidate pairs\\R.*"), both);
        assertTrue(both.matches("(?s).*srudp: direct path 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+ \\(host\\) after "
                + "\\d+ ms, \\d+ probes\\R.*"), both);
    }

    @Test
    @Timeout(60)
    void aPartnerThatNeverAnswersIsReportedWithTheReasonWithinFifteenSeconds() throws Exception {
        String homeB = dir.resolve("b").toString();
        // B's invitation names a port where nobody runs
        String inviteB = output("invite", "--home", homeB, "--bind", "127.0.0.1", "--port", "9");
        Path errA = dir.resolve("err-a");
        long start = System.nanoTime();
        Process a = srudp("connect", "--home", dir.resolve("a").toString(), "--bind", "127.0.0.1", "--timeout", "15s",
                inviteB).redirectError(errA.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        a.getOutputStream().close();
        int code = finish(a, errA);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        String err = Files.readString(errA);
        assertEquals(ExitCodes.CONNECT, code, err);
        assertTrue(seconds <= 20, seconds + " s");
        assertTrue(err.matches("(?s).*srudp: cannot reach [a-z0-9-]+: no candidate pair answered in 10 s.*"), err);
    }

    /**
     * Runs the two commands at once, A first, each fed one file on standard input; both must exit 0
     * and each must print exactly what the other was fed.
     */
    private void exchange(Path inA, Path inB, List<String> commandA, List<String> commandB) throws Exception {
        Path outA = dir.resolve("out-a");
        Path outB = dir.resolve("out-b");
        Path errA = dir.resolve("err-a");
        Path errB = dir.resolve("err-b");
        Process a = srudp(commandA.toArray(String[]::new)).redirectInput(inA.toFile()).redirectOutput(outA.toFile())
                .redirectError(errA.toFile()).start();
        Process b = srudp(commandB.toArray(String[]::new)).redirectInput(inB.toFile()).redirectOutput(outB.toFile())
                .redirectError(errB.toFile()).start();
        assertEquals(0, finish(a, errA), Files.readString(errA));
        assertEquals(0, finish(b, errB), Files.readString(errB));
        assertArrayEquals(sha256(inA), sha256(outB), "A to B");
        assertArrayEquals(sha256(inB), sha256(outA), "B to A");
    }

    @Test
    @Timeout(180)
    void sendAndReceiveMoveAFileIntactAndLeaveNoPartialFile() throws Exception {
        String homeA = dir.resolve("a").toString();
        String homeB = dir.resolve("b").toString();
        String inviteA = output("invite", "--home", homeA, "--bind", "127.0.0.1");
        String inviteB = output("invite", "--home", homeB, "--bind", "127.0.0.1");
        Path file = randomFile("payload.bin", 5 << 20, 3);
        Path target = Files.createDirectories(dir.resolve("received"));
        Path errR = dir.resolve("err-r");
        Path errS = dir.resolve("err-s");
        Process receiver = srudp("receive", "--home", homeB, "--bind", "127.0.0.1", "--dir", target.toString(), inviteA)
                .redirectError(errR.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process sender = srudp("send", "--home", homeA, "--bind", "127.0.0.1", file.toString(), inviteB)
                .redirectError(errS.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, finish(sender, errS), Files.readString(errS));
        assertEquals(0, finish(receiver, errR), Files.readString(errR));
        assertArrayEquals(sha256(file), sha256(target.resolve("payload.bin")));
        try (var listing = Files.list(target)) {
            assertEquals(1, listing.count(), "no partial file is left behind");
        }
    }

    @Test
    void aMistypedInvitationIsRefusedAtOnceWithItsPosition() throws Exception {
        String home = dir.resolve("a").toString();
        String invite = output("invite", "--home", home, "--bind", "127.0.0.1");
        char[] typo = invite.toCharArray();
        int at = 20;
        typo[at] = typo[at] == 'x' ? 'y' : 'x';
        Process p = srudp("connect", "--home", dir.resolve("b").toString(), "--bind", "127.0.0.1", "--timeout", "5s",
                new String(typo)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(ExitCodes.PARTNER, p.exitValue(), err);
        assertTrue(err.contains("position"), err);
    }

    @Test
    void theIdentityPersistsAndAnUnsafeKeyFileIsRefused() throws Exception {
        Path home = dir.resolve("a");
        String first = output("id", "--home", home.toString());
        String second = output("id", "--home", home.toString());
        assertEquals(first.lines().findFirst(), second.lines().findFirst(), "same peer id on every run");
        assertFalse(first.isEmpty());
        Path key = home.resolve("identity");
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Process p = srudp("id", "--home", home.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(ExitCodes.IDENTITY, p.exitValue(), err);
        }
    }
}
