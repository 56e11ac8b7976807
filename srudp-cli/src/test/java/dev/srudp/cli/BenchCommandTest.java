package dev.srudp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BenchCommandTest {

    @Test
    @Timeout(60)
    void aTinyBenchRunsAllCasesAgainstAChildProcessAndPrintsTheSummary() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = Main.run("bench", "--runs", "1", "--seconds", "1", "--idle", "50", "--warmup", "0");
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        assertEquals(ExitCodes.OK, code);
        assertTrue(text.contains("round 1 of 1"), text);
        assertTrue(text.contains("median (min .. max) over 1 round(s)"), text);
        assertTrue(text.matches("(?s).*raw UDP\\s+\\d+\\.\\d.*"), text);
        assertTrue(text.matches("(?s).*srudp handshakes, sequential\\s+\\d+\\.\\d.*"), text);
        assertTrue(text.matches("(?s).*handshakes per CPU-second, both ends\\s+\\d+\\.\\d.*"), text);
        assertTrue(text.matches("(?s).*heap per idle connection, responder\\s+-?\\d+ bytes.*"), text);
        assertTrue(text.matches("(?s).*ratio srudp/raw UDP: median \\d+\\.\\d{3}.*"), text);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, BenchCommand.median(new double[] {1, 2, 3, 4}));
        assertEquals(3.0, BenchCommand.median(new double[] {1, 3, 9}));
    }
}
