package dev.srudp.core.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A STUN message (RFC 8489, section 5): a 20-byte header and a list of attributes. Immutable;
 * {@link #decode} survives any byte string and {@link #encode} writes what {@link #decode} reads.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0|     STUN Message Type     |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Magic Cookie (0x2112A442)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Transaction ID (96 bits)                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Attribute Type (16)          |  Value Length (16)            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Value, padded with zeros to a multiple of 4 bytes          ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The message type interleaves a 12-bit method with a 2-bit class (section 5, figure 3). A
 * FINGERPRINT attribute is checked on decode and written on request by {@link #encode}; it is not
 * part of {@link #attributes()}. MESSAGE-INTEGRITY is carried as an opaque attribute and not
 * checked: srudp uses STUN only for unauthenticated Binding, and its own handshake
 * authenticates the peers.
 */
public final class StunMessage {
    /** RFC 8489, section 5: "The Magic Cookie field MUST contain the fixed value 0x2112A442". */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** Most attributes decoded from one message; more make it malformed. */
    public static final int MAX_ATTRIBUTES = 64;
    /** The Binding method, the only one srudp speaks. */
    public static final int METHOD_BINDING = 0x001;
    /** RFC 8489, section 14.7: the CRC-32 is "XOR'ed with the 32-bit value 0x5354554e". */
    static final int FINGERPRINT_XOR = 0x5354554e;

    /** The class of a message: what it is in its transaction. */
    public enum MessageClass {
        REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE
    }

    private final int method;
    private final MessageClass messageClass;
    private final byte[] transactionId;
    private final List<StunAttribute> attributes;
    private final boolean fingerprinted;

    /**
     * @param method        a 12-bit method
     * @param transactionId 12 bytes
     * @param attributes    in order, without FINGERPRINT
     * @param fingerprinted whether the encoded message carries (or carried) a FINGERPRINT
     */
    public StunMessage(int method, MessageClass messageClass, byte[] transactionId, List<StunAttribute> attributes,
            boolean fingerprinted) {
        if (method < 0 || method > 0xfff) {
            throw new IllegalArgumentException("a STUN method has 12 bits, got 0x" + Integer.toHexString(method));
        }
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction ID has 12 bytes, got " + transactionId.length);
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("more than " + MAX_ATTRIBUTES + " attributes");
        }
        for (StunAttribute a : attributes) {
            if (a.type() == StunAttributes.FINGERPRINT) {
                throw new IllegalArgumentException("FINGERPRINT is written by encode, not given as an attribute");
            }
        }
        this.method = method;
        this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
        this.transactionId = transactionId.clone();
        this.attributes = List.copyOf(attributes);
        this.fingerprinted = fingerprinted;
    }

    /** A Binding request with the given attributes and a FINGERPRINT. */
    public static StunMessage bindingRequest(byte[] transactionId, List<StunAttribute> attributes) {
        return new StunMessage(METHOD_BINDING, MessageClass.REQUEST, transactionId, attributes, true);
    }

    public int method() {
        return method;
    }

    public MessageClass messageClass() {
        return messageClass;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    byte[] transactionIdView() {
        return transactionId;
    }

    /** The attributes in order, without FINGERPRINT. */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of {@code type}. */
    public Optional<StunAttribute> attribute(int type) {
        for (StunAttribute a : attributes) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether the message carries a FINGERPRINT (checked when it was decoded). */
    public boolean fingerprinted() {
        return fingerprinted;
    }

    /** The 16-bit message type: method and class interleaved as in RFC 8489, section 5, figure 3. */
    public int messageType() {
        int c = messageClass.ordinal();
        return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2)
                | ((c & 1) << 4) | ((c & 2) << 7);
    }

    /** The encoded length in bytes. */
    public int encodedLength() {
        int n = HEADER_LENGTH;
        for (StunAttribute a : attributes) {
            n += 4 + padded(a.length());
        }
        return n + (fingerprinted ? 8 : 0);
    }

    /** Encodes the message, with a FINGERPRINT last if {@link #fingerprinted()}. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        b.putShort((short) messageType());
        b.putShort((short) (b.capacity() - HEADER_LENGTH));
        b.putInt(MAGIC_COOKIE);
        b.put(transactionId);
        for (StunAttribute a : attributes) {
            b.putShort((short) a.type());
            b.putShort((short) a.length());
            b.put(a.valueView());
            b.position(b.position() + padded(a.length()) - a.length());
        }
        if (fingerprinted) {
            int crc = crc32(b.array(), b.position());
            b.putShort((short) StunAttributes.FINGERPRINT);
            b.putShort((short) 4);
            b.putInt(crc ^ FINGERPRINT_XOR);
        }
        return b.array();
    }

    /** Whether a datagram starting with {@code firstByte} may be STUN (RFC 7983, section 7). */
    public static boolean mayBeStun(int firstByte) {
        return firstByte >= 0 && firstByte <= 3;
    }

    /**
     * Decodes one STUN message that fills the buffer's remaining bytes exactly (STUN over UDP
     * puts one message in one datagram). The buffer's position is not changed.
     *
     * @throws StunFormatException for anything that is not a well-formed STUN message, including
     *                             a FINGERPRINT that does not match
     */
    public static StunMessage decode(ByteBuffer datagram) throws StunFormatException {
        ByteBuffer b = datagram.slice();
        int total = b.remaining();
        if (total < HEADER_LENGTH) {
            throw new StunFormatException("shorter than a STUN header (" + total + " bytes)");
        }
        int type = b.getShort(0) & 0xffff;
        // RFC 8489, section 5: "The most significant 2 bits of every STUN message MUST be zeroes."
        if ((type & 0xc000) != 0) {
            throw new StunFormatException("the two leading bits are not zero");
        }
        int length = b.getShort(2) & 0xffff;
        // RFC 8489, section 5: "the message length MUST be a multiple of 4"
        if (length % 4 != 0) {
            throw new StunFormatException("message length " + length + " is not a multiple of 4");
        }
        if (length != total - HEADER_LENGTH) {
            throw new StunFormatException("message length " + length + " does not match the datagram's "
                    + (total - HEADER_LENGTH) + " bytes after the header");
        }
        if (b.getInt(4) != MAGIC_COOKIE) {
            throw new StunFormatException("wrong magic cookie");
        }
        byte[] transactionId = new byte[TRANSACTION_ID_LENGTH];
        b.get(8, transactionId);
        int method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
        MessageClass messageClass = MessageClass.values()[((type >> 4) & 1) | ((type >> 7) & 2)];
        List<StunAttribute> attributes = new ArrayList<>();
        boolean fingerprinted = false;
        boolean afterIntegrity = false;
        int at = HEADER_LENGTH;
        int count = 0;
        while (at < total) {
            if (fingerprinted) {
                // RFC 8489, section 14.7: "When present, the FINGERPRINT attribute MUST be the last
                // attribute in the message"
                throw new StunFormatException("an attribute follows FINGERPRINT");
            }
            if (total - at < 4) {
                throw new StunFormatException("truncated attribute header at byte " + at);
            }
            if (++count > MAX_ATTRIBUTES) {
                throw new StunFormatException("more than " + MAX_ATTRIBUTES + " attributes");
            }
            int attrType = b.getShort(at) & 0xffff;
            int attrLength = b.getShort(at + 2) & 0xffff;
            int valueAt = at + 4;
            if (attrLength > total - valueAt || padded(attrLength) > total - valueAt) {
                throw new StunFormatException(String.format("attribute 0x%04x of %d bytes runs past the message",
                        attrType, attrLength));
            }
            if (attrType == StunAttributes.FINGERPRINT) {
                if (attrLength != 4) {
                    throw new StunFormatException("FINGERPRINT of " + attrLength + " bytes");
                }
                int expected = crc32(b, at) ^ FINGERPRINT_XOR;
                if (b.getInt(valueAt) != expected) {
                    throw new StunFormatException("FINGERPRINT does not match");
                }
                fingerprinted = true;
            } else if (attrLength > StunAttribute.MAX_VALUE_LENGTH) {
                throw new StunFormatException(String.format("attribute 0x%04x of %d bytes is longer than %d",
                        attrType, attrLength, StunAttribute.MAX_VALUE_LENGTH));
            } else if (!afterIntegrity || attrType == StunAttributes.MESSAGE_INTEGRITY_SHA256) {
                // RFC 8489, section 14.5: "with the exception of the MESSAGE-INTEGRITY-SHA256 and
                // FINGERPRINT attributes, agents MUST ignore all other attributes that follow
                // MESSAGE-INTEGRITY"
                byte[] value = new byte[attrLength];
                b.get(valueAt, value);
                attributes.add(new StunAttribute(attrType, value));
                afterIntegrity |= attrType == StunAttributes.MESSAGE_INTEGRITY
                        || attrType == StunAttributes.MESSAGE_INTEGRITY_SHA256;
            }
            at = valueAt + padded(attrLength);
        }
        return new StunMessage(method, messageClass, transactionId, attributes, fingerprinted);
    }

    /** A new random transaction ID. */
    public static byte[] newTransactionId(java.util.Random random) {
        byte[] id = new byte[TRANSACTION_ID_LENGTH];
        random.nextBytes(id);
        return id;
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static int crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static int crc32(ByteBuffer b, int length) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().position(0).limit(length));
        return (int) crc.getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m && m.method == method && m.messageClass == messageClass
                && Arrays.equals(m.transactionId, transactionId) && m.attributes.equals(attributes)
                && m.fingerprinted == fingerprinted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, messageClass, Arrays.hashCode(transactionId), attributes, fingerprinted);
    }

    @Override
    public String toString() {
        return String.format("STUN[method 0x%03x %s, tid %s, %s%s]", method, messageClass,
                HexFormat.of().formatHex(transactionId), attributes, fingerprinted ? ", fingerprinted" : "");
    }
}
