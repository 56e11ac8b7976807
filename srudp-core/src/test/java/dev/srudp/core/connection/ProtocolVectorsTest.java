package dev.srudp.core.connection;

import static dev.srudp.core.connection.ProtocolVectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.crypto.Json;
import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.NoiseHandshake;
import dev.srudp.core.crypto.NoisePattern;
import dev.srudp.core.crypto.PacketProtection;
import dev.srudp.core.crypto.StaticKeyCertificate;
import dev.srudp.core.crypto.Tai64n;
import dev.srudp.core.crypto.TransportKeys;
import dev.srudp.core.wire.Frame;
import dev.srudp.core.wire.FrameCodec;
import dev.srudp.core.wire.HandshakePayload;
import dev.srudp.core.wire.Packets;
import dev.srudp.core.wire.VarInt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published vectors in docs/vectors: the generator must reproduce them byte for byte, and
 * each file is checked on its own terms, from its hex strings, by running the receiving side of
 * the protocol over it. Run with {@code -Dsrudp.vectors.write=true} to rewrite the files first.
 */
class ProtocolVectorsTest {

    private static Path dir;

    @BeforeAll
    static void locate() throws Exception {
        dir = ProtocolVectors.vectorsDirectory();
        if (Boolean.getBoolean("srudp.vectors.write")) {
            ProtocolVectors.write(dir);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> file(String name) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static byte[] hex(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertNotNull(v, key);
        return HEX.parseHex((String) v);
    }

    @Test
    void generatorReproducesTheCommittedFiles() throws Exception {
        Map<String, String> rendered = ProtocolVectors.render();
        assertEquals(ProtocolVectors.FILES, new ArrayList<>(rendered.keySet()));
        for (Map.Entry<String, String> e : rendered.entrySet()) {
            String committed = Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8);
            assertEquals(committed, e.getValue(), () -> e.getKey() + " differs from the generator's output; "
                    + "rerun with -Dsrudp.vectors.write=true if the protocol changed on purpose");
        }
    }

    @Test
    void everyEntryIsDescribed() throws Exception {
        for (String name : ProtocolVectors.FILES) {
            checkDescribed(file(name), name);
        }
    }

    private static void checkDescribed(Object node, String where) {
        if (node instanceof Map<?, ?> m) {
            boolean entry = m.containsKey("name") || m.containsKey("encoding") || m.containsKey("identity_seed")
                    || m.containsKey("initiator_send_key") || m.containsKey("protocol_name")
                    || m.containsKey("data_packets") || m.containsKey("frames");
            if (entry) {
                assertTrue(m.get("description") instanceof String s && !s.isEmpty(), () -> "no description in " + where);
            }
            m.values().forEach(v -> checkDescribed(v, where));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> checkDescribed(v, where));
        }
    }

    // ------------------------------------------------------------------------------- IK

    @Test
    void ikTranscriptChecksOutFromItsHexAlone() throws Exception {
        Map<String, Object> f = file("handshake-ik.json");
        assertEquals("Noise_IK_25519_AESGCM_SHA256", f.get("protocol_name"));
        byte[] prologue = hex(f, "prologue");
        assertArrayEquals("srudp/1".getBytes(StandardCharsets.US_ASCII), prologue);
        Map<String, Object> ini = map(f.get("initiator"));
        Map<String, Object> res = map(f.get("responder"));
        checkSide(ini);
        checkSide(res);
        List<Map<String, Object>> messages = list(f.get("messages"));
        assertEquals(2, messages.size());

        // the responder's view: INIT_IK from the wire
        Map<String, Object> init = messages.get(0);
        assertEquals("INIT_IK", init.get("name"));
        Packets.Handshake p1 = Packets.Handshake.decode(ByteBuffer.wrap(hex(init, "packet")));
        assertEquals(Packets.TYPE_INIT_IK, p1.type());
        assertEquals(Packets.VERSION_1, p1.version());
        assertEquals(cid(ini), p1.senderId());
        assertArrayEquals(hex(init, "noise_message"), bytes(p1.noiseMessage()));
        NoiseHandshake responder = NoiseHandshake.responder(NoisePattern.IK, NoiseCipher.AESGCM, prologue,
                DhKeyPair.fromPrivateKey(hex(res, "static_private_key")),
                DhKeyPair.fromPrivateKey(hex(res, "ephemeral_private_key")), null, null);
        byte[] payload1 = responder.readMessage(bytes(p1.noiseMessage()));
        assertArrayEquals(hex(init, "payload"), payload1);
        assertArrayEquals(hex(ini, "static_public_key"), responder.remoteStaticKey());
        HandshakePayload hp1 = HandshakePayload.decode(payload1);
        assertNull(ConnectionCore.checkCertificate(hp1, responder.remoteStaticKey()));
        assertArrayEquals(hex(ini, "certificate"), hp1.certificate());
        assertArrayEquals(hex(f, "timestamp"), hp1.timestamp());
        assertArrayEquals(Tai64n.fromEpochNanos(Long.parseLong((String) f.get("timestamp_epoch_nanos"))),
                hp1.timestamp());
        checkDefaultParameters(hp1);

        // the responder writes RESPONSE; with the fixed ephemeral key it is the published one
        Map<String, Object> resp = messages.get(1);
        assertEquals("RESPONSE", resp.get("name"));
        byte[] m2 = responder.writeMessage(hex(resp, "payload"));
        assertArrayEquals(hex(resp, "noise_message"), m2);
        Packets.Handshake p2 = Packets.Handshake.decode(ByteBuffer.wrap(hex(resp, "packet")));
        assertEquals(Packets.TYPE_RESPONSE, p2.type());
        assertEquals(cid(ini), p2.receiverId());
        assertEquals(cid(res), p2.senderId());
        assertArrayEquals(m2, bytes(p2.noiseMessage()));

        // the initiator's view
        NoiseHandshake initiator = NoiseHandshake.initiator(NoisePattern.IK, NoiseCipher.AESGCM, prologue,
                DhKeyPair.fromPrivateKey(hex(ini, "static_private_key")),
                DhKeyPair.fromPrivateKey(hex(ini, "ephemeral_private_key")), hex(res, "static_public_key"), null);
        assertArrayEquals(hex(init, "noise_message"), initiator.writeMessage(hex(init, "payload")));
        HandshakePayload hp2 = HandshakePayload.decode(initiator.readMessage(m2));
        assertNull(ConnectionCore.checkCertificate(hp2, initiator.remoteStaticKey()));
        assertNull(hp2.timestamp());

        checkKeys(f, initiator, responder);
    }

