package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyUpdateSimulationTest {

    @Test
    void keysAreUpdatedHundredsOfTimesInOneTransferUnderLossAndReordering() throws Exception {
        EndpointConfig config = EndpointConfig.builder().keyUpdateAfterPackets(16).build();
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(2))
                .lossProbability(0.02).reorderProbability(0.05).reorderExtraDelay(Duration.ofMillis(20))
                .duplicationProbability(0.01).bandwidthBitsPerSecond(50_000_000L).queueLimitBytes(1 << 20).build();
        Pair p = new Pair(41, link, config).connect();
        Transfer t = p.transfer(4 << 20, Duration.ofMinutes(10));
        assertTrue(t.intact(), p.net.describe());
        long clientUpdates = p.clientConnection.stats().keyUpdates();
        long serverUpdates = p.serverConnection.stats().keyUpdates();
        assertTrue(clientUpdates >= 100, "client key updates: " + clientUpdates);
        assertTrue(serverUpdates >= 50, "server key updates: " + serverUpdates);
        assertTrue(p.clientConnection.isOpen() && p.serverConnection.isOpen());
    }
}
