package dev.srudp.core.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The Noise cipher functions srudp supports, both run by the JDK's own providers, with the
 * 96-bit nonce each one builds from a 64-bit counter.
 */
public enum NoiseCipher {

    /** AES-256 in GCM mode with a 128-bit tag. */
    AESGCM("AESGCM", "AES/GCM/NoPadding", "AES") {
        // Noise §12.4: "The 96-bit nonce is formed by encoding 32 bits of zeros followed by
        // big-endian encoding of n."
        @Override
        void writeNonce(long n, byte[] nonce) {
            nonce[0] = 0;
            nonce[1] = 0;
            nonce[2] = 0;
            nonce[3] = 0;
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
            }
        }

        @Override
        AlgorithmParameterSpec parameters(byte[] nonce) {
            return new GCMParameterSpec(8 * TAG_LENGTH, nonce);
        }
    },

    /** ChaCha20-Poly1305 as in RFC 8439. */
    CHACHAPOLY("ChaChaPoly", "ChaCha20-Poly1305", "ChaCha20") {
        // Noise §12.3: "The 96-bit nonce is formed by encoding 32 bits of zeros followed by
        // little-endian encoding of n."
        @Override
        void writeNonce(long n, byte[] nonce) {
            nonce[0] = 0;
            nonce[1] = 0;
            nonce[2] = 0;
            nonce[3] = 0;
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (8 * i));
            }
        }

        @Override
        AlgorithmParameterSpec parameters(byte[] nonce) {
            return new IvParameterSpec(nonce);
        }
    };

    /** Length in bytes of the authentication tag appended to every ciphertext. */
    public static final int TAG_LENGTH = 16;
    /** Length in bytes of a nonce. */
    public static final int NONCE_LENGTH = 12;
    /** Length in bytes of a key. */
    public static final int KEY_LENGTH = 32;

    private final String token;
    private final String transformation;
    private final String keyAlgorithm;

    NoiseCipher(String token, String transformation, String keyAlgorithm) {
        this.token = token;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The name of this cipher in a Noise protocol name, such as {@code "ChaChaPoly"}. */
    public String token() {
        return token;
    }

    /** The 12-byte nonce for counter {@code n} (read as an unsigned 64-bit number). */
    public byte[] nonce(long n) {
        byte[] nonce = new byte[NONCE_LENGTH];
        writeNonce(n, nonce);
        return nonce;
    }

    abstract void writeNonce(long n, byte[] nonce);

    abstract AlgorithmParameterSpec parameters(byte[] nonce);

    String transformation() {
        return transformation;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }
}
