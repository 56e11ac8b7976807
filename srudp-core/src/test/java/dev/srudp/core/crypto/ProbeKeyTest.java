package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProbeKeyTest {
    private final SecureRandom random = new SecureRandom(new byte[] {1, 2, 3});
    private final DhKeyPair a = DhKeyPair.generate(random);
    private final DhKeyPair b = DhKeyPair.generate(random);
    private final DhKeyPair c = DhKeyPair.generate(random);
    private final byte[] message = "a probe's bytes before its tag".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void bothSidesDeriveTheSameKey() throws Exception {
        byte[] fromA = ProbeKey.derive(a, b.publicKey()).tag(message, 0, message.length);
        byte[] fromB = ProbeKey.derive(b, a.publicKey()).tag(message, 0, message.length);
        assertEquals(ProbeKey.TAG_LENGTH, fromA.length);
        assertArrayEquals(fromA, fromB);
    }

    @Test
    void anotherPairOfKeysGivesAnotherTag() throws Exception {
        byte[] ab = ProbeKey.derive(a, b.publicKey()).tag(message, 0, message.length);
        byte[] ac = ProbeKey.derive(a, c.publicKey()).tag(message, 0, message.length);
        assertFalse(java.util.Arrays.equals(ab, ac));
    }

    @Test
    void aTamperedMessageOrTagDoesNotVerify() throws Exception {
        ProbeKey k = ProbeKey.derive(a, b.publicKey());
        byte[] withTag = java.util.Arrays.copyOf(message, message.length + ProbeKey.TAG_LENGTH);
        System.arraycopy(k.tag(message, 0, message.length), 0, withTag, message.length, ProbeKey.TAG_LENGTH);
        assertTrue(k.verify(withTag, 0, message.length, message.length));
        for (int i = 0; i < withTag.length; i++) {
            byte[] bad = withTag.clone();
            bad[i] ^= 1;
            assertFalse(k.verify(bad, 0, message.length, message.length), "byte " + i);
        }
    }

    @Test
    void aLowOrderPeerKeyIsRefused() {
        assertThrows(X25519.LowOrderPointException.class, () -> ProbeKey.derive(a, new byte[32]));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        // RFC 5869, appendix A.1 (SHA-256, L = 42); the first 32 bytes of OKM are T(1)
        HexFormat hex = HexFormat.of();
        byte[] okm = ProbeKey.hkdfSha256(hex.parseHex("000102030405060708090a0b0c"),
                hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"));
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf", hex.formatHex(okm));
    }
}
