package dev.srudp.core.connection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EngineWarmUpTest {
    @Test
    @Timeout(60)
    void aWholeConnectionRunsInMemoryAndItsDataArrivesIntact() {
        assertDoesNotThrow(() -> EngineWarmUp.run(new SecureRandom()));
        assertDoesNotThrow(() -> EngineWarmUp.run(new SecureRandom()));
    }
}
