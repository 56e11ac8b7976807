package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PathMtuSimulationTest {

    private static Pair transferOver(int linkMtu) throws Exception {
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(10)).mtuBytes(linkMtu)
                .bandwidthBitsPerSecond(50_000_000L).queueLimitBytes(1 << 20).build();
        Pair p = new Pair(61, link).connect();
        assertTrue(p.transfer(4 << 20, Duration.ofMinutes(2)).intact(), p.net.describe());
        return p;
    }

    @Test
    void anEthernetPathIsProbedUpToTheConfiguredCeiling() throws Exception {
        Pair p = transferOver(1500);
        assertEquals(1452, p.clientConnection.stats().pathMtu());
    }

    @Test
    void aNarrowerPathSettlesJustBelowItsLimitAndNothingDependsOnFragmentation() throws Exception {
        // IPv4: 1280 - 20 (IP) - 8 (UDP) = 1252 bytes of UDP payload fit
        Pair p = transferOver(1280);
        int mtu = p.clientConnection.stats().pathMtu();
        assertTrue(mtu <= 1252 && mtu > 1252 - 16, "path MTU " + mtu);
        assertTrue(p.net.stats().droppedMtu() > 0, "oversized probes were dropped, as on a real path");
    }

    @Test
    void aPathThatOnlyCarriesTheBaseSizeStaysThere() throws Exception {
        Pair p = transferOver(1228);
        assertEquals(1200, p.clientConnection.stats().pathMtu());
    }

    @Test
    void probingCanBeTurnedOff() throws Exception {
        LinkConditions link = LinkConditions.builder().delay(Duration.ofMillis(10)).build();
        Pair p = new Pair(62, link, EndpointConfig.builder().pathMtuDiscovery(false).build()).connect();
        assertTrue(p.transfer(256 << 10, Duration.ofMinutes(1)).intact());
        assertEquals(1200, p.clientConnection.stats().pathMtu());
    }
}
