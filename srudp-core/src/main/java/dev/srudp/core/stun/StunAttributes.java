package dev.srudp.core.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The attribute types srudp reads or writes, and their value codecs (RFC 8489, section 14, and
 * RFC 5780, section 7). Decoders throw only {@link StunFormatException}.
 */
public final class StunAttributes {
    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 5780, section 7.2. */
    public static final int CHANGE_REQUEST = 0x0003;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    /** RFC 5780, section 7.3. */
    public static final int RESPONSE_ORIGIN = 0x802B;
    /** RFC 5780, section 7.4. */
    public static final int OTHER_ADDRESS = 0x802C;

    /** CHANGE-REQUEST flag A: "change IP" (RFC 5780, section 7.2). */
    public static final int CHANGE_IP = 0x4;
    /** CHANGE-REQUEST flag B: "change port" (RFC 5780, section 7.2). */
    public static final int CHANGE_PORT = 0x2;

    /**
     * Comprehension-required types a Binding client or server here understands well enough to
     * process the message: the address and error attributes, and the authentication attributes
     * that an unauthenticated Binding exchange may carry and that srudp ignores (its own handshake
     * authenticates peers).
     */
    static final Set<Integer> UNDERSTOOD = Set.of(MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE,
            UNKNOWN_ATTRIBUTES, REALM, NONCE, MESSAGE_INTEGRITY_SHA256, XOR_MAPPED_ADDRESS);

    /**
     * What a client also accepts in a success response without failing the transaction: the
     * RFC 3489 attributes that older servers and coturn's compatibility mode send
     * (RESPONSE-ADDRESS 0x0002, SOURCE-ADDRESS 0x0004, CHANGED-ADDRESS 0x0005, REFLECTED-FROM
     * 0x000B), and RFC 5780's PADDING (0x0026) and RESPONSE-PORT (0x0027). The client reads none
     * of them; a responder does not count them as understood, since it would have to act on them.
     */
    static final Set<Integer> TOLERATED_IN_RESPONSES = union(UNDERSTOOD, Set.of(0x0002, 0x0004, 0x0005, 0x000B,
            0x0026, 0x0027));

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        java.util.Set<Integer> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /** RFC 8489, section 14.9: a reason phrase is "less than 128 characters (which can be as long as 509 bytes)". */
    static final int MAX_TEXT_CHARACTERS = 127;

    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    private StunAttributes() {
    }

    // ------------------------------------------------------------------ addresses

    /**
     * MAPPED-ADDRESS and the attributes with its layout (RESPONSE-ORIGIN, OTHER-ADDRESS):
     * <pre>
     *  |0 0 0 0 0 0 0 0|    Family     |           Port                |
     *  |                 Address (32 bits or 128 bits)                 |
     * </pre>
     */
    public static StunAttribute address(int type, InetSocketAddress address) {
        return new StunAttribute(type, addressValue(address, null));
    }

    /**
     * XOR-MAPPED-ADDRESS (RFC 8489, section 14.2): the port XORed with the cookie's top 16 bits,
     * an IPv4 address with the cookie, an IPv6 address with the cookie and the transaction ID.
     */
    public static StunAttribute xorAddress(int type, InetSocketAddress address, byte[] transactionId) {
        return new StunAttribute(type, addressValue(address, transactionId));
    }

    /** Reads a plain address attribute (MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS). */
    public static InetSocketAddress decodeAddress(StunAttribute a) throws StunFormatException {
        return decodeAddressValue(a, null);
    }

    /** Reads an XOR-MAPPED-ADDRESS of a message with {@code transactionId}. */
    public static InetSocketAddress decodeXorAddress(StunAttribute a, byte[] transactionId) throws StunFormatException {
        return decodeAddressValue(a, transactionId);
    }

    private static byte[] addressValue(InetSocketAddress address, byte[] transactionId) {
        InetAddress ip = unmapped(address.getAddress());
        byte[] raw = ip.getAddress();
        ByteBuffer b = ByteBuffer.allocate(4 + raw.length);
        b.put((byte) 0).put((byte) (raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
        int port = address.getPort();
        if (transactionId != null) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            xor(raw, transactionId);
        }
        b.putShort((short) port).put(raw);
        return b.array();
    }

    private static InetSocketAddress decodeAddressValue(StunAttribute a, byte[] transactionId)
            throws StunFormatException {
        byte[] v = a.valueView();
        if (v.length < 4) {
            throw new StunFormatException(name(a.type()) + " of " + v.length + " bytes");
        }
        int family = v[1] & 0xff;
        int expected = family == FAMILY_IPV4 ? 8 : family == FAMILY_IPV6 ? 20 : -1;
        if (expected < 0) {
            throw new StunFormatException(name(a.type()) + " with unknown address family " + family);
        }
        if (v.length != expected) {
            throw new StunFormatException(name(a.type()) + " of " + v.length + " bytes for family " + family);
        }
        int port = ((v[2] & 0xff) << 8) | (v[3] & 0xff);
        byte[] raw = java.util.Arrays.copyOfRange(v, 4, v.length);
        if (transactionId != null) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            xor(raw, transactionId);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new StunFormatException("unreadable address in " + name(a.type()));
        }
    }

    private static void xor(byte[] raw, byte[] transactionId) {
        byte[] mask = ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(transactionId).array();
        for (int i = 0; i < raw.length; i++) {
            raw[i] ^= mask[i];
        }
    }