    // ------------------------------------------------------------------------------- XX

    @Test
    void xxTranscriptChecksOutFromItsHexAlone() throws Exception {
        Map<String, Object> f = file("handshake-xx.json");
        assertEquals("Noise_XX_25519_AESGCM_SHA256", f.get("protocol_name"));
        byte[] prologue = hex(f, "prologue");
        Map<String, Object> ini = map(f.get("initiator"));
        Map<String, Object> res = map(f.get("responder"));
        checkSide(ini);
        checkSide(res);
        List<Map<String, Object>> messages = list(f.get("messages"));
        assertEquals(List.of("INIT_XX", "RESPONSE", "FINISH"), messages.stream().map(m -> m.get("name")).toList());

        NoiseHandshake initiator = NoiseHandshake.initiator(NoisePattern.XX, NoiseCipher.AESGCM, prologue,
                DhKeyPair.fromPrivateKey(hex(ini, "static_private_key")),
                DhKeyPair.fromPrivateKey(hex(ini, "ephemeral_private_key")), null, null);
        NoiseHandshake responder = NoiseHandshake.responder(NoisePattern.XX, NoiseCipher.AESGCM, prologue,
                DhKeyPair.fromPrivateKey(hex(res, "static_private_key")),
                DhKeyPair.fromPrivateKey(hex(res, "ephemeral_private_key")), null, null);

        Map<String, Object> init = messages.get(0);
        Packets.Handshake p1 = Packets.Handshake.decode(ByteBuffer.wrap(hex(init, "packet")));
        assertEquals(Packets.TYPE_INIT_XX, p1.type());
        assertEquals(cid(ini), p1.senderId());
        assertEquals(32, p1.noiseMessage().remaining(), "XX message 1 is the bare ephemeral key");
        assertArrayEquals(hex(ini, "ephemeral_public_key"), bytes(p1.noiseMessage()));
        assertEquals(0, responder.readMessage(bytes(p1.noiseMessage())).length);
        assertArrayEquals(bytes(p1.noiseMessage()), initiator.writeMessage(new byte[0]));

        Map<String, Object> resp = messages.get(1);
        Packets.Handshake p2 = Packets.Handshake.decode(ByteBuffer.wrap(hex(resp, "packet")));
        assertEquals(Packets.TYPE_RESPONSE, p2.type());
        assertEquals(cid(ini), p2.receiverId());
        assertEquals(cid(res), p2.senderId());
        assertArrayEquals(bytes(p2.noiseMessage()), responder.writeMessage(hex(resp, "payload")));
        HandshakePayload hp2 = HandshakePayload.decode(initiator.readMessage(bytes(p2.noiseMessage())));
        assertNull(ConnectionCore.checkCertificate(hp2, initiator.remoteStaticKey()));
        assertArrayEquals(hex(res, "certificate"), hp2.certificate());
        checkDefaultParameters(hp2);

        Map<String, Object> fin = messages.get(2);
        Packets.Handshake p3 = Packets.Handshake.decode(ByteBuffer.wrap(hex(fin, "packet")));
        assertEquals(Packets.TYPE_FINISH, p3.type());
        assertEquals(cid(res), p3.receiverId());
        assertEquals(cid(ini), p3.senderId());
        assertArrayEquals(bytes(p3.noiseMessage()), initiator.writeMessage(hex(fin, "payload")));
        HandshakePayload hp3 = HandshakePayload.decode(responder.readMessage(bytes(p3.noiseMessage())));
        assertNull(ConnectionCore.checkCertificate(hp3, responder.remoteStaticKey()));
        assertArrayEquals(hex(ini, "certificate"), hp3.certificate());
        assertNull(hp3.timestamp());

        checkKeys(f, initiator, responder);
    }

