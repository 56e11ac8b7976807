package dev.srudp.core.wire;

import java.nio.ByteBuffer;

/**
 * The packet layouts on the UDP socket (docs/protocol.md, "Packets"). The first byte tells every
 * kind of datagram apart, so srudp shares its socket with STUN as RFC 7983 arranges:
 *
 * <pre>
 *   0x00-0x03  STUN: RFC 7983, section 7, gives first-byte values 0 to 3 to STUN when
 *              several protocols share one socket; srudp keeps them free for it
 *   0xC1       HANDSHAKE_INIT_IK    Noise IK message 1
 *   0xC2       HANDSHAKE_INIT_XX    Noise XX message 1
 *   0xC3       HANDSHAKE_RESPONSE   Noise message 2
 *   0xC4       HANDSHAKE_FINISH     Noise XX message 3
 *   0xC5       HANDSHAKE_REJECT     unauthenticated refusal of a first message
 *   0xC6       COOKIE               stateless address-validation token under load
 *   0xC7       PROBE                reserved: hole-punching probe before a handshake
 *   0xD0-0xD1  DATA                 protected packet; the low bit is the key phase
 *   anything else is dropped
 * </pre>
 *
 * Handshake packets (all multi-byte integers big-endian):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Type (8)    |  Version (8)  |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  Receiver Connection ID (64)  +
 *  |            (RESPONSE, FINISH and REJECT only)                 |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   Sender Connection ID (64)   +
 *  |             (INIT, RESPONSE and FINISH)                       |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |   Noise message (..)         ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * DATA packets:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |1 1 0 1 0 0 0 K|                                               |
 *  +-+-+-+-+-+-+-+-+     Destination Connection ID (64)            +
 *  |                                               |               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               +
 *  |                    Packet Number (64)                         |
 *  +                                               +-+-+-+-+-+-+-+-+
 *  |                                               |               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               +
 *  |            AEAD ciphertext of the frames, then a 16-byte tag ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The 17 header bytes are the AEAD's associated data; the packet number is its nonce.
 */
public final class Packets {
    /** The protocol version this implementation speaks. */
    public static final int VERSION_1 = 1;

    public static final int TYPE_INIT_IK = 0xC1;
    public static final int TYPE_INIT_XX = 0xC2;
    public static final int TYPE_RESPONSE = 0xC3;
    public static final int TYPE_FINISH = 0xC4;
    public static final int TYPE_REJECT = 0xC5;
    public static final int TYPE_COOKIE = 0xC6;
    public static final int TYPE_PROBE = 0xC7;
    public static final int TYPE_DATA = 0xD0;

    public static final int CID_LENGTH = 8;
    /** The smallest INIT datagram a responder answers. */
    public static final int MIN_INIT_LENGTH = 1200;
    /** The longest address-validation token. */
    public static final int MAX_TOKEN_LENGTH = 64;
    /** Type, version, sender connection ID. */
    public static final int INIT_HEADER_LENGTH = 2 + CID_LENGTH;
    /** Type, version, receiver and sender connection IDs. */
    public static final int RESPONSE_HEADER_LENGTH = 2 + 2 * CID_LENGTH;
    /** Type, destination connection ID, packet number. */
    public static final int DATA_HEADER_LENGTH = 1 + CID_LENGTH + 8;
    /** The AEAD tag that follows every DATA packet's ciphertext. */
    public static final int TAG_LENGTH = 16;

    /** REJECT reason: the first message could not be decrypted (an IK initiator used an old key). */
    public static final int REJECT_UNKNOWN_KEY = 1;
    /** REJECT reason: the version is not supported; the supported versions follow. */
    public static final int REJECT_VERSION = 2;
    /** REJECT reason: the responder is at its connection limit or refuses new connections. */
    public static final int REJECT_BUSY = 3;

    private Packets() {
    }

    /** What the first byte of a datagram says it is. */
    public enum Kind {
        STUN, INIT_IK, INIT_XX, RESPONSE, FINISH, REJECT, COOKIE, PROBE, DATA, UNKNOWN
    }

