package dev.srudp;

import java.util.Arrays;
import java.util.Locale;

/**
 * Who a peer is: its long-term Ed25519 identity public key (32 bytes).
 *
 * <p>The text form is the key in lowercase RFC 4648 base32 without padding (52 characters), which
 * {@link #parse} reads back.
 */
public final class PeerId {
    /** Length of an Ed25519 public key in bytes. */
    public static final int LENGTH = 32;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private final byte[] key;

    private PeerId(byte[] key) {
        this.key = key;
    }

    /** Wraps a 32-byte Ed25519 public key. */
    public static PeerId of(byte[] publicKey) {
        if (publicKey == null || publicKey.length != LENGTH) {
            throw new IllegalArgumentException("a peer ID is a 32-byte Ed25519 public key, got "
                    + (publicKey == null ? "null" : publicKey.length + " bytes"));
        }
        return new PeerId(publicKey.clone());
    }

    /** Reads the text form produced by {@link #toString()}. */
    public static PeerId parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.length() != 52) {
            throw new IllegalArgumentException("a peer ID is 52 base32 characters, got " + s.length());
        }
        byte[] out = new byte[LENGTH];
        long buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = ALPHABET.indexOf(s.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid character '" + s.charAt(i) + "' at position " + (i + 1)
                        + " of a peer ID (allowed: a-z, 2-7)");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[index++] = (byte) (buffer >>> bits);
            }
        }
        if ((buffer & ((1L << bits) - 1)) != 0) {
            throw new IllegalArgumentException("a peer ID's last character has non-zero padding bits");
        }
        return new PeerId(out);
    }

    /** The public key bytes (a copy). */
    public byte[] publicKey() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(52);
        long buffer = 0;
        int bits = 0;
        for (byte b : key) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                sb.append(ALPHABET.charAt((int) (buffer >>> bits) & 31));
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((int) (buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }
}
