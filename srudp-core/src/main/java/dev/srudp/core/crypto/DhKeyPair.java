package dev.srudp.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/** An X25519 key pair: a 32-byte private scalar and its 32-byte public key. */
public final class DhKeyPair {

    private final byte[] privateKey;
    private final byte[] publicKey;

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
