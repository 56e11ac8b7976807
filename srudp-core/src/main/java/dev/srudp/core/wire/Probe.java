package dev.srudp.core.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A hole-punching probe (type 0xC7), sent before any handshake on every candidate pair
 * (docs/protocol.md, "PROBE"). Every probe has the same length, so a response is never larger than
 * the request it answers.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Type (0xC7)  |  Version (8)  |   Flags (8)   | Reserved (0)  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +            Sender's static X25519 public key (256)            +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Punch ID (64)                          |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence (32)                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Family (8)   | Reserved (0)  |           Port (16)           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Address (128): IPv4 in the first 4 bytes, the rest zero     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Tag (128): truncated HMAC-SHA256               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags: bit 0 RESPONSE (else a request), bit 1 PUNCHING (the sender is punching toward the
 * receiver right now); the other bits are zero. In a request the address is where the sender sent
 * it; in a response it is the source address the request was observed from (the requester's
 * reflexive address as the responder saw it). Family is 4 or 6. The punch ID is random per attempt
 * of the requester and the response echoes the punch ID and sequence of its request.
 *
 * <p>This class only encodes and decodes; the tag is computed and checked by
 * {@link dev.srudp.core.crypto.ProbeKey}.
 *
 * @param flags      {@link #FLAG_RESPONSE} and {@link #FLAG_PUNCHING}
 * @param senderKey  the sender's static X25519 public key (32 bytes)
 * @param punchId    the requester's attempt
 * @param sequence   the requester's probe number within the attempt
 * @param address    see above
 */
public record Probe(int flags, byte[] senderKey, long punchId, int sequence, InetSocketAddress address) {
    /** Every probe's length in bytes. */
    public static final int LENGTH = 84;
    /** Where the tag starts: the tag covers every byte before it. */
    public static final int TAG_OFFSET = LENGTH - 16;
    public static final int FLAG_RESPONSE = 0x01;
    public static final int FLAG_PUNCHING = 0x02;
    private static final int KNOWN_FLAGS = FLAG_RESPONSE | FLAG_PUNCHING;
    private static final int KEY_LENGTH = 32;

    public Probe {
        if (senderKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a static key is 32 bytes");
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown probe flags " + flags);
        }
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    public boolean senderIsPunching() {
        return (flags & FLAG_PUNCHING) != 0;
    }

    /** The {@link #LENGTH} bytes of this probe with a zero tag (to be filled by the caller). */
    public byte[] encodeUntagged() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put((byte) Packets.TYPE_PROBE).put((byte) Packets.VERSION_1).put((byte) flags).put((byte) 0);
        b.put(senderKey).putLong(punchId).putInt(sequence);
        byte[] ip = address.getAddress().getAddress();
        b.put((byte) (ip.length == 4 ? 4 : 6)).put((byte) 0).putShort((short) address.getPort());
        b.put(Arrays.copyOf(ip, 16));
        return b.array();
    }

    /**
     * Decodes a probe; the tag is not checked here.
     *
     * @throws WireFormatException for a wrong length, version, flags, reserved bits or address
     */
    public static Probe decode(byte[] d) throws WireFormatException {
        if (d.length != LENGTH) {
            throw new WireFormatException("a probe is " + LENGTH + " bytes, not " + d.length);
        }
        ByteBuffer b = ByteBuffer.wrap(d);
        if ((b.get() & 0xff) != Packets.TYPE_PROBE) {
            throw new WireFormatException("not a probe");
        }
        if ((b.get() & 0xff) != Packets.VERSION_1) {
            throw new WireFormatException("unsupported probe version");
        }
        int flags = b.get() & 0xff;
        if ((flags & ~KNOWN_FLAGS) != 0 || b.get() != 0) {
            throw new WireFormatException("unknown probe flags or reserved bits");
        }
        byte[] key = new byte[KEY_LENGTH];
        b.get(key);
        long punchId = b.getLong();
        int sequence = b.getInt();
        int family = b.get() & 0xff;
        if (b.get() != 0) {
            throw new WireFormatException("reserved probe bits set");
        }
        int port = b.getShort() & 0xffff;
        byte[] ip = new byte[16];
        b.get(ip);
        InetAddress address;
        try {
            if (family == 4) {
                for (int i = 4; i < 16; i++) {
                    if (ip[i] != 0) {
                        throw new WireFormatException("an IPv4 address is padded with zeros");
                    }
                }
                address = Inet4Address.getByAddress(Arrays.copyOf(ip, 4));
            } else if (family == 6) {
                address = Inet6Address.getByAddress(null, ip, null);
            } else {
                throw new WireFormatException("unknown address family " + family);
            }
        } catch (UnknownHostException e) {
            throw new WireFormatException("bad address: " + e.getMessage());
        }
        return new Probe(flags, key, punchId, sequence, new InetSocketAddress(address, port));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Probe p && p.flags == flags && Arrays.equals(p.senderKey, senderKey)
                && p.punchId == punchId && p.sequence == sequence && p.address.equals(address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(senderKey) * 31 + Long.hashCode(punchId) + sequence;
    }

    @Override
    public String toString() {
        return "Probe[" + (isResponse() ? "response" : "request") + (senderIsPunching() ? ", punching" : "")
                + ", id=" + Long.toHexString(punchId) + ", seq=" + sequence + ", address=" + address + "]";
    }
}
