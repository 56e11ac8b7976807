package dev.srudp.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A statement, signed by an {@link Identity}, that an X25519 static key belongs to it.
 *
 * <p>The signature covers the ASCII context string {@code "srudp static key certificate v1"},
 * one zero byte, then the 32-byte static key. The encoding is 128 bytes:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Identity public key (Ed25519, 32 bytes)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Static public key (X25519, 32 bytes)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Signature (Ed25519, 64 bytes)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Decoding does not check the signature; call {@link #isValid()}.
 */
public final class StaticKeyCertificate {

    /** Length in bytes of an encoded certificate. */
    public static final int ENCODED_LENGTH = 128;

    private static final byte[] CONTEXT =
            "srudp static key certificate v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] identityKey;
    private final byte[] staticKey;
    private final byte[] signature;

    StaticKeyCertificate(byte[] identityKey, byte[] staticKey, byte[] signature) {
        this.identityKey = identityKey.clone();
        this.staticKey = staticKey.clone();
        this.signature = signature.clone();
    }

    static byte[] signedBytes(byte[] staticKey) {
        byte[] message = Arrays.copyOf(CONTEXT, CONTEXT.length + 1 + staticKey.length);
        System.arraycopy(staticKey, 0, message, CONTEXT.length + 1, staticKey.length);
        return message;
    }

    /**
     * Decodes a 128-byte certificate without checking its signature.
     *
     * @throws IllegalArgumentException when {@code encoded} is not exactly 128 bytes long
     */
    public static StaticKeyCertificate decode(byte[] encoded) {
        if (encoded == null || encoded.length != ENCODED_LENGTH) {
            throw new IllegalArgumentException("a static key certificate is exactly " + ENCODED_LENGTH
                    + " bytes, got " + (encoded == null ? "null" : encoded.length + " bytes"));
        }
        return new StaticKeyCertificate(Arrays.copyOfRange(encoded, 0, 32),
                Arrays.copyOfRange(encoded, 32, 64), Arrays.copyOfRange(encoded, 64, 128));
    }

    /** The 128-byte encoding: identity key, static key, signature. */
    public byte[] encode() {
        byte[] out = new byte[ENCODED_LENGTH];
        System.arraycopy(identityKey, 0, out, 0, 32);
        System.arraycopy(staticKey, 0, out, 32, 32);
        System.arraycopy(signature, 0, out, 64, 64);
        return out;
    }

    /** Certificates whose signature was found valid, kept so that each is verified once. */
    static final int VERIFIED_KEPT = 4096;
    private static final java.util.Map<java.nio.ByteBuffer, Boolean> VERIFIED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, Boolean> eldest) {
                    return size() > VERIFIED_KEPT;
                }
            });

    /**
     * Tells whether the signature is the identity's over the static key. A certificate found
     * valid is remembered (the {@value #VERIFIED_KEPT} most recently used), so a peer that
     * connects again costs no second Ed25519 verification; an invalid one is checked every time
     * and never remembered.
     */
    public boolean isValid() {
        java.nio.ByteBuffer encoding = java.nio.ByteBuffer.wrap(encode());
        if (VERIFIED.get(encoding) != null) {
            return true;
        }
        boolean valid = Identity.verify(identityKey, signedBytes(staticKey), signature);
        if (valid) {
            VERIFIED.put(encoding, Boolean.TRUE);
        }
        return valid;
    }

    /** A copy of the 32-byte Ed25519 identity public key. */
    public byte[] identityKey() {
        return identityKey.clone();
    }

    /** A copy of the 32-byte X25519 static public key. */
    public byte[] staticKey() {
        return staticKey.clone();
    }

    /** A copy of the 64-byte signature. */
    public byte[] signature() {
        return signature.clone();
    }

    /** Equal when all three fields are equal; compares public data, so not constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof StaticKeyCertificate that
                && Arrays.equals(identityKey, that.identityKey)
                && Arrays.equals(staticKey, that.staticKey)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(identityKey) + Arrays.hashCode(staticKey)) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "StaticKeyCertificate[identity=" + Hex.encode(identityKey) + ", static=" + Hex.encode(staticKey) + "]";
    }
}
