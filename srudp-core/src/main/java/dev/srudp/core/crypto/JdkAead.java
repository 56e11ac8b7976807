package dev.srudp.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One reusable JDK {@link Cipher} for a {@link NoiseCipher}, initialised per message with a
 * key and a 64-bit nonce.
 *
 * <p>The JDK 17 ChaCha20-Poly1305 refuses to be initialised twice in a row with the same key
 * and nonce, in decryption as well as encryption. A receiver must be able to retry a nonce
 * after a forged message failed under it (Noise §5.1 keeps {@code n} after a failed
 * decryption; packets with a forged packet number fail the same way), or a forger could block
 * that nonce. So a decryption that repeats the previous key and nonce first initialises once
 * with another nonce. Encryption keeps the JDK's refusal as a guard against nonce reuse.
 */
final class JdkAead {

    private final NoiseCipher cipher;
    private final Cipher jdkCipher;
    private final byte[] nonce = new byte[NoiseCipher.NONCE_LENGTH];
    private SecretKeySpec lastKey;
    private long lastNonce;

    JdkAead(NoiseCipher cipher) {
        this.cipher = cipher;
        try {
            this.jdkCipher = Cipher.getInstance(cipher.transformation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + cipher.transformation(), e);
        }
    }

    /** Initialises for {@code mode} and returns the cipher, ready for AAD and data. */
    Cipher init(int mode, SecretKeySpec key, long n) throws GeneralSecurityException {
        if (mode == Cipher.DECRYPT_MODE && n == lastNonce && lastKey != null
                && (key == lastKey || MessageDigest.isEqual(key.getEncoded(), lastKey.getEncoded()))) {
            cipher.writeNonce(~n, nonce);
            jdkCipher.init(mode, key, cipher.parameters(nonce));
        }
        cipher.writeNonce(n, nonce);
        jdkCipher.init(mode, key, cipher.parameters(nonce));
        lastKey = key;
        lastNonce = n;
        return jdkCipher;
    }
}