    private static void checkSide(Map<String, Object> side) {
        Identity identity = Identity.fromSeed(hex(side, "identity_seed"));
        assertArrayEquals(hex(side, "identity_public_key"), identity.publicKey());
        assertArrayEquals(hex(side, "static_public_key"),
                DhKeyPair.fromPrivateKey(hex(side, "static_private_key")).publicKey());
        assertArrayEquals(hex(side, "ephemeral_public_key"),
                DhKeyPair.fromPrivateKey(hex(side, "ephemeral_private_key")).publicKey());
        StaticKeyCertificate cert = StaticKeyCertificate.decode(hex(side, "certificate"));
        assertTrue(cert.isValid());
        assertArrayEquals(identity.publicKey(), cert.identityKey());
        assertArrayEquals(hex(side, "static_public_key"), cert.staticKey());
        // the signed message, spelled out: context string, one zero byte, the static key
        byte[] context = "srudp static key certificate v1".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = Arrays.copyOf(context, context.length + 33);
        System.arraycopy(cert.staticKey(), 0, signed, context.length + 1, 32);
        assertTrue(Identity.verify(cert.identityKey(), signed, cert.signature()));
    }

    private static void checkDefaultParameters(HandshakePayload p) {
        assertEquals(60_000, p.maxIdleTimeoutMs());
        assertEquals(4 << 20, p.initialMaxData());
        assertEquals(1 << 20, p.initialMaxStreamData());
        assertEquals(128, p.initialMaxStreams());
        assertEquals(1150, p.maxDatagramFrameSize());
        assertEquals(1200, p.maxUdpPayload());
    }

    private static void checkKeys(Map<String, Object> f, NoiseHandshake initiator, NoiseHandshake responder) {
        assertTrue(initiator.isComplete());
        assertTrue(responder.isComplete());
        assertArrayEquals(hex(f, "handshake_hash"), initiator.handshakeHash());
        assertArrayEquals(hex(f, "handshake_hash"), responder.handshakeHash());
        Map<String, Object> keys = map(f.get("transport_keys"));
        TransportKeys ik = initiator.split();
        TransportKeys rk = responder.split();
        assertArrayEquals(hex(keys, "initiator_send_key"), ik.sendKey());
        assertArrayEquals(hex(keys, "initiator_receive_key"), ik.receiveKey());
        assertArrayEquals(hex(keys, "responder_send_key"), rk.sendKey());
        assertArrayEquals(hex(keys, "responder_receive_key"), rk.receiveKey());
        assertArrayEquals(ik.sendKey(), rk.receiveKey());
        assertArrayEquals(ik.receiveKey(), rk.sendKey());
        assertFalse(Arrays.equals(ik.sendKey(), ik.receiveKey()));
    }

