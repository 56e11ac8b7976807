package dev.srudp;

import java.util.Arrays;

/**
 * A peer's X25519 handshake key as certified by its identity: the identity key (32 bytes), the
 * static key (32 bytes) and the identity's Ed25519 signature over the static key (64 bytes).
 *
 * <p>Knowing it lets {@code connect} use the one-round-trip Noise IK handshake. This type only
 * carries the bytes; the endpoint verifies the signature before using the key and refuses a
 * certificate whose signature does not hold.
 */
public final class CertifiedKey {
    /** Length of {@link #encoded()}. */
    public static final int ENCODED_LENGTH = 128;

    private final byte[] encoded;

    private CertifiedKey(byte[] encoded) {
        this.encoded = encoded;
    }

    /** Wraps the 128-byte encoding: identity key, static key, signature. */
    public static CertifiedKey fromEncoded(byte[] encoded) {
        if (encoded == null || encoded.length != ENCODED_LENGTH) {
            throw new IllegalArgumentException("a certified key is " + ENCODED_LENGTH + " bytes, got "
                    + (encoded == null ? "null" : encoded.length));
        }
        return new CertifiedKey(encoded.clone());
    }

    /** The identity this key belongs to (its signature is checked when the key is used). */
    public PeerId identity() {
        return PeerId.of(Arrays.copyOfRange(encoded, 0, 32));
    }

    /** The X25519 static public key. */
    public byte[] staticKey() {
        return Arrays.copyOfRange(encoded, 32, 64);
    }

    /** The Ed25519 signature by the identity. */
    public byte[] signature() {
        return Arrays.copyOfRange(encoded, 64, 128);
    }

    /** The 128-byte encoding (a copy). */
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertifiedKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "CertifiedKey[" + identity() + "]";
    }
}
