package dev.srudp.core.record;

import dev.srudp.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A short, human-comparable fingerprint of a peer ID, for reading aloud or comparing on two
 * screens.
 *
 * <p>The fingerprint is the first 100 bits of SHA-256 over the 32-byte Ed25519 public key, written
 * as 20 lowercase RFC 4648 base32 characters ({@code a-z}, {@code 2-7}) in five groups of four
 * separated by hyphens, for example {@code "k3ve-7qpa-mzx2-4dhn-ty6b"}. 100 bits keep a forged
 * identity with the same fingerprint out of reach (a second preimage costs about 2^100 hash
 * evaluations); the full {@link PeerId} remains the identity that connections check.
 */
public final class Fingerprint {
    /** Number of base32 characters, hyphens excluded. */
    public static final int CHARACTERS = 20;
    /** Number of bits the fingerprint carries. */
    public static final int BITS = CHARACTERS * 5;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Fingerprint() {
    }

    /** The fingerprint of {@code peer}, as {@code xxxx-xxxx-xxxx-xxxx-xxxx}. */
    public static String of(PeerId peer) {
        byte[] digest = sha256(peer.publicKey());
        StringBuilder out = new StringBuilder(CHARACTERS + 4);
        long buffer = 0;
        int bits = 0;
        int index = 0;
        for (int written = 0; written < CHARACTERS; ) {
            if (bits < 5) {
                buffer = (buffer << 8) | (digest[index++] & 0xff);
                bits += 8;
            }
            bits -= 5;
            if (written > 0 && written % 4 == 0) {
                out.append('-');
            }
            out.append(ALPHABET.charAt((int) (buffer >>> bits) & 31));
            written++;
        }
        return out.toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return digest.digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    static String describe(PeerId peer) {
        return peer + " (" + of(peer) + ")";
    }
}
