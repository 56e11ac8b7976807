package dev.srudp.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (Noise §5.1): a key {@code k}, possibly empty, and a 64-bit nonce
 * counter {@code n}, read as unsigned.
 *
 * <p>Encrypts handshake payloads and, after {@link NoiseHandshake#split()}, Noise transport
 * messages whose nonce is implicit. Datagram transport with explicit packet numbers uses
 * {@link PacketProtection} instead. Not thread-safe.
 */
public final class CipherState {

    /** The nonce value that Noise reserves: 2^64-1. */
    public static final long MAX_NONCE = -1L;

    private final NoiseCipher cipher;
    private JdkAead aead;
    private byte[] key;
    private SecretKeySpec keySpec;
    private long n;

    /**
     * Creates a CipherState holding {@code key} with nonce 0, or an empty one when {@code key}
     * is null.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes long
     */
    public CipherState(NoiseCipher cipher, byte[] key) {
        this.cipher = cipher;
        initializeKey(key);
    }

    // Noise §5.1: "InitializeKey(key): Sets k = key. Sets n = 0."
    void initializeKey(byte[] newKey) {
        if (newKey != null && newKey.length != NoiseCipher.KEY_LENGTH) {
            throw new IllegalArgumentException("a cipher key is 32 bytes, got " + newKey.length);
        }
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
        key = newKey == null ? null : newKey.clone();
        keySpec = newKey == null ? null : new SecretKeySpec(key, cipher.keyAlgorithm());
        n = 0;
    }

    /** The cipher this state uses. */
    public NoiseCipher cipher() {
        return cipher;
    }

    /** Whether the key is non-empty. */
    public boolean hasKey() {
        return key != null;
    }

    /** The next nonce, an unsigned 64-bit number. */
    public long nonce() {
        return n;
    }

    /** Sets the next nonce (Noise §5.1 SetNonce); for out-of-order transport messages. */
    public void setNonce(long nonce) {
        n = nonce;
    }

    /** A copy of the 32-byte key, or null when the key is empty. */
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    /**
     * Encrypts {@code plaintext} with associated data {@code ad} (null means empty) and
     * advances the nonce; returns a copy of the plaintext when the key is empty.
     *
     * @throws IllegalStateException when the nonce is exhausted
     */
    // Noise §5.1: "EncryptWithAd(ad, plaintext): If k is non-empty returns
    // ENCRYPT(k, n++, ad, plaintext). Otherwise returns plaintext."
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) {
            return plaintext.clone();
        }
        // Noise §5.1: "If incrementing n results in 2^64-1, then any further EncryptWithAd() or
        // DecryptWithAd() calls will signal an error to the caller."
        if (n == MAX_NONCE) {
            throw new IllegalStateException("the nonce is exhausted: rekey or run a new handshake");
        }
        byte[] out = encrypt(n, ad, plaintext);
        n++;
        return out;
    }

    /**
     * Decrypts {@code ciphertext} with associated data {@code ad} (null means empty) and
     * advances the nonce; returns a copy of the ciphertext when the key is empty.
     *
     * @throws AeadException when authentication fails or the nonce is exhausted; the nonce
     *     then stays where it was
     */
    // Noise §5.1: "If an authentication failure occurs in DECRYPT() then n is not incremented
    // and an error is signaled to the caller."
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws AeadException {
        if (key == null) {
            return ciphertext.clone();
        }
        if (n == MAX_NONCE) {
            throw new AeadException("the nonce is exhausted: rekey or run a new handshake");
        }
        if (ciphertext.length < NoiseCipher.TAG_LENGTH) {
            throw new AeadException("ciphertext of " + ciphertext.length + " bytes is shorter than the tag");
        }
        byte[] out;
        try {
            out = crypt(Cipher.DECRYPT_MODE, n, ad, ciphertext);
        } catch (AEADBadTagException e) {
            throw new AeadException("authentication failed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused " + cipher.transformation(), e);
        }
        n++;
        return out;
    }

    /**
     * Replaces the key with a pseudorandom function of itself; the nonce is unchanged.
     *
     * @throws IllegalStateException when the key is empty
     */
    // Noise §4.2: "If this function is not specifically defined for some set of cipher
    // functions, then it defaults to returning the first 32 bytes from ENCRYPT(k, maxnonce,
    // zerolen, zeros), where maxnonce equals 2^64-1, zerolen is a zero-length byte sequence,
    // and zeros is a sequence of 32 bytes filled with zeros."
    public void rekey() {
        if (key == null) {
            throw new IllegalStateException("cannot rekey an empty CipherState");
        }
        byte[] block = encrypt(MAX_NONCE, null, new byte[32]);
        long keep = n;
        initializeKey(Arrays.copyOf(block, 32));
        n = keep;
        Arrays.fill(block, (byte) 0);
    }

    private byte[] encrypt(long nonce, byte[] ad, byte[] plaintext) {
        try {
            return crypt(Cipher.ENCRYPT_MODE, nonce, ad, plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused " + cipher.transformation(), e);
        }
    }

    private byte[] crypt(int mode, long nonce, byte[] ad, byte[] input) throws GeneralSecurityException {
        if (aead == null) {
            aead = new JdkAead(cipher);
        }
        Cipher jdkCipher = aead.init(mode, keySpec, nonce);
        if (ad != null && ad.length > 0) {
            jdkCipher.updateAAD(ad);
        }
        return jdkCipher.doFinal(input);
    }

    @Override
    public String toString() {
        return "CipherState[" + cipher + ", " + (key == null ? "empty" : "keyed") + ", n=" + Long.toUnsignedString(n) + "]";
    }
}
