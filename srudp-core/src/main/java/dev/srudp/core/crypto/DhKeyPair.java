package dev.srudp.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/** An X25519 key pair: a 32-byte private scalar and its 32-byte public key. */
public final class DhKeyPair {

    /** Remote static keys whose shared secret with this (static) key is remembered. */
    static final int STATIC_SECRETS_KEPT = 1024;

    private final byte[] privateKey;
    private final byte[] publicKey;
    /**
     * Secrets agreed with remote static keys, newest use last. They are exactly as secret as the
     * private key beside them, which can recompute any of them; remembering them saves one of the
     * four X25519 operations of each side of an IK handshake with a peer seen before.
     */
    private final java.util.LinkedHashMap<java.nio.ByteBuffer, byte[]> staticSecrets =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, byte[]> eldest) {
                    if (size() > STATIC_SECRETS_KEPT) {
                        Arrays.fill(eldest.getValue(), (byte) 0);
                        return true;
                    }
                    return false;
                }
            };

    private DhKeyPair(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = X25519.publicKeyOf(this.privateKey);
    }

    /** Generates a fresh key pair from {@code random}. */
    public static DhKeyPair generate(SecureRandom random) {
        byte[] k = new byte[X25519.KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, k);
        DhKeyPair pair = new DhKeyPair(k);
        Arrays.fill(k, (byte) 0);
        return pair;
    }

    /**
     * Rebuilds the key pair of a saved 32-byte private key.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes long
     */
    public static DhKeyPair fromPrivateKey(byte[] privateKey) {
        X25519.requireKeyLength(privateKey, "private key");
        return new DhKeyPair(privateKey);
    }

    /** A copy of the 32-byte private key. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Agrees with {@code remotePublicKey}; see {@link X25519#agree}. */
    byte[] agree(byte[] remotePublicKey) throws X25519.LowOrderPointException {
        return X25519.agree(privateKey, remotePublicKey);
    }

    /**
     * Agrees with a remote static key, as {@link #agree} does, remembering the result for the next
     * handshake with the same key. Returns a copy the caller may wipe.
     */
    byte[] agreeStatic(byte[] remotePublicKey) throws X25519.LowOrderPointException {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(remotePublicKey.clone());
        synchronized (staticSecrets) {
            byte[] known = staticSecrets.get(key);
            if (known != null) {
                return known.clone();
            }
        }
        byte[] secret = agree(remotePublicKey);
        synchronized (staticSecrets) {
            staticSecrets.put(key, secret.clone());
        }
        return secret;
    }

    /** Equal when the private keys are equal, compared in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DhKeyPair that && MessageDigest.isEqual(privateKey, that.privateKey);
    }

    /** Hashes the public key, so the hash reveals nothing secret. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "DhKeyPair[public=" + Hex.encode(publicKey) + "]";
    }
}
