package dev.srudp.core.connection;

import dev.srudp.ErrorCodes;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.HandshakeException;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.NoiseHandshake;
import dev.srudp.core.crypto.NoisePattern;
import dev.srudp.core.crypto.PacketProtection;
import dev.srudp.core.crypto.StaticKeyCertificate;
import dev.srudp.core.crypto.Tai64n;
import dev.srudp.core.crypto.TransportKeys;
import dev.srudp.core.wire.Frame;
import dev.srudp.core.wire.HandshakePayload;
import dev.srudp.core.wire.Packets;
import dev.srudp.core.wire.VarInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the published test vectors of docs/vectors from fixed keys, with the implementation's
 * own classes: the Noise handshakes with injected ephemeral keys, the handshake packets, packet
 * protection and the frame encoders. The output is deterministic; {@link ProtocolVectorsTest}
 * compares it with the committed files and checks the files independently.
 *
 * <p>Run the test with {@code -Dsrudp.vectors.write=true} to rewrite the files.
 */
public final class ProtocolVectors {

    static final HexFormat HEX = HexFormat.of();

    /** The file names under docs/vectors, in the order they are produced. */
    static final List<String> FILES = List.of("handshake-ik.json", "handshake-xx.json", "packets.json",
            "frames.json");

    // Fixed secrets: byte runs that anyone can type in. Never use such keys for anything real.
    static final byte[] INITIATOR_IDENTITY_SEED = run(0x00);
    static final byte[] RESPONDER_IDENTITY_SEED = run(0x20);
    static final byte[] INITIATOR_STATIC_PRIVATE = run(0x40);
    static final byte[] RESPONDER_STATIC_PRIVATE = run(0x60);
    static final byte[] IK_INITIATOR_EPHEMERAL_PRIVATE = run(0x80);
    static final byte[] IK_RESPONDER_EPHEMERAL_PRIVATE = run(0xa0);
    static final byte[] XX_INITIATOR_EPHEMERAL_PRIVATE = run(0xc0);
    static final byte[] XX_RESPONDER_EPHEMERAL_PRIVATE = run(0xe0);

    static final long INITIATOR_CID = 0x0102030405060708L;
    static final long RESPONDER_CID = 0x1112131415161718L;
    /** 2023-11-14T22:13:20.123456789Z. */
    static final long TIMESTAMP_EPOCH_NANOS = 1_700_000_000_123_456_789L;

    // The transport parameters of an endpoint with the default configuration.
    static final long IDLE_MS = 60_000;
    static final long MAX_DATA = 4 << 20;
    static final long MAX_STREAM_DATA = 1 << 20;
    static final long MAX_STREAMS = 128;
    static final long MAX_UDP = 1200;
    static final long MAX_DATAGRAM = MAX_UDP - Packets.DATA_HEADER_LENGTH - Packets.TAG_LENGTH - 1 - 16;

    private ProtocolVectors() {
    }

    /** The prologue of every srudp version 1 handshake: the ASCII bytes of "srudp/1". */
    static byte[] prologue() {
        return EndpointContext.PROLOGUE.clone();
    }

    private static byte[] run(int first) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static String hex(long v) {
        return HEX.formatHex(ByteBuffer.allocate(8).putLong(v).array());
    }

    /** One side's fixed keys. */
    record Side(String role, Identity identity, DhKeyPair staticKey, DhKeyPair ephemeral, long cid) {
        StaticKeyCertificate certificate() {
            return identity.certify(staticKey.publicKey());
        }

        HandshakePayload payload(byte[] timestampOrNull) {
            return new HandshakePayload(certificate().encode(), timestampOrNull, IDLE_MS, MAX_DATA,
                    MAX_STREAM_DATA, MAX_STREAMS, MAX_DATAGRAM, MAX_UDP);
        }

