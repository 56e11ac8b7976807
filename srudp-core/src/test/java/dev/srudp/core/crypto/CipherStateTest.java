package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CipherStateTest {

    private static final byte[] KEY = TestHex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** ENCRYPT(k, n, ad, plaintext) straight from the JDK, as the reference. */
    static byte[] jdkEncrypt(NoiseCipher cipher, byte[] key, long n, byte[] ad, byte[] plaintext) throws Exception {
        Cipher c = Cipher.getInstance(cipher.transformation());
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, cipher.keyAlgorithm()), cipher.parameters(cipher.nonce(n)));
        c.updateAAD(ad);
        return c.doFinal(plaintext);
    }

    @Test
    void aesGcmNoncesAreBigEndianAndChaChaPolyNoncesLittleEndianAfterFourZeroBytes() {
        assertEquals("000000000000000000000102", TestHex.encode(NoiseCipher.AESGCM.nonce(0x0102)));
        assertEquals("000000000201000000000000", TestHex.encode(NoiseCipher.CHACHAPOLY.nonce(0x0102)));
        assertEquals("00000000ffffffffffffffff", TestHex.encode(NoiseCipher.AESGCM.nonce(-1L)));
        assertEquals("AESGCM", NoiseCipher.AESGCM.token());
        assertEquals("ChaChaPoly", NoiseCipher.CHACHAPOLY.token());
    }

    @Test
    void anEmptyCipherStatePassesDataThroughWithoutUsingNonces() throws Exception {
        CipherState state = new CipherState(NoiseCipher.AESGCM, null);
        assertFalse(state.hasKey());
        assertArrayEquals(new byte[] {1, 2}, state.encryptWithAd(new byte[] {9}, new byte[] {1, 2}));
        assertArrayEquals(new byte[] {3}, state.decryptWithAd(new byte[] {9}, new byte[] {3}));
        assertEquals(0, state.nonce());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void eachEncryptionUsesTheNextNonce(NoiseCipher cipher) throws Exception {
        CipherState state = new CipherState(cipher, KEY);
        byte[] ad = {4, 5};
        for (long n = 0; n < 3; n++) {
            assertEquals(n, state.nonce());
            assertArrayEquals(jdkEncrypt(cipher, KEY, n, ad, new byte[] {(byte) n}), state.encryptWithAd(ad, new byte[] {(byte) n}));
        }
        assertEquals(3, state.nonce());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void aFailedDecryptionLeavesTheNonceWhereItWas(NoiseCipher cipher) throws Exception {
        CipherState sender = new CipherState(cipher, KEY);
        CipherState receiver = new CipherState(cipher, KEY);
        byte[] ciphertext = sender.encryptWithAd(null, new byte[] {1, 2, 3});
        byte[] tampered = ciphertext.clone();
        tampered[0] ^= 1;
        assertThrows(AeadException.class, () -> receiver.decryptWithAd(null, tampered));
        assertThrows(AeadException.class, () -> receiver.decryptWithAd(new byte[] {1}, ciphertext));
        assertThrows(AeadException.class, () -> receiver.decryptWithAd(null, new byte[15]));
        assertEquals(0, receiver.nonce());
        assertArrayEquals(new byte[] {1, 2, 3}, receiver.decryptWithAd(null, ciphertext));
        assertEquals(1, receiver.nonce());
    }

    @Test
    void theMaximumNonceIsReserved() throws Exception {
        CipherState sender = new CipherState(NoiseCipher.AESGCM, KEY);
        CipherState receiver = new CipherState(NoiseCipher.AESGCM, KEY);
        sender.setNonce(-2L);
        receiver.setNonce(-2L);
        byte[] last = sender.encryptWithAd(null, new byte[0]);
        assertArrayEquals(new byte[0], receiver.decryptWithAd(null, last));
        assertEquals(CipherState.MAX_NONCE, sender.nonce());
        assertThrows(IllegalStateException.class, () -> sender.encryptWithAd(null, new byte[0]));
        assertThrows(AeadException.class, () -> receiver.decryptWithAd(null, last));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void rekeyTakesTheFirst32BytesOfEncryptingZerosAtTheMaximumNonce(NoiseCipher cipher) throws Exception {
        CipherState state = new CipherState(cipher, KEY);
        state.encryptWithAd(null, new byte[0]);
        state.rekey();
        byte[] expected = Arrays.copyOf(jdkEncrypt(cipher, KEY, -1L, new byte[0], new byte[32]), 32);
        assertArrayEquals(expected, state.key());
        assertEquals(1, state.nonce());
        assertThrows(IllegalStateException.class, () -> new CipherState(cipher, null).rekey());
    }

    @Test
    void keysMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new CipherState(NoiseCipher.AESGCM, new byte[16]));
    }
}