    private static long cid(Map<String, Object> side) {
        return ByteBuffer.wrap(hex(side, "connection_id")).getLong();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    // ------------------------------------------------------------------------------- packets

    @Test
    void dataPacketsOpenWithTheIkKeys() throws Exception {
        Map<String, Object> f = file("packets.json");
        Map<String, Object> keys = map(file("handshake-ik.json").get("transport_keys"));
        Map<String, Object> ik = file("handshake-ik.json");
        long initiatorCid = cid(map(ik.get("initiator")));
        long responderCid = cid(map(ik.get("responder")));
        List<Map<String, Object>> packets = list(f.get("data_packets"));
        assertEquals(ProtocolVectors.dataPackets().size(), packets.size());
        for (int k = 0; k < packets.size(); k++) {
            Map<String, Object> e = packets.get(k);
            boolean fromInitiator = "initiator to responder".equals(e.get("direction"));
            byte[] key = hex(keys, fromInitiator ? "responder_receive_key" : "initiator_receive_key");
            assertArrayEquals(key, hex(e, "key"));
            byte[] packet = hex(e, "packet");
            long pn = ((Double) e.get("packet_number")).longValue();
            assertEquals(Packets.Kind.DATA, Packets.kind(packet[0]));
            assertEquals(0, packet[0] & 1, "key phase");
            ByteBuffer header = ByteBuffer.wrap(packet, 0, Packets.DATA_HEADER_LENGTH);
            assertEquals(Packets.TYPE_DATA, header.get() & 0xff);
            assertEquals(fromInitiator ? responderCid : initiatorCid, header.getLong());
            assertEquals(pn, header.getLong());
            assertArrayEquals(hex(e, "header"), Arrays.copyOf(packet, Packets.DATA_HEADER_LENGTH));
            assertArrayEquals(ByteBuffer.allocate(12).putInt(0).putLong(pn).array(), hex(e, "nonce"));

            // a replayed or renumbered packet does not open
            byte[] copy = packet.clone();
            assertEquals(-1, new PacketProtection(NoiseCipher.AESGCM, key).open(pn + 1, copy, 0,
                    Packets.DATA_HEADER_LENGTH, copy.length));

            int n = new PacketProtection(NoiseCipher.AESGCM, key).open(pn, packet, 0, Packets.DATA_HEADER_LENGTH,
                    packet.length);
            byte[] plaintext = hex(e, "plaintext");
            assertEquals(plaintext.length, n);
            assertEquals(Packets.DATA_HEADER_LENGTH + n + PacketProtection.TAG_LENGTH, packet.length);
            assertArrayEquals(plaintext, Arrays.copyOfRange(packet, Packets.DATA_HEADER_LENGTH,
                    Packets.DATA_HEADER_LENGTH + n));
            ByteBuffer in = ByteBuffer.wrap(plaintext);
            List<Frame> frames = new ArrayList<>();
            while (in.hasRemaining()) {
                frames.add(FrameCodec.decode(in));
            }
            assertEquals(ProtocolVectors.dataPackets().get(k).frames(), frames);
        }
        for (Map<String, Object> e : list(f.get("reject_packets"))) {
            Packets.Reject r = Packets.Reject.decode(ByteBuffer.wrap(hex(e, "packet")));
            assertEquals(Packets.Kind.REJECT, Packets.kind(hex(e, "packet")[0]));
            assertEquals(((Double) e.get("reason")).intValue(), r.reason());
            assertEquals(initiatorCid, r.receiverId());
            assertArrayEquals(new byte[] {1}, r.supportedVersions());
        }
    }

    // ------------------------------------------------------------------------------- frames

    @Test
    void framesDecodeToTheSameFrames() throws Exception {
        Map<String, Object> f = file("frames.json");
        List<Map<String, Object>> frames = list(f.get("frames"));
        List<ProtocolVectors.FrameVector> expected = ProtocolVectors.frameVectors();
        assertEquals(expected.size(), frames.size());
        for (int k = 0; k < frames.size(); k++) {
            byte[] bytes = hex(frames.get(k), "frame");
            ByteBuffer in = ByteBuffer.wrap(bytes);
            Frame decoded = FrameCodec.decode(in);
            assertFalse(in.hasRemaining(), () -> "trailing bytes after " + frames.get(0).get("name"));
            assertEquals(expected.get(k).frame(), decoded);
            assertArrayEquals(bytes, ProtocolVectors.encode(decoded));
        }
        for (Map<String, Object> v : list(f.get("varints"))) {
            byte[] encoding = hex(v, "encoding");
            ByteBuffer in = ByteBuffer.wrap(encoding);
            assertEquals(Long.parseLong((String) v.get("value")), VarInt.read(in));
            assertFalse(in.hasRemaining());
            assertEquals(encoding.length, VarInt.length(Long.parseLong((String) v.get("value"))));
        }
    }

    @Test
    void everyFrameTypeHasAVector() throws Exception {
        List<Integer> types = new ArrayList<>();
        for (Map<String, Object> e : list(file("frames.json").get("frames"))) {
            types.add(HEX.parseHex((String) e.get("frame"))[0] & 0xff);
        }
        for (int t : new int[] {Frame.TYPE_PADDING, Frame.TYPE_PING, Frame.TYPE_ACK, Frame.TYPE_RESET_STREAM,
            Frame.TYPE_STOP_SENDING, Frame.TYPE_STREAM, Frame.TYPE_MAX_DATA, Frame.TYPE_MAX_STREAM_DATA,
            Frame.TYPE_MAX_STREAMS, Frame.TYPE_DATA_BLOCKED, Frame.TYPE_STREAM_DATA_BLOCKED,
            Frame.TYPE_PATH_CHALLENGE, Frame.TYPE_PATH_RESPONSE, Frame.TYPE_CONNECTION_CLOSE, Frame.TYPE_DATAGRAM,
            Frame.TYPE_DATAGRAM_LEN}) {
            assertTrue(types.contains(t), () -> "no vector for frame type 0x" + Integer.toHexString(t));
        }
    }
}
