package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkConditionsTest {

    @Test
    void perfectLinkHasTheDocumentedDefaults() {
        LinkConditions perfect = LinkConditions.PERFECT;
        assertEquals(0.0, perfect.lossProbability());
        assertEquals(0.0, perfect.duplicationProbability());
        assertEquals(0.0, perfect.reorderProbability());
        assertEquals(Duration.ofMillis(1), perfect.delay());
        assertEquals(Duration.ZERO, perfect.jitter());
        assertEquals(0, perfect.bandwidthBitsPerSecond());
        assertEquals(1500, perfect.mtuBytes());
        assertEquals(256 * 1024, perfect.queueLimitBytes());
        assertEquals(Duration.ofMillis(10), perfect.reorderExtraDelay());
    }

    @Test
    void builderRejectsValuesOutsideTheirRangeWithAClearMessage() {
        var builder = LinkConditions.builder();
        var e = assertThrows(IllegalArgumentException.class, () -> builder.lossProbability(1.5));
        assertTrue(e.getMessage().contains("lossProbability"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.duplicationProbability(-0.1));
        assertThrows(IllegalArgumentException.class, () -> builder.reorderProbability(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> builder.delay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.jitter(Duration.ofDays(400)));
        assertThrows(NullPointerException.class, () -> builder.reorderExtraDelay(null));
        assertThrows(IllegalArgumentException.class, () -> builder.bandwidthBitsPerSecond(-1));
        assertThrows(IllegalArgumentException.class, () -> builder.queueLimitBytes(0));
        assertThrows(IllegalArgumentException.class, () -> builder.mtuBytes(67));
        assertThrows(IllegalArgumentException.class, () -> builder.mtuBytes(65_536));
    }

    @Test
    void toBuilderRoundTripsEveryValue() {
        LinkConditions conditions = LinkConditions.builder()
                .lossProbability(0.1).duplicationProbability(0.2).reorderProbability(0.3)
                .reorderExtraDelay(Duration.ofMillis(4)).delay(Duration.ofMillis(5)).jitter(Duration.ofMillis(6))
                .bandwidthBitsPerSecond(7_000).queueLimitBytes(8_000).mtuBytes(1280)
                .build();
        assertEquals(conditions, conditions.toBuilder().build());
        assertEquals(conditions.hashCode(), conditions.toBuilder().build().hashCode());
    }

    @Test
    void datagramCopiesItsPayloadOnTheWayInAndOut() {
        byte[] bytes = {1, 2, 3};
        Datagram d = new Datagram(Payloads.address("10.0.0.1", 1), Payloads.address("10.0.0.2", 2), bytes);
        bytes[0] = 9;
        assertEquals(1, d.payload()[0]);
        d.payload()[1] = 9;
        assertEquals(2, d.payload()[1]);
        assertEquals(d, d.withPayload(new byte[] {1, 2, 3}));
        assertEquals(d.to(), d.reflected().from());
    }
}