    /** Classifies a datagram by its first byte. */
    public static Kind kind(int firstByte) {
        int b = firstByte & 0xff;
        if (b <= 0x03) {
            return Kind.STUN;
        }
        return switch (b) {
            case TYPE_INIT_IK -> Kind.INIT_IK;
            case TYPE_INIT_XX -> Kind.INIT_XX;
            case TYPE_RESPONSE -> Kind.RESPONSE;
            case TYPE_FINISH -> Kind.FINISH;
            case TYPE_REJECT -> Kind.REJECT;
            case TYPE_COOKIE -> Kind.COOKIE;
            case TYPE_PROBE -> Kind.PROBE;
            case TYPE_DATA, TYPE_DATA | 1 -> Kind.DATA;
            default -> Kind.UNKNOWN;
        };
    }

    /**
     * A handshake packet: INIT, RESPONSE or FINISH.
     *
     * <p>An INIT carries, after its fixed header, the address-validation token from a COOKIE
     * (length-prefixed, usually empty) and the length of its Noise message, and is padded with
     * zeros to {@link #MIN_INIT_LENGTH} bytes: a responder answers only datagrams at least that
     * long, so its answers never amplify a spoofed sender's traffic (RFC 9000, section 14.1:
     * "A server MUST discard an Initial packet that is carried in a UDP datagram with a payload
     * that is smaller than the smallest allowed maximum datagram size of 1200 bytes").
     * <pre>
     *  INIT:              Type (8), Version (8), Sender Connection ID (64), Token Length (8),
     *                     Token (..), Noise Length (16), Noise message (..), zero padding (..)
     *  RESPONSE, FINISH:  Type (8), Version (8), Receiver Connection ID (64),
     *                     Sender Connection ID (64), Noise message (..)
     * </pre>
     *
     * @param receiverId   0 for INIT (not on the wire)
     * @param noiseMessage the Noise handshake message (a view of the datagram)
     * @param token        the address-validation token of an INIT (empty when none)
     */
    public record Handshake(int type, int version, long receiverId, long senderId, ByteBuffer noiseMessage,
            ByteBuffer token) {

        public Handshake {
            if (token.remaining() > MAX_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token of " + token.remaining() + " bytes; at most "
                        + MAX_TOKEN_LENGTH);
            }
        }

        /** A packet without a token. */
        public Handshake(int type, int version, long receiverId, long senderId, ByteBuffer noiseMessage) {
            this(type, version, receiverId, senderId, noiseMessage, ByteBuffer.allocate(0));
        }

        public boolean isInit() {
            return type == TYPE_INIT_IK || type == TYPE_INIT_XX;
        }

        /** The same INIT with another token. */
        public Handshake withToken(byte[] newToken) {
            return new Handshake(type, version, receiverId, senderId, noiseMessage, ByteBuffer.wrap(newToken.clone()));
        }

        /** The encoded size (an INIT includes its padding). */
        public int encodedLength() {
            if (isInit()) {
                return Math.max(MIN_INIT_LENGTH, INIT_HEADER_LENGTH + 1 + token.remaining() + 2
                        + noiseMessage.remaining());
            }
            return RESPONSE_HEADER_LENGTH + noiseMessage.remaining();
        }

        /** Writes the packet. */
        public void encode(ByteBuffer out) {
            int start = out.position();
            out.put((byte) type).put((byte) version);
            if (isInit()) {
                out.putLong(senderId);
                out.put((byte) token.remaining()).put(token.duplicate());
                out.putShort((short) noiseMessage.remaining());
                out.put(noiseMessage.duplicate());
                while (out.position() - start < MIN_INIT_LENGTH) {
                    out.put((byte) 0);
                }
            } else {
                out.putLong(receiverId);
                out.putLong(senderId);
                out.put(noiseMessage.duplicate());
            }
        }

