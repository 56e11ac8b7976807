package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PacketProtectionPropertyTest {

    private static final byte[] KEY = new byte[32];

    @Property(tries = 300)
    void sealThenOpenGivesBackThePlaintextForAnyHeaderAndPlaintext(
            @ForAll NoiseCipher cipher,
            @ForAll @Size(max = 64) byte[] header,
            @ForAll @Size(max = 1500) byte[] plaintext,
            @ForAll @IntRange(max = 8) int offset,
            @ForAll long packetNumber) {
        byte[] buf = new byte[offset + header.length + plaintext.length + PacketProtection.TAG_LENGTH];
        System.arraycopy(header, 0, buf, offset, header.length);
        System.arraycopy(plaintext, 0, buf, offset + header.length, plaintext.length);
        int length = new PacketProtection(cipher, KEY).seal(packetNumber, buf, offset, header.length, plaintext.length);
        assertEquals(buf.length - offset, length);
        int opened = new PacketProtection(cipher, KEY).open(packetNumber, buf, offset, header.length, length);
        assertEquals(plaintext.length, opened);
        assertArrayEquals(header, Arrays.copyOfRange(buf, offset, offset + header.length));
        assertArrayEquals(plaintext, Arrays.copyOfRange(buf, offset + header.length, offset + header.length + opened));
    }
}
