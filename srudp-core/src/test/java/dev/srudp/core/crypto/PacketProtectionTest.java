package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PacketProtectionTest {

    private static final byte[] KEY = TestHex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static final int OFFSET = 5;
    private static final int HEADER = 9;
    private static final byte[] PLAINTEXT = "a datagram of reliable stream data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A buffer with junk before the packet, a header, the plaintext and room for the tag. */
    private static byte[] buffer() {
        byte[] buf = new byte[OFFSET + HEADER + PLAINTEXT.length + PacketProtection.TAG_LENGTH + 7];
        Arrays.fill(buf, (byte) 0x5a);
        for (int i = 0; i < HEADER; i++) {
            buf[OFFSET + i] = (byte) i;
        }
        System.arraycopy(PLAINTEXT, 0, buf, OFFSET + HEADER, PLAINTEXT.length);
        return buf;
    }

    private static int sealed(NoiseCipher cipher, long pn, byte[] buf) {
        return new PacketProtection(cipher, KEY).seal(pn, buf, OFFSET, HEADER, PLAINTEXT.length);
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void aSealedPacketOpensInPlaceToItsPlaintext(NoiseCipher cipher) {
        byte[] buf = buffer();
        int length = sealed(cipher, 42, buf);
        assertEquals(HEADER + PLAINTEXT.length + PacketProtection.TAG_LENGTH, length);
        PacketProtection receiver = new PacketProtection(cipher, KEY);
        assertEquals(PLAINTEXT.length, receiver.open(42, buf, OFFSET, HEADER, length));
        assertArrayEquals(PLAINTEXT, Arrays.copyOfRange(buf, OFFSET + HEADER, OFFSET + HEADER + PLAINTEXT.length));
        assertEquals(0x5a, buf[OFFSET - 1]);
        assertEquals(0x5a, buf[OFFSET + length]);
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void inPlaceSealingMatchesTheCipherOnSeparateBuffers(NoiseCipher cipher) throws Exception {
        byte[] buf = buffer();
        int length = sealed(cipher, 7, buf);
        byte[] header = Arrays.copyOfRange(buf, OFFSET, OFFSET + HEADER);
        byte[] expected = CipherStateTest.jdkEncrypt(cipher, KEY, 7, header, PLAINTEXT);
        assertArrayEquals(expected, Arrays.copyOfRange(buf, OFFSET + HEADER, OFFSET + length));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void aChangeToHeaderCiphertextOrTagFailsToOpen(NoiseCipher cipher) {
        PacketProtection receiver = new PacketProtection(cipher, KEY);
        int[] positions = {0, HEADER - 1, HEADER, HEADER + PLAINTEXT.length - 1, HEADER + PLAINTEXT.length,
            HEADER + PLAINTEXT.length + PacketProtection.TAG_LENGTH - 1};
        for (int position : positions) {
            byte[] buf = buffer();
            int length = sealed(cipher, 3, buf);
            buf[OFFSET + position] ^= 0x10;
            assertEquals(-1, receiver.open(3, buf, OFFSET, HEADER, length), "byte " + position);
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void aTruncatedOrMisnumberedOrMisframedPacketFailsToOpen(NoiseCipher cipher) {
        PacketProtection receiver = new PacketProtection(cipher, KEY);
        byte[] buf = buffer();
        int length = sealed(cipher, 3, buf);
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, HEADER, length - 1));
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, HEADER, HEADER + PacketProtection.TAG_LENGTH - 1));
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, HEADER, 0));
        assertEquals(-1, receiver.open(4, buf.clone(), OFFSET, HEADER, length));
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, HEADER + 1, length));
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, -1, length));
        assertEquals(-1, receiver.open(3, buf.clone(), -1, HEADER, length));
        assertEquals(-1, receiver.open(3, buf.clone(), OFFSET, HEADER, buf.length));
        assertEquals(-1, receiver.open(3, null, OFFSET, HEADER, length));
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertEquals(-1, new PacketProtection(cipher, otherKey).open(3, buf.clone(), OFFSET, HEADER, length));
        assertEquals(PLAINTEXT.length, receiver.open(3, buf, OFFSET, HEADER, length));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void sealingRefusesABufferWithoutRoomForTheTag(NoiseCipher cipher) {
        PacketProtection sender = new PacketProtection(cipher, KEY);
        byte[] buf = new byte[HEADER + PLAINTEXT.length + PacketProtection.TAG_LENGTH - 1];
        assertThrows(IllegalArgumentException.class, () -> sender.seal(1, buf, 0, HEADER, PLAINTEXT.length));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void aForgedPacketDoesNotBlockTheGenuinePacketWithTheSameNumber(NoiseCipher cipher) {
        PacketProtection receiver = new PacketProtection(cipher, KEY);
        byte[] genuine = buffer();
        int length = sealed(cipher, 11, genuine);
        byte[] forged = genuine.clone();
        forged[OFFSET + HEADER] ^= 1;
        assertEquals(-1, receiver.open(11, forged, OFFSET, HEADER, length));
        assertEquals(-1, receiver.open(11, forged.clone(), OFFSET, HEADER, length));
        assertEquals(PLAINTEXT.length, receiver.open(11, genuine, OFFSET, HEADER, length));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void sealingTheSamePacketNumberTwiceInARowIsRefused(NoiseCipher cipher) {
        PacketProtection sender = new PacketProtection(cipher, KEY);
        sender.seal(1, buffer(), OFFSET, HEADER, PLAINTEXT.length);
        assertThrows(IllegalStateException.class, () -> sender.seal(1, buffer(), OFFSET, HEADER, PLAINTEXT.length));
    }
}