        /** Reads an INIT, RESPONSE or FINISH packet (an INIT's length is not checked here). */
        public static Handshake decode(ByteBuffer in) throws WireFormatException {
            int type = in.remaining() > 0 ? in.get(in.position()) & 0xff : -1;
            boolean init = type == TYPE_INIT_IK || type == TYPE_INIT_XX;
            if (!init && type != TYPE_RESPONSE && type != TYPE_FINISH) {
                throw new WireFormatException("not a handshake packet");
            }
            int header = init ? INIT_HEADER_LENGTH + 1 : RESPONSE_HEADER_LENGTH;
            if (in.remaining() < header) {
                throw new WireFormatException("truncated handshake packet: " + in.remaining() + " bytes");
            }
            in.get();
            int version = in.get() & 0xff;
            if (!init) {
                long receiver = in.getLong();
                long sender = in.getLong();
                return new Handshake(type, version, receiver, sender, in.slice().asReadOnlyBuffer());
            }
            long sender = in.getLong();
            int tokenLength = in.get() & 0xff;
            if (tokenLength > MAX_TOKEN_LENGTH || in.remaining() < tokenLength + 2) {
                throw new WireFormatException("INIT token of " + tokenLength + " bytes is too long or truncated");
            }
            ByteBuffer token = in.slice();
            token.limit(tokenLength);
            in.position(in.position() + tokenLength);
            int noiseLength = in.getShort() & 0xffff;
            if (in.remaining() < noiseLength) {
                throw new WireFormatException("INIT Noise message of " + noiseLength + " bytes is truncated");
            }
            ByteBuffer noise = in.slice();
            noise.limit(noiseLength);
            return new Handshake(type, version, 0, sender, noise.asReadOnlyBuffer(), token.asReadOnlyBuffer());
        }
    }

    /**
     * A stateless answer to an INIT under load: the token to put in the next INIT. It proves that
     * the initiator receives packets at its address; the responder keeps no state until it does.
     * <pre>
     *  Type (8) = 0xC6, Version (8), Receiver Connection ID (64), Token Length (8), Token (..)
     * </pre>
     */
    public record Cookie(int version, long receiverId, byte[] token) {

        public void encode(ByteBuffer out) {
            out.put((byte) TYPE_COOKIE).put((byte) version).putLong(receiverId).put((byte) token.length).put(token);
        }

        public static Cookie decode(ByteBuffer in) throws WireFormatException {
            if (in.remaining() < 11 || (in.get(in.position()) & 0xff) != TYPE_COOKIE) {
                throw new WireFormatException("truncated or not a COOKIE packet");
            }
            in.get();
            int version = in.get() & 0xff;
            long receiver = in.getLong();
            int length = in.get() & 0xff;
            if (length > MAX_TOKEN_LENGTH || in.remaining() < length) {
                throw new WireFormatException("COOKIE token of " + length + " bytes is too long or truncated");
            }
            byte[] token = new byte[length];
            in.get(token);
            return new Cookie(version, receiver, token);
        }
    }

    /**
     * A refusal of a first message. It is not authenticated, so it only ever hastens what a
     * timeout would also do: fall back to XX, or report a version mismatch.
     *
     * <pre>
     *  Type (8) = 0xC5, Version (8), Receiver Connection ID (64), Reason (8),
     *  Supported Version Count (8), Supported Versions (8) ...
     * </pre>
     */
    public record Reject(int version, long receiverId, int reason, byte[] supportedVersions) {

        public void encode(ByteBuffer out) {
            out.put((byte) TYPE_REJECT).put((byte) version).putLong(receiverId).put((byte) reason)
                    .put((byte) supportedVersions.length).put(supportedVersions);
        }

        public static Reject decode(ByteBuffer in) throws WireFormatException {
            if (in.remaining() < 12 || (in.get(in.position()) & 0xff) != TYPE_REJECT) {
                throw new WireFormatException("truncated or not a REJECT packet");
            }
            in.get();
            int version = in.get() & 0xff;
            long receiver = in.getLong();
            int reason = in.get() & 0xff;
            int count = in.get() & 0xff;
            if (in.remaining() < count) {
                throw new WireFormatException("REJECT lists " + count + " versions but carries " + in.remaining());
            }
            byte[] versions = new byte[count];
            in.get(versions);
            return new Reject(version, receiver, reason, versions);
        }
    }
}
