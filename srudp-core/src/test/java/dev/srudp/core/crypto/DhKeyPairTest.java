package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DhKeyPairTest {

    @Test
    void agreementMatchesRfc7748Section61() throws Exception {
        DhKeyPair alice = DhKeyPair.fromPrivateKey(TestHex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        DhKeyPair bob = DhKeyPair.fromPrivateKey(TestHex.decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", TestHex.encode(alice.publicKey()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", TestHex.encode(bob.publicKey()));
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, TestHex.encode(X25519.agree(alice.privateKey(), bob.publicKey())));
        assertEquals(shared, TestHex.encode(X25519.agree(bob.privateKey(), alice.publicKey())));
    }

    @Test
    void agreementWithALowOrderPointIsRefused() {
        DhKeyPair pair = DhKeyPair.generate(new SecureRandom());
        assertThrows(X25519.LowOrderPointException.class, () -> X25519.agree(pair.privateKey(), new byte[32]));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(X25519.LowOrderPointException.class, () -> X25519.agree(pair.privateKey(), one));
    }

    @Test
    void keysAreCopiedInAndOut() {
        byte[] privateKey = new byte[32];
        privateKey[0] = 9;
        DhKeyPair pair = DhKeyPair.fromPrivateKey(privateKey);
        privateKey[0] = 10;
        pair.privateKey()[0] = 11;
        pair.publicKey()[0] ^= 1;
        assertEquals(9, pair.privateKey()[0]);
        assertArrayEquals(DhKeyPair.fromPrivateKey(pair.privateKey()).publicKey(), pair.publicKey());
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DhKeyPair.fromPrivateKey(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[32], new byte[33]));
    }

    @Test
    void keyPairsAreEqualWhenTheirPrivateKeysAre() {
        byte[] privateKey = new byte[32];
        privateKey[5] = 1;
        assertEquals(DhKeyPair.fromPrivateKey(privateKey), DhKeyPair.fromPrivateKey(privateKey));
        assertEquals(DhKeyPair.fromPrivateKey(privateKey).hashCode(), DhKeyPair.fromPrivateKey(privateKey).hashCode());
        org.junit.jupiter.api.Assertions.assertNotEquals(DhKeyPair.fromPrivateKey(privateKey), DhKeyPair.generate(new SecureRandom()));
    }
}
