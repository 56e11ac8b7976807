package dev.srudp.discovery.autonomi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.PeerId;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutonomiAddressTest {
    static final String POINTER = "8f".repeat(48);
    static final String PEER = PeerId.of(new byte[32]).toString();

    @Test
    void anAddressWithAnIdentityRoundTrips() {
        URI uri = URI.create("autonomi:" + POINTER + "?id=" + PEER);
        AutonomiAddress a = AutonomiAddress.parse(uri);
        assertEquals(POINTER, a.pointerAddress());
        assertEquals(Optional.of(PEER), a.identity());
        assertEquals(uri, a.toUri());
    }

    @Test
    void theIdentityIsOptionalAndUppercaseHexIsReadAsLowercase() {
        AutonomiAddress a = AutonomiAddress.parse(URI.create("AUTONOMI:" + POINTER.toUpperCase()));
        assertEquals(POINTER, a.pointerAddress());
        assertTrue(a.identity().isEmpty());
        assertEquals(URI.create("autonomi:" + POINTER), a.toUri());
    }

    @Test
    void malformedAddressesAreRefused() {
        for (String bad : new String[] {"autonomi:" + POINTER.substring(2), "autonomi:" + "zz".repeat(48),
                "file:/tmp/x", "autonomi://" + POINTER, "autonomi:" + POINTER + "?gateway=http://evil",
                "autonomi:" + POINTER + "?id=" + PEER + "&x=1", "autonomi:" + POINTER + "?id=not-a-peer"}) {
            assertThrows(IllegalArgumentException.class, () -> AutonomiAddress.parse(URI.create(bad)), bad);
        }
    }
}
