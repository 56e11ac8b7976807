package dev.srudp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DemoCommandTest {

    @Test
    @Timeout(60)
    void theDemoMovesDataBetweenTwoLoopbackPeersAndSucceeds() {
        assertEquals(ExitCodes.OK, Main.run("demo", "--mib", "2"));
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(ExitCodes.USAGE, Main.run("no-such-command"));
    }
}
