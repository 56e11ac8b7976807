package dev.srudp.core.wire;

import java.nio.ByteBuffer;

/**
 * Variable-length unsigned integers, encoded as in QUIC.
 *
 * <pre>
 *  RFC 9000, section 16: "The QUIC variable-length integer encoding reserves the two most
 *  significant bits of the first byte to encode the base-2 logarithm of the integer encoding
 *  length in bytes. The integer value is encoded on the remaining bits, in network byte order."
 *
 *  2MSB  Length  Usable bits  Range
 *  00    1       6            0-63
 *  01    2       14           0-16383
 *  10    4       30           0-1073741823
 *  11    8       62           0-4611686018427387903
 * </pre>
 *
 * <p>srudp, like QUIC, accepts non-minimal encodings on input and always writes the minimal one.
 */
public final class VarInt {
    /** The largest encodable value, 2^62 - 1. */
    public static final long MAX = (1L << 62) - 1;

    private VarInt() {
    }

    /** The number of bytes the minimal encoding of {@code value} takes. */
    public static int length(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("not encodable as a variable-length integer: " + value);
        }
        if (value < (1 << 6)) {
            return 1;
        }
        if (value < (1 << 14)) {
            return 2;
        }
        if (value < (1L << 30)) {
            return 4;
        }
        return 8;
    }

    /** Writes the minimal encoding of {@code value}. */
    public static void write(ByteBuffer out, long value) {
        switch (length(value)) {
            case 1 -> out.put((byte) value);
            case 2 -> out.putShort((short) (value | 0x4000));
            case 4 -> out.putInt((int) (value | 0x8000_0000L));
            default -> out.putLong(value | 0xC000_0000_0000_0000L);
        }
    }

    /** Reads one variable-length integer. */
    public static long read(ByteBuffer in) throws WireFormatException {
        if (!in.hasRemaining()) {
            throw new WireFormatException("truncated variable-length integer");
        }
        int first = in.get(in.position()) & 0xff;
        int length = 1 << (first >>> 6);
        if (in.remaining() < length) {
            throw new WireFormatException("truncated variable-length integer: needs " + length + " bytes, "
                    + in.remaining() + " left");
        }
        return switch (length) {
            case 1 -> in.get() & 0x3f;
            case 2 -> in.getShort() & 0x3fff;
            case 4 -> in.getInt() & 0x3fff_ffffL;
            default -> in.getLong() & MAX;
        };
    }
}
