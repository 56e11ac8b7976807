package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the published cacophony vectors for the protocols srudp implements against both roles:
 * every handshake and transport ciphertext must match byte for byte, every message must read
 * back to its payload, and both sides must end with the vector's handshake hash.
 *
 * <p>The file is named by the system property {@code srudp.noise.vectors} (the build sets it);
 * without it, {@code ../shared/vectors/noise-ik-xx.json} beside the repository root is used. An
 * absent file skips the test on a developer machine and fails it when {@code CI} is set.
 */
class NoiseVectorsTest {

    private static final Pattern SUPPORTED =
            Pattern.compile("Noise_(IK|XX)_25519_(AESGCM|ChaChaPoly)_SHA256");

    @TestFactory
    List<DynamicTest> everySupportedVectorReproducesItsCiphertextsAndHandshakeHash() throws IOException {
        return vectorTests(vectorFile(), System.getenv("CI") != null);
    }

    /**
     * One dynamic test per vector in {@code file}; throws when the file is malformed or names
     * no supported protocol, and aborts or fails (when {@code ci}) when it is absent.
     */
    static List<DynamicTest> vectorTests(Path file, boolean ci) throws IOException {
        if (!Files.isRegularFile(file)) {
            String reason = "Noise vector file " + file + " is absent";
            if (ci) {
                fail(reason + " and CI is set");
            }
            Assumptions.abort(reason + "; set srudp.noise.vectors to run the vectors");
        }
        Object root;
        try {
            root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("vectors") instanceof List<?> vectors)) {
            throw new IllegalArgumentException(file + " has no \"vectors\" array");
        }
        List<DynamicTest> tests = new ArrayList<>();
        int supported = 0;
        for (Object entry : vectors) {
            if (!(entry instanceof Map<?, ?> vector)) {
                throw new IllegalArgumentException("a vector in " + file + " is not an object");
            }
            String name = text(vector, "protocol_name");
            Matcher matcher = SUPPORTED.matcher(name);
            if (matcher.matches()) {
                supported++;
                NoisePattern pattern = NoisePattern.valueOf(matcher.group(1));
                NoiseCipher cipher = matcher.group(2).equals("AESGCM") ? NoiseCipher.AESGCM : NoiseCipher.CHACHAPOLY;
                Vector parsed = Vector.parse(vector, pattern, cipher);
                tests.add(DynamicTest.dynamicTest(name, () -> run(parsed)));
            } else {
                tests.add(DynamicTest.dynamicTest(name + " (skipped)",
                        () -> Assumptions.abort("srudp does not implement " + name)));
            }
        }
        assertTrue(supported > 0, "no vector in " + file + " names a protocol srudp implements");
        return tests;
    }

    private static void run(Vector v) throws Exception {
        NoiseHandshake initiator = NoiseHandshake.initiator(v.pattern, v.cipher, v.initPrologue,
                DhKeyPair.fromPrivateKey(v.initStatic), DhKeyPair.fromPrivateKey(v.initEphemeral),
                v.initRemoteStatic, null);
        NoiseHandshake responder = NoiseHandshake.responder(v.pattern, v.cipher, v.respPrologue,
                DhKeyPair.fromPrivateKey(v.respStatic), DhKeyPair.fromPrivateKey(v.respEphemeral), null, null);
        int i = 0;
        for (; i < v.payloads.size() && !initiator.isComplete(); i++) {
            boolean initiatorSends = i % 2 == 0;
            NoiseHandshake writer = initiatorSends ? initiator : responder;
            NoiseHandshake reader = initiatorSends ? responder : initiator;
            byte[] message = writer.writeMessage(v.payloads.get(i));
            assertEquals(TestHex.encode(v.ciphertexts.get(i)), TestHex.encode(message), "handshake message " + i);
            assertArrayEquals(v.payloads.get(i), reader.readMessage(message), "payload of handshake message " + i);
        }
        assertTrue(initiator.isComplete() && responder.isComplete(), "the vector ends before the handshake does");
        assertEquals(TestHex.encode(v.handshakeHash), TestHex.encode(initiator.handshakeHash()), "initiator's handshake hash");
        assertEquals(TestHex.encode(v.handshakeHash), TestHex.encode(responder.handshakeHash()), "responder's handshake hash");
        TransportKeys initiatorKeys = initiator.split();
        TransportKeys responderKeys = responder.split();
        for (; i < v.payloads.size(); i++) {
            boolean initiatorSends = i % 2 == 0;
            CipherState sender = (initiatorSends ? initiatorKeys : responderKeys).sendCipherState();
            CipherState receiver = (initiatorSends ? responderKeys : initiatorKeys).receiveCipherState();
            byte[] ciphertext = sender.encryptWithAd(new byte[0], v.payloads.get(i));
            assertEquals(TestHex.encode(v.ciphertexts.get(i)), TestHex.encode(ciphertext), "transport message " + i);
            assertArrayEquals(v.payloads.get(i), receiver.decryptWithAd(new byte[0], ciphertext), "payload of transport message " + i);
        }
    }

    /** The property if set, else {@code ../shared/vectors/noise-ik-xx.json} from the repository root. */
    static Path vectorFile() throws IOException {
        String property = System.getProperty("srudp.noise.vectors");
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>srudp-parent</artifactId>")
                    && !Files.readString(pom).contains("<parent>")) {
                return dir.resolve("../shared/vectors/noise-ik-xx.json").normalize();
            }
        }
        throw new IllegalStateException("no srudp-parent pom.xml above " + Paths.get("").toAbsolutePath());
    }

    private static String text(Map<?, ?> vector, String field) {
        Object value = vector.get(field);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("vector field \"" + field + "\" is missing or not a string");
        }
        return s;
    }

    private static byte[] hex(Map<?, ?> vector, String field) {
        return TestHex.decode(text(vector, field));
    }

    private record Vector(NoisePattern pattern, NoiseCipher cipher, byte[] initPrologue, byte[] initStatic,
            byte[] initEphemeral, byte[] initRemoteStatic, byte[] respPrologue, byte[] respStatic,
            byte[] respEphemeral, byte[] handshakeHash, List<byte[]> payloads, List<byte[]> ciphertexts) {

        static Vector parse(Map<?, ?> v, NoisePattern pattern, NoiseCipher cipher) {
            byte[] remoteStatic = pattern.initiatorKnowsResponderStatic() ? hex(v, "init_remote_static") : null;
            if (!(v.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
                throw new IllegalArgumentException("vector " + text(v, "protocol_name") + " has no messages");
            }
            List<byte[]> payloads = new ArrayList<>();
            List<byte[]> ciphertexts = new ArrayList<>();
            for (Object m : messages) {
                if (!(m instanceof Map<?, ?> message)) {
                    throw new IllegalArgumentException("a message of " + text(v, "protocol_name") + " is not an object");
                }
                payloads.add(hex(message, "payload"));
                ciphertexts.add(hex(message, "ciphertext"));
            }
            return new Vector(pattern, cipher, hex(v, "init_prologue"), hex(v, "init_static"), hex(v, "init_ephemeral"),
                    remoteStatic, hex(v, "resp_prologue"), hex(v, "resp_static"), hex(v, "resp_ephemeral"),
                    hex(v, "handshake_hash"), payloads, ciphertexts);
        }
    }
}
