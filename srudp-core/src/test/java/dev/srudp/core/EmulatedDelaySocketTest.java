package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.config;
import static dev.srudp.core.SocketTestSupport.get;
import static dev.srudp.core.SocketTestSupport.ik;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The emulated delay on real loopback sockets: the handshake round trip cannot beat it. */
class EmulatedDelaySocketTest {

    @Test
    @Timeout(30)
    void aHandshakeBetweenTwoDelayedEndpointsTakesAtLeastOneDelayedRoundTrip() throws Exception {
        Duration oneWay = Duration.ofMillis(40);
        try (Endpoint server = Srudp.open(config(V4).emulatedDelay(oneWay).build());
                Endpoint client = Srudp.open(config(V4).emulatedDelay(oneWay).build())) {
            CompletableFuture<Connection> accepted = server.acceptAsync();
            long start = System.nanoTime();
            Connection c = client.connect(ik(server));
            long elapsedNanos = System.nanoTime() - start;
            assertTrue(elapsedNanos >= 2 * oneWay.toNanos(),
                    "handshake took " + elapsedNanos / 1_000_000 + " ms, less than one round trip of 80 ms");

            SrudpStream out = c.openStream();
            out.getOutputStream().write(new byte[] {1, 2, 3});
            out.getOutputStream().close();
            Connection s = get(accepted);
            SrudpStream in = s.acceptStream();
            assertArrayEquals(new byte[] {1, 2, 3}, in.getInputStream().readAllBytes());
        }
    }

    @Test
    void theDelayIsOffByDefaultAndMustLieBetweenZeroAndTenSeconds() {
        assertEquals(Duration.ZERO, EndpointConfig.defaults().emulatedDelay());
        assertThrows(IllegalArgumentException.class, () -> EndpointConfig.builder().emulatedDelay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> EndpointConfig.builder().emulatedDelay(Duration.ofSeconds(11)));
        assertEquals(Duration.ofMillis(25),
                EndpointConfig.builder().emulatedDelay(Duration.ofMillis(25)).build().toBuilder().build().emulatedDelay());
    }
}