        Map<String, Object> describe(String description) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", description);
            m.put("identity_seed", hex(identity.seed()));
            m.put("identity_public_key", hex(identity.publicKey()));
            m.put("static_private_key", hex(staticKey.privateKey()));
            m.put("static_public_key", hex(staticKey.publicKey()));
            m.put("ephemeral_private_key", hex(ephemeral.privateKey()));
            m.put("ephemeral_public_key", hex(ephemeral.publicKey()));
            m.put("certificate", hex(certificate().encode()));
            m.put("connection_id", hex(cid));
            return m;
        }
    }

    static Side initiator(NoisePattern pattern) {
        return new Side("initiator", Identity.fromSeed(INITIATOR_IDENTITY_SEED),
                DhKeyPair.fromPrivateKey(INITIATOR_STATIC_PRIVATE), DhKeyPair.fromPrivateKey(
                        pattern == NoisePattern.IK ? IK_INITIATOR_EPHEMERAL_PRIVATE : XX_INITIATOR_EPHEMERAL_PRIVATE),
                INITIATOR_CID);
    }

    static Side responder(NoisePattern pattern) {
        return new Side("responder", Identity.fromSeed(RESPONDER_IDENTITY_SEED),
                DhKeyPair.fromPrivateKey(RESPONDER_STATIC_PRIVATE), DhKeyPair.fromPrivateKey(
                        pattern == NoisePattern.IK ? IK_RESPONDER_EPHEMERAL_PRIVATE : XX_RESPONDER_EPHEMERAL_PRIVATE),
                RESPONDER_CID);
    }

    /** The result of running one handshake between the fixed sides. */
    record Transcript(List<Map<String, Object>> messages, byte[] handshakeHash, TransportKeys initiatorKeys,
            TransportKeys responderKeys) {
    }

    static byte[] packet(int type, long receiverId, long senderId, byte[] noiseMessage) {
        Packets.Handshake packet = new Packets.Handshake(type, Packets.VERSION_1, receiverId, senderId,
                ByteBuffer.wrap(noiseMessage));
        ByteBuffer out = ByteBuffer.allocate(packet.encodedLength());
        packet.encode(out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static Map<String, Object> message(String name, String description, byte[] payload, byte[] noise,
            byte[] packet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", description);
        m.put("payload", hex(payload));
        m.put("noise_message", hex(noise));
        m.put("packet", hex(packet));
        return m;
    }

    /** Runs the handshake of {@code pattern} between the fixed sides, both directions checked. */
    static Transcript transcript(NoisePattern pattern) throws HandshakeException {
        Side i = initiator(pattern);
        Side r = responder(pattern);
        NoiseHandshake hi = NoiseHandshake.initiator(pattern, NoiseCipher.AESGCM, prologue(), i.staticKey(),
                i.ephemeral(), pattern == NoisePattern.IK ? r.staticKey().publicKey() : null, null);
        NoiseHandshake hr = NoiseHandshake.responder(pattern, NoiseCipher.AESGCM, prologue(), r.staticKey(),
                r.ephemeral(), null, null);
        List<Map<String, Object>> messages = new ArrayList<>();
        if (pattern == NoisePattern.IK) {
            byte[] p1 = i.payload(Tai64n.fromEpochNanos(TIMESTAMP_EPOCH_NANOS)).encode();
            byte[] m1 = hi.writeMessage(p1);
            require(Arrays.equals(p1, hr.readMessage(m1)), "IK message 1 payload");
            messages.add(message("INIT_IK", "Noise IK message 1 (-> e, es, s, ss): the initiator's certificate, "
                    + "TAI64N timestamp and transport parameters", p1, m1,
                    packet(Packets.TYPE_INIT_IK, 0, i.cid(), m1)));
            byte[] p2 = r.payload(null).encode();
            byte[] m2 = hr.writeMessage(p2);
            require(Arrays.equals(p2, hi.readMessage(m2)), "IK message 2 payload");
            messages.add(message("RESPONSE", "Noise IK message 2 (<- e, ee, se): the responder's certificate and "
                    + "transport parameters", p2, m2, packet(Packets.TYPE_RESPONSE, i.cid(), r.cid(), m2)));
        } else {
            byte[] p1 = new byte[0];
            byte[] m1 = hi.writeMessage(p1);
            require(hr.readMessage(m1).length == 0, "XX message 1 payload");
            messages.add(message("INIT_XX", "Noise XX message 1 (-> e) with an empty payload", p1, m1,
                    packet(Packets.TYPE_INIT_XX, 0, i.cid(), m1)));
            byte[] p2 = r.payload(null).encode();
            byte[] m2 = hr.writeMessage(p2);
            require(Arrays.equals(p2, hi.readMessage(m2)), "XX message 2 payload");
            messages.add(message("RESPONSE", "Noise XX message 2 (<- e, ee, s, es): the responder's certificate "
                    + "and transport parameters", p2, m2, packet(Packets.TYPE_RESPONSE, i.cid(), r.cid(), m2)));
            byte[] p3 = i.payload(null).encode();
            byte[] m3 = hi.writeMessage(p3);
            require(Arrays.equals(p3, hr.readMessage(m3)), "XX message 3 payload");
            messages.add(message("FINISH", "Noise XX message 3 (-> s, se): the initiator's certificate and "
                    + "transport parameters", p3, m3, packet(Packets.TYPE_FINISH, r.cid(), i.cid(), m3)));
        }
        require(Arrays.equals(hi.handshakeHash(), hr.handshakeHash()), "handshake hash");
        return new Transcript(messages, hi.handshakeHash(), hi.split(), hr.split());
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("vector generation: " + what + " does not match");
        }
    }

    static Map<String, Object> handshakeFile(NoisePattern pattern) throws HandshakeException {
        Transcript t = transcript(pattern);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", pattern == NoisePattern.IK
                ? "A complete srudp IK handshake (initiator pinned the responder's static key) from fixed keys"
                : "A complete srudp XX handshake (no key known in advance) from fixed keys");
        m.put("protocol_name", NoiseHandshake.protocolName(pattern, NoiseCipher.AESGCM));
        m.put("prologue", hex(prologue()));
        if (pattern == NoisePattern.IK) {
            m.put("timestamp", hex(Tai64n.fromEpochNanos(TIMESTAMP_EPOCH_NANOS)));
            m.put("timestamp_epoch_nanos", Long.toString(TIMESTAMP_EPOCH_NANOS));
        }
        m.put("initiator", initiator(pattern).describe("the side that sends the first message"));
        m.put("responder", responder(pattern).describe("the side that answers"));
        m.put("messages", t.messages());
        m.put("handshake_hash", hex(t.handshakeHash()));
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("description", "Noise Split(): c1 protects initiator-to-responder packets, c2 "
                + "responder-to-initiator packets");
        keys.put("initiator_send_key", hex(t.initiatorKeys().sendKey()));
        keys.put("initiator_receive_key", hex(t.initiatorKeys().receiveKey()));
        keys.put("responder_send_key", hex(t.responderKeys().sendKey()));
        keys.put("responder_receive_key", hex(t.responderKeys().receiveKey()));
        m.put("transport_keys", keys);
        return m;
    }

    /** A DATA packet to seal: the direction decides the key. */
    record DataPacket(String name, String description, boolean fromInitiator, long packetNumber, List<Frame> frames) {
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static List<DataPacket> dataPackets() {
        return List.of(
                new DataPacket("initiator pn 0", "the initiator's first protected packet: PING, then STREAM 0 "
                        + "(offset 0, explicit length) carrying \"hello, \"", true, 0,
                        List.of(new Frame.Ping(), new Frame.Stream(0, 0, false, ascii("hello, ")))),
                new DataPacket("initiator pn 1", "STREAM 0 at offset 7 with FIN, carrying \"srudp\"", true, 1,
                        List.of(new Frame.Stream(0, 7, true, ascii("srudp")))),
                new DataPacket("responder pn 0", "the responder's first packet: ACK of packets 0-1 (delay 1000 us), "
                        + "then STREAM 0 with FIN carrying \"ok\"", false, 0,
                        List.of(new Frame.Ack(1000, new long[] {1, 0}), new Frame.Stream(0, 0, true, ascii("ok")))),
                new DataPacket("initiator pn 2", "ACK of the responder's packet 0 (delay 0), then CONNECTION_CLOSE "
                        + "NO_ERROR \"bye\"", true, 2,
                        List.of(new Frame.Ack(0, new long[] {0, 0}), new Frame.ConnectionClose(ErrorCodes.NO_ERROR,
                                "bye"))));
    }

    static byte[] plaintext(List<Frame> frames) {
        int n = 0;
        for (Frame f : frames) {
            n += f.encodedLength();
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (Frame f : frames) {
            f.encode(out);
        }
        return out.array();
    }

    static byte[] dataHeader(long destinationCid, long packetNumber) {
        return ByteBuffer.allocate(Packets.DATA_HEADER_LENGTH).put((byte) Packets.TYPE_DATA).putLong(destinationCid)
                .putLong(packetNumber).array();
    }

    static byte[] aesGcmNonce(long packetNumber) {
        return ByteBuffer.allocate(12).putInt(0).putLong(packetNumber).array();
    }

    static Map<String, Object> packetsFile() throws HandshakeException {
        Transcript ik = transcript(NoisePattern.IK);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "Protected DATA packets sealed with the transport keys of handshake-ik.json, and "
                + "REJECT packets");
        List<Map<String, Object>> data = new ArrayList<>();
        for (DataPacket p : dataPackets()) {
            byte[] key = p.fromInitiator() ? ik.initiatorKeys().sendKey() : ik.responderKeys().sendKey();
            long destination = p.fromInitiator() ? RESPONDER_CID : INITIATOR_CID;
            byte[] header = dataHeader(destination, p.packetNumber());
            byte[] plain = plaintext(p.frames());
            byte[] buf = new byte[header.length + plain.length + PacketProtection.TAG_LENGTH];
            System.arraycopy(header, 0, buf, 0, header.length);
            System.arraycopy(plain, 0, buf, header.length, plain.length);
            int length = new PacketProtection(NoiseCipher.AESGCM, key).seal(p.packetNumber(), buf, 0, header.length,
                    plain.length);
            require(length == buf.length, "sealed length");
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.name());
            e.put("description", p.description());
            e.put("direction", p.fromInitiator() ? "initiator to responder" : "responder to initiator");
            e.put("key", hex(key));
            e.put("packet_number", p.packetNumber());
            e.put("header", hex(header));
            e.put("nonce", hex(aesGcmNonce(p.packetNumber())));
            e.put("plaintext", hex(plain));
            e.put("packet", hex(buf));
            data.add(e);
        }
        m.put("data_packets", data);
        List<Map<String, Object>> rejects = new ArrayList<>();
        rejects.add(reject("REJECT unknown key", "reason 1: an INIT_IK could not be decrypted; fall back to XX",
                Packets.REJECT_UNKNOWN_KEY));
        rejects.add(reject("REJECT version", "reason 2: the INIT's version is not supported; version 1 is",
                Packets.REJECT_VERSION));
        rejects.add(reject("REJECT busy", "reason 3: the responder is at its connection limit or closing",
                Packets.REJECT_BUSY));
        m.put("reject_packets", rejects);
        return m;
    }

    private static Map<String, Object> reject(String name, String description, int reason) {
        ByteBuffer out = ByteBuffer.allocate(16);
        new Packets.Reject(Packets.VERSION_1, INITIATOR_CID, reason, new byte[] {Packets.VERSION_1}).encode(out);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("description", description + " (sent to the initiator's connection ID)");
        e.put("reason", (long) reason);
        e.put("packet", hex(Arrays.copyOf(out.array(), out.position())));
        return e;
    }

    /** A frame vector: the frame object and what it shows. */
    record FrameVector(String name, String description, Frame frame) {
    }

    static List<FrameVector> frameVectors() {
        return List.of(
                new FrameVector("PADDING", "three zero bytes; a run of zeros decodes as one PADDING frame",
                        new Frame.Padding(3)),
                new FrameVector("PING", "ack-eliciting, no fields", new Frame.Ping()),
                new FrameVector("ACK one range", "largest 5, delay 250 us, packets 5..3 acknowledged",
                        new Frame.Ack(250, new long[] {5, 3})),
                new FrameVector("ACK three ranges", "largest 1000, delay 16384 us; ranges 1000..990, 980..980, "
                        + "500..0 (gaps 990-980-2 = 8 and 980-500-2 = 478)",
                        new Frame.Ack(16384, new long[] {1000, 990, 980, 980, 500, 0})),
                new FrameVector("RESET_STREAM", "stream 4, application code 0x101, final size 1000",
                        new Frame.ResetStream(4, 0x101, 1000)),
                new FrameVector("STOP_SENDING", "stream 1, STREAM_CANCELLED",
                        new Frame.StopSending(1, ErrorCodes.STREAM_CANCELLED)),
                new FrameVector("STREAM 0x08", "stream 0, offset 0, no length: the data runs to the packet's end",
                        new Frame.Stream(0, 0, false, ascii("abc"), false)),
                new FrameVector("STREAM 0x0a", "stream 0, offset 0, explicit length 3",
                        new Frame.Stream(0, 0, false, ascii("abc"), true)),
                new FrameVector("STREAM 0x0b", "stream 4, offset 0, explicit length, FIN",
                        new Frame.Stream(4, 0, true, ascii("abc"), true)),
                new FrameVector("STREAM 0x0f", "stream 5, offset 16384, explicit length 2, FIN",
                        new Frame.Stream(5, 16384, true, ascii("hi"), true)),
                new FrameVector("STREAM 0x0b empty", "stream 8, offset 0, length 0, FIN: an empty stream's end",
                        new Frame.Stream(8, 0, true, ByteBuffer.allocate(0), true)),
                new FrameVector("MAX_DATA", "connection limit 4 MiB", new Frame.MaxData(4 << 20)),
                new FrameVector("MAX_STREAM_DATA", "stream 0 limit 1 MiB + 65536",
                        new Frame.MaxStreamData(0, (1 << 20) + 65536)),
                new FrameVector("MAX_STREAMS", "the peer may open 129 streams in all", new Frame.MaxStreams(129)),
                new FrameVector("DATA_BLOCKED", "blocked at connection limit 4 MiB", new Frame.DataBlocked(4 << 20)),
                new FrameVector("STREAM_DATA_BLOCKED", "stream 4 blocked at 65536",
                        new Frame.StreamDataBlocked(4, 65536)),
                new FrameVector("PATH_CHALLENGE", "eight bytes 0x0123456789abcdef",
                        new Frame.PathChallenge(0x0123456789abcdefL)),
                new FrameVector("PATH_RESPONSE", "echoes the challenge above",
                        new Frame.PathResponse(0x0123456789abcdefL)),
                new FrameVector("CONNECTION_CLOSE", "FLOW_CONTROL_ERROR with reason \"limit\"",
                        new Frame.ConnectionClose(ErrorCodes.FLOW_CONTROL_ERROR, "limit")),
                new FrameVector("CONNECTION_CLOSE application", "application code 0x100, empty reason",
                        new Frame.ConnectionClose(ErrorCodes.APPLICATION_BASE, "")),
                new FrameVector("DATAGRAM 0x30", "no length: the datagram runs to the packet's end",
                        new Frame.Datagram(ascii("ping"), false)),
                new FrameVector("DATAGRAM 0x31", "explicit length 4", new Frame.Datagram(ascii("ping"), true)));
    }

    static byte[] encode(Frame f) {
        ByteBuffer out = ByteBuffer.allocate(f.encodedLength());
        f.encode(out);
        return out.array();
    }

    /** RFC 9000, Appendix A.1's examples plus the boundaries of each length. */
    static final long[] VARINTS = {0, 37, 63, 64, 15293, 16383, 16384, 494878333, 1073741823, 1073741824,
        151288809941952652L, VarInt.MAX};

    static Map<String, Object> framesFile() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "Encodings of every frame type and of variable-length integers");
        List<Map<String, Object>> frames = new ArrayList<>();
        for (FrameVector v : frameVectors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", v.name());
            e.put("description", v.description());
            e.put("frame", hex(encode(v.frame())));
            frames.add(e);
        }
        m.put("frames", frames);
        List<Map<String, Object>> varints = new ArrayList<>();
        for (long v : VARINTS) {
            ByteBuffer out = ByteBuffer.allocate(8);
            VarInt.write(out, v);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("description", "the minimal encoding of " + v);
            e.put("value", Long.toString(v));
            e.put("encoding", hex(Arrays.copyOf(out.array(), out.position())));
            varints.add(e);
        }
        m.put("varints", varints);
        return m;
    }

    /** Every file's content, keyed by file name. */
    static Map<String, String> render() throws HandshakeException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(FILES.get(0), toJson(handshakeFile(NoisePattern.IK)));
        files.put(FILES.get(1), toJson(handshakeFile(NoisePattern.XX)));
        files.put(FILES.get(2), toJson(packetsFile()));
        files.put(FILES.get(3), toJson(framesFile()));
        return files;
    }

    /** docs/vectors of the source tree, found from the working directory upward. */
    static Path vectorsDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("srudp-core")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("docs").resolve("vectors");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the source tree's root from " + Path.of("").toAbsolutePath());
    }

    /** Writes every file into {@code directory}. */
    static void write(Path directory) throws IOException, HandshakeException {
        Files.createDirectories(directory);
        for (Map.Entry<String, String> e : render().entrySet()) {
            Files.writeString(directory.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- a deterministic JSON writer

    static String toJson(Object value) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, value, "");
        return sb.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static void writeJson(StringBuilder sb, Object value, String indent) {
        String inner = indent + "  ";
        if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                sb.append(first ? "\n" : ",\n").append(inner);
                string(sb, e.getKey());
                sb.append(": ");
                writeJson(sb, e.getValue(), inner);
                first = false;
            }
            sb.append('\n').append(indent).append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                sb.append(first ? "\n" : ",\n").append(inner);
                writeJson(sb, o, inner);
                first = false;
            }
            sb.append('\n').append(indent).append(']');
        } else if (value instanceof String s) {
            string(sb, s);
        } else if (value instanceof Long n) {
            if (Math.abs(n) > (1L << 53)) {
                throw new IllegalArgumentException("a JSON number loses precision beyond 2^53: " + n);
            }
            sb.append(n);
        } else {
            throw new IllegalArgumentException("not a JSON value here: " + value);
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