    /** An IPv4-mapped IPv6 address (as a dual-stack socket may report) as the IPv4 address it is. */
    static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return a;
    }

    // ------------------------------------------------------------------ ERROR-CODE

    /** An error code and its reason phrase. */
    public record ErrorCode(int code, String reason) {
        /** RFC 8489, section 14.8: the code "MUST be within the range of 300 to 699". */
        public ErrorCode {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("STUN error codes are 300-699, got " + code);
            }
        }

        @Override
        public String toString() {
            return code + " " + reason;
        }
    }

    public static final int ERROR_BAD_REQUEST = 400;
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;

    /**
     * ERROR-CODE (RFC 8489, section 14.8):
     * <pre>
     *  |           Reserved, should be 0         |Class|     Number    |
     *  |      Reason Phrase (variable)                                ..
     * </pre>
     */
    public static StunAttribute errorCode(int code, String reason) {
        byte[] text = utf8(reason);
        ByteBuffer b = ByteBuffer.allocate(4 + text.length);
        b.putShort((short) 0).put((byte) (code / 100)).put((byte) (code % 100)).put(text);
        return new StunAttribute(ERROR_CODE, b.array());
    }

    public static ErrorCode decodeErrorCode(StunAttribute a) throws StunFormatException {
        byte[] v = a.valueView();
        if (v.length < 4) {
            throw new StunFormatException("ERROR-CODE of " + v.length + " bytes");
        }
        int cls = v[2] & 0x07;
        int number = v[3] & 0xff;
        if (cls < 3 || cls > 6 || number > 99) {
            throw new StunFormatException("ERROR-CODE class " + cls + " number " + number + " is out of range");
        }
        return new ErrorCode(cls * 100 + number, text(v, 4, "ERROR-CODE reason"));
    }

    // ------------------------------------------------------------------ UNKNOWN-ATTRIBUTES, SOFTWARE, CHANGE-REQUEST

    /** UNKNOWN-ATTRIBUTES (RFC 8489, section 14.9): a list of 16-bit types. */
    public static StunAttribute unknownAttributes(List<Integer> types) {
        ByteBuffer b = ByteBuffer.allocate(2 * types.size());
        for (int t : types) {
            b.putShort((short) t);
        }
        return new StunAttribute(UNKNOWN_ATTRIBUTES, b.array());
    }

    public static List<Integer> decodeUnknownAttributes(StunAttribute a) throws StunFormatException {
        byte[] v = a.valueView();
        if (v.length % 2 != 0) {
            throw new StunFormatException("UNKNOWN-ATTRIBUTES of odd length " + v.length);
        }
        List<Integer> types = new ArrayList<>(v.length / 2);
        for (int i = 0; i < v.length; i += 2) {
            types.add(((v[i] & 0xff) << 8) | (v[i + 1] & 0xff));
        }
        return types;
    }

    /** SOFTWARE (RFC 8489, section 14.14): a UTF-8 description of fewer than 128 characters. */
    public static StunAttribute software(String description) {
        return new StunAttribute(SOFTWARE, utf8(description));
    }

    public static String decodeSoftware(StunAttribute a) throws StunFormatException {
        return text(a.valueView(), 0, "SOFTWARE");
    }

    /**
     * CHANGE-REQUEST (RFC 5780, section 7.2): 32 bits of which A (0x4) asks to answer from the
     * other IP address and B (0x2) from the other port.
     */
    public static StunAttribute changeRequest(boolean changeIp, boolean changePort) {
        int flags = (changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0);
        return new StunAttribute(CHANGE_REQUEST, ByteBuffer.allocate(4).putInt(flags).array());
    }

    /** The CHANGE-REQUEST flags ({@link #CHANGE_IP}, {@link #CHANGE_PORT}); other bits are ignored. */
    public static int decodeChangeRequest(StunAttribute a) throws StunFormatException {
        byte[] v = a.valueView();
        if (v.length != 4) {
            throw new StunFormatException("CHANGE-REQUEST of " + v.length + " bytes");
        }
        return v[3] & (CHANGE_IP | CHANGE_PORT);
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] utf8(String s) {
        String cut = s.codePointCount(0, s.length()) > MAX_TEXT_CHARACTERS
                ? s.substring(0, s.offsetByCodePoints(0, MAX_TEXT_CHARACTERS)) : s;
        return cut.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] v, int from, String what) throws StunFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(v, from, v.length - from)).toString();
        } catch (CharacterCodingException e) {
            throw new StunFormatException(what + " is not UTF-8");
        }
    }

    /** A readable name of an attribute type, for messages. */
    public static String name(int type) {
        return switch (type) {
            case MAPPED_ADDRESS -> "MAPPED-ADDRESS";
            case CHANGE_REQUEST -> "CHANGE-REQUEST";
            case ERROR_CODE -> "ERROR-CODE";
            case UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case SOFTWARE -> "SOFTWARE";
            case FINGERPRINT -> "FINGERPRINT";
            case RESPONSE_ORIGIN -> "RESPONSE-ORIGIN";
            case OTHER_ADDRESS -> "OTHER-ADDRESS";
            default -> String.format("attribute 0x%04x", type);
        };
    }

    /** The comprehension-required attributes of {@code m} outside {@code understood}. */
    static List<Integer> notUnderstood(StunMessage m, Set<Integer> understood) {
        List<Integer> unknown = new ArrayList<>();
        for (StunAttribute a : m.attributes()) {
            if (a.comprehensionRequired() && !understood.contains(a.type()) && !unknown.contains(a.type())) {
                unknown.add(a.type());
            }
        }
        return unknown;
    }
}
