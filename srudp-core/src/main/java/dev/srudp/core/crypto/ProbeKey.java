package dev.srudp.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that authenticates hole-punching probes between two static X25519 keys, before any
 * handshake (docs/protocol.md, "PROBE").
 *
 * <pre>
 *   shared = X25519(own static private key, peer static public key)
 *   key    = HKDF-SHA256(salt = "srudp/1 probe", IKM = shared,
 *                        info = "srudp/1 probe key" || lower public key || higher public key, L = 32)
 *   tag    = first 16 bytes of HMAC-SHA256(key, probe bytes before the tag)
 * </pre>
 *
 * Both sides derive the same key (the public keys go into {@code info} in unsigned byte order), so
 * one key authenticates both directions; a request and its response differ in their flags. HKDF is
 * RFC 5869 composed from the JDK's HmacSHA256; the agreement is {@link X25519}.
 *
 * <p>Not thread-safe (it holds a {@link Mac}); the endpoint's loop is its only user.
 */
public final class ProbeKey {
    /** Bytes of the truncated tag. */
    public static final int TAG_LENGTH = 16;
    private static final byte[] SALT = "srudp/1 probe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "srudp/1 probe key".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;

    private ProbeKey(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Derives the probe key shared with the holder of {@code peerStaticKey}.
     *
     * @throws X25519.LowOrderPointException when the peer's key is a low-order point
     * @throws IllegalArgumentException when the peer's key is not 32 bytes long
     */
    public static ProbeKey derive(DhKeyPair own, byte[] peerStaticKey) throws X25519.LowOrderPointException {
        byte[] shared = own.agree(peerStaticKey);
        byte[] ownPublic = own.publicKey();
        boolean ownFirst = Arrays.compareUnsigned(ownPublic, peerStaticKey) <= 0;
        byte[] info = new byte[INFO.length + 2 * X25519.KEY_LENGTH];
        System.arraycopy(INFO, 0, info, 0, INFO.length);
        System.arraycopy(ownFirst ? ownPublic : peerStaticKey, 0, info, INFO.length, X25519.KEY_LENGTH);
        System.arraycopy(ownFirst ? peerStaticKey : ownPublic, 0, info, INFO.length + X25519.KEY_LENGTH,
                X25519.KEY_LENGTH);
        byte[] key = hkdfSha256(SALT, shared, info);
        Arrays.fill(shared, (byte) 0);
        ProbeKey probeKey = new ProbeKey(key);
        Arrays.fill(key, (byte) 0);
        return probeKey;
    }

    /** The 16-byte tag of {@code length} bytes of {@code data} from {@code offset}. */
    public byte[] tag(byte[] data, int offset, int length) {
        mac.update(data, offset, length);
        return Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
    }

    /** Whether {@code presented} (16 bytes at {@code tagOffset}) is the tag of the bytes before it, in constant time. */
    public boolean verify(byte[] data, int offset, int length, int tagOffset) {
        byte[] expected = tag(data, offset, length);
        byte[] presented = Arrays.copyOfRange(data, tagOffset, tagOffset + TAG_LENGTH);
        return MessageDigest.isEqual(expected, presented);
    }

    // RFC 5869, section 2.2: "PRK = HMAC-Hash(salt, IKM)"; section 2.3: "T(1) = HMAC-Hash(PRK, T(0) | info | 0x01)"
    // with T(0) empty; one block gives the 32 bytes asked for.
    static byte[] hkdfSha256(byte[] salt, byte[] inputKeyMaterial, byte[] info) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = hmac.doFinal(inputKeyMaterial);
            hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
            hmac.update(info);
            hmac.update((byte) 0x01);
            byte[] okm = hmac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }
}
