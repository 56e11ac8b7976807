package dev.srudp.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @Test
    void requestsAndResponsesOfBothFamiliesRoundTrip() throws Exception {
        for (InetSocketAddress a : new InetSocketAddress[] {new InetSocketAddress("203.0.113.7", 4433),
                new InetSocketAddress("2001:db8::1", 65535), new InetSocketAddress("10.0.0.1", 1)}) {
            for (int flags = 0; flags < 4; flags++) {
                Probe p = new Probe(flags, KEY, 0x1122334455667788L, 99, a);
                byte[] bytes = p.encodeUntagged();
                assertEquals(Probe.LENGTH, bytes.length);
                assertEquals(0xC7, bytes[0] & 0xff);
                assertEquals(p, Probe.decode(bytes));
            }
        }
    }

    @Test
    void aResponseIsExactlyAsLongAsItsRequest() {
        Probe request = new Probe(Probe.FLAG_PUNCHING, KEY, 1, 2, new InetSocketAddress("2001:db8::9", 1));
        Probe response = new Probe(Probe.FLAG_RESPONSE, KEY, 1, 2, new InetSocketAddress("198.51.100.3", 2));
        assertEquals(request.encodeUntagged().length, response.encodeUntagged().length);
    }

    @Test
    void wrongLengthsVersionsFlagsAndFamiliesAreRefused() {
        byte[] good = new Probe(0, KEY, 1, 2, new InetSocketAddress("203.0.113.7", 9)).encodeUntagged();
        assertThrows(WireFormatException.class, () -> Probe.decode(Arrays.copyOf(good, Probe.LENGTH - 1)));
        assertThrows(WireFormatException.class, () -> Probe.decode(Arrays.copyOf(good, Probe.LENGTH + 1)));
        for (int[] change : new int[][] {{1, 2}, {2, 0x80}, {3, 1}, {48, 5}, {49, 1}, {60, 1}}) {
            byte[] bad = good.clone();
            bad[change[0]] = (byte) change[1];
            assertThrows(WireFormatException.class, () -> Probe.decode(bad), Arrays.toString(change));
        }
    }

    @Test
    void anyByteStringEitherDecodesOrThrowsWireFormatException() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] good = new Probe(0, KEY, 1, 2, new InetSocketAddress("203.0.113.7", 9)).encodeUntagged();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = i % 2 == 0 ? new byte[r.nextInt(0, 200)] : good.clone();
            for (int j = 0; j < b.length; j++) {
                if (i % 2 == 0 || r.nextInt(20) == 0) {
                    b[j] = (byte) r.nextInt(256);
                }
            }
            try {
                Probe p = Probe.decode(b);
                assertArrayEquals(Arrays.copyOf(b, Probe.TAG_OFFSET), Arrays.copyOf(p.encodeUntagged(), Probe.TAG_OFFSET));
            } catch (WireFormatException expected) {
                assertTrue(expected.getMessage() != null);
            }
        }
    }
}
