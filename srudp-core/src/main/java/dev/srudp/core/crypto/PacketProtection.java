package dev.srudp.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens datagrams in place with one transport key and explicit packet numbers, as
 * WireGuard's transport does: the nonce is the packet number, encoded as {@link NoiseCipher}
 * encodes a Noise nonce, so packets may arrive in any order.
 *
 * <p>A packet in the buffer:
 *
 * <pre>
 * offset
 * +----------------------+-------------------------------+------------------+
 * | header (cleartext,   | ciphertext                    | tag (16 bytes)   |
 * | associated data)     | (same length as plaintext)    |                  |
 * +----------------------+-------------------------------+------------------+
 * </pre>
 *
 * <p>One JDK {@link Cipher} and one nonce array are kept and reused; the only allocation of our
 * own per packet is the immutable parameter object the JDK API demands. Each packet number must
 * be sealed at most once per key: the caller's packet numbers never repeat. Not thread-safe:
 * use one instance per direction and thread.
 */
public final class PacketProtection {

    /** Length in bytes of the authentication tag appended by {@link #seal}. */
    public static final int TAG_LENGTH = NoiseCipher.TAG_LENGTH;

    private final NoiseCipher cipher;
    private final SecretKeySpec key;
    private final JdkAead aead;

    /**
     * Creates packet protection for a 32-byte key, such as {@link TransportKeys#sendKey()}.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes long
     */
    public PacketProtection(NoiseCipher cipher, byte[] key) {
        if (key == null || key.length != NoiseCipher.KEY_LENGTH) {
            throw new IllegalArgumentException("a packet key is 32 bytes, got " + (key == null ? "null" : key.length));
        }
        this.cipher = cipher;
        this.key = new SecretKeySpec(key, cipher.keyAlgorithm());
        this.aead = new JdkAead(cipher);
    }

    /** The cipher in use. */
    public NoiseCipher cipher() {
        return cipher;
    }

    /**
     * Encrypts in place the {@code plaintextLength} bytes that follow the header at
     * {@code buf[offset, offset + headerLength)}, authenticates the header with them, and
     * writes the tag after the ciphertext.
     *
     * @return the packet length: {@code headerLength + plaintextLength + TAG_LENGTH}
     * @throws IllegalArgumentException when the lengths are negative or the buffer has no room
     *     for the tag
     * @throws IllegalStateException when the JDK refuses, as it does when the same packet
     *     number is sealed twice in a row
     */
    public int seal(long packetNumber, byte[] buf, int offset, int headerLength, int plaintextLength) {
        if (offset < 0 || headerLength < 0 || plaintextLength < 0
                || (long) offset + headerLength + plaintextLength + TAG_LENGTH > buf.length) {
            throw new IllegalArgumentException("seal needs offset, header and plaintext lengths >= 0 and "
                    + TAG_LENGTH + " spare bytes for the tag in a buffer of " + buf.length + " bytes");
        }
        try {
            Cipher jdkCipher = aead.init(Cipher.ENCRYPT_MODE, key, packetNumber);
            jdkCipher.updateAAD(buf, offset, headerLength);
            int bodyOffset = offset + headerLength;
            int written = jdkCipher.doFinal(buf, bodyOffset, plaintextLength, buf, bodyOffset);
            return headerLength + written;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing packet " + Long.toUnsignedString(packetNumber) + " failed", e);
        }
    }

    /**
     * Authenticates and decrypts in place the packet of {@code packetLength} bytes at
     * {@code offset}, whose first {@code headerLength} bytes are the cleartext header. Never
     * throws for bad input.
     *
     * @return the plaintext length, which starts at {@code offset + headerLength}; or -1 when
     *     the packet is too short, the bounds are wrong or authentication fails, in which case
     *     the bytes after the header are unspecified
     */
    public int open(long packetNumber, byte[] buf, int offset, int headerLength, int packetLength) {
        if (buf == null || offset < 0 || headerLength < 0 || packetLength - headerLength < TAG_LENGTH
                || (long) offset + packetLength > buf.length) {
            return -1;
        }
        try {
            Cipher jdkCipher = aead.init(Cipher.DECRYPT_MODE, key, packetNumber);
            jdkCipher.updateAAD(buf, offset, headerLength);
            int bodyOffset = offset + headerLength;
            return jdkCipher.doFinal(buf, bodyOffset, packetLength - headerLength, buf, bodyOffset);
        } catch (GeneralSecurityException | IllegalStateException e) {
            return -1;
        }
    }
}
