package dev.srudp.discovery.autonomi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.discovery.autonomi.gateway.AntTpGateway;
import dev.srudp.discovery.autonomi.gateway.GatewayHttp;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake gateway itself behaves like the network and AntTP, so the directory tests mean something. */
class FakeAntTpSemanticsTest {
    private final ManualScheduler clock = new ManualScheduler(AntTpWorld.START_MILLIS);
    private final FakeNetwork network = new FakeNetwork();
    private final FakeAntTp fake = new FakeAntTp(network, "key", clock::nowMillis, 5_000);
    private final MockWebServer server = new MockWebServer();
    private final GatewayHttp http;
    private final AntTpGateway gateway;

    FakeAntTpSemanticsTest() throws Exception {
        server.setDispatcher(fake);
        server.start();
        http = new GatewayHttp(URI.create(server.url("/").toString()), Duration.ofSeconds(1), 1 << 20);
        gateway = new AntTpGateway(http, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void theNetworkAcceptsOnlyStrictlyLargerCounters() {
        String pad = FakeNetwork.address("k", "scratchpad", "n");
        assertTrue(network.createPad(pad, new byte[] {1}));
        assertFalse(network.createPad(pad, new byte[] {2}), "one scratchpad per key");
        assertTrue(network.putPad(pad, new byte[] {3}, 5));
        assertFalse(network.putPad(pad, new byte[] {4}, 5), "an equal counter is refused");
        assertFalse(network.putPad(pad, new byte[] {4}, 4), "a smaller counter is refused");
        assertTrue(network.putPad(pad, new byte[] {4}, 6));
    }

    @Test
    void aWriteShowsInTheGatewayAtOnceButOnTheNetworkOnlyAfterItsCommandRan() throws Exception {
        String pad = gateway.createScratchpad("n", new byte[] {1});
        assertArrayEquals(new byte[] {1}, gateway.readScratchpad(pad).orElseThrow().content());
        assertTrue(network.pad(pad).isEmpty());
        clock.advance(Duration.ofSeconds(2));
        gateway.readScratchpad(pad);
        assertTrue(network.pad(pad).isPresent());
    }

    @Test
    void aStaleEntryIsServedOnceMoreWhileItIsRefreshed() throws Exception {
        String pad = gateway.createScratchpad("n", new byte[] {1});
        clock.advance(Duration.ofSeconds(3));
        gateway.readScratchpad(pad);
        network.overridePad(pad, new byte[] {9}, 10);
        clock.advance(Duration.ofSeconds(2));
        assertArrayEquals(new byte[] {1}, gateway.readScratchpad(pad).orElseThrow().content(), "still fresh");
        clock.advance(Duration.ofSeconds(2));
        assertArrayEquals(new byte[] {1}, gateway.readScratchpad(pad).orElseThrow().content(), "stale, refreshing");
        assertArrayEquals(new byte[] {9}, gateway.readScratchpad(pad).orElseThrow().content(), "refreshed");
    }

    @Test
    void aMissingPointerIsCachedFor50Seconds() throws Exception {
        String address = fake.pointerAddress("p");
        assertTrue(gateway.readPointer(address).isEmpty());
        network.createPointer(address, "aa".repeat(48));
        clock.advance(Duration.ofSeconds(49));
        assertTrue(gateway.readPointer(address).isEmpty(), "negative cache");
        clock.advance(Duration.ofSeconds(2));
        assertEquals("aa".repeat(48), gateway.readPointer(address).orElseThrow().target());
    }

    @Test
    void aCommandEqualToThePreviousOneIsDroppedAsADuplicate() throws Exception {
        String pad = gateway.createScratchpad("n", new byte[] {1});
        clock.advance(Duration.ofSeconds(3));
        gateway.readScratchpad(pad);
        gateway.updateScratchpad(pad, "n", new byte[] {2}, 0);
        gateway.updateScratchpad(pad, "n", new byte[] {2}, 0);
        clock.advance(Duration.ofSeconds(3));
        gateway.readScratchpad(pad);
        assertEquals(1, network.pad(pad).orElseThrow().counter(), "one update reached the network");
    }
}
