package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void theWarmUpRunsEveryPrimitiveAndItsSelfChecksPass() {
        // run twice: the second run meets the caches (certificate, secrets) a first run may fill
        assertDoesNotThrow(() -> WarmUp.run(new SecureRandom()));
        assertDoesNotThrow(() -> WarmUp.run(new SecureRandom()));
    }

    @Test
    void startingItTwiceIsHarmless() {
        WarmUp.startOnce();
        WarmUp.startOnce();
    }
}
