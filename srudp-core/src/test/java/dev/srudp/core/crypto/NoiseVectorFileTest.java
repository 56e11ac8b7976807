package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The vector runner itself: it must never pass by running nothing. */
class NoiseVectorFileTest {

    @TempDir
    Path dir;

    @Test
    void anAbsentFileSkipsOnADeveloperMachine() {
        assertThrows(TestAbortedException.class, () -> NoiseVectorsTest.vectorTests(dir.resolve("none.json"), false));
    }

    @Test
    void anAbsentFileFailsUnderCi() {
        assertThrows(AssertionFailedError.class, () -> NoiseVectorsTest.vectorTests(dir.resolve("none.json"), true));
    }

    @Test
    void aFileThatIsNotJsonFails() throws Exception {
        Path file = Files.writeString(dir.resolve("v.json"), "{\"vectors\": [");
        assertThrows(IllegalArgumentException.class, () -> NoiseVectorsTest.vectorTests(file, false));
    }

    @Test
    void aFileWithoutSupportedVectorsFails() throws Exception {
        Path file = Files.writeString(dir.resolve("v.json"),
                "{\"vectors\": [{\"protocol_name\": \"Noise_NN_448_AESGCM_SHA512\"}]}");
        assertThrows(AssertionFailedError.class, () -> NoiseVectorsTest.vectorTests(file, false));
    }

    @Test
    void aVectorWithAMissingFieldFails() throws Exception {
        Path file = Files.writeString(dir.resolve("v.json"),
                "{\"vectors\": [{\"protocol_name\": \"Noise_XX_25519_AESGCM_SHA256\", \"init_prologue\": \"00\"}]}");
        assertThrows(IllegalArgumentException.class, () -> NoiseVectorsTest.vectorTests(file, false));
    }

    @Test
    void aVectorWithBadHexFails() throws Exception {
        String vector = "{\"protocol_name\": \"Noise_XX_25519_AESGCM_SHA256\", \"init_prologue\": \"zz\","
                + " \"init_static\": \"00\", \"init_ephemeral\": \"00\", \"resp_prologue\": \"00\","
                + " \"resp_static\": \"00\", \"resp_ephemeral\": \"00\", \"handshake_hash\": \"00\","
                + " \"messages\": [{\"payload\": \"\", \"ciphertext\": \"\"}]}";
        Path file = Files.writeString(dir.resolve("v.json"), "{\"vectors\": [" + vector + "]}");
        assertThrows(IllegalArgumentException.class, () -> NoiseVectorsTest.vectorTests(file, false));
    }

    @Test
    void unsupportedVectorsAreListedByNameAsSkipped() throws Exception {
        Path real = Path.of(System.getProperty("srudp.noise.vectors", "missing"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(real), "vector file absent");
        String text = Files.readString(real).replaceFirst("\\{", "{\"other\": 1, \"unused\": [{\"protocol_name\": \"x\"}],");
        text = text.replaceFirst("\"vectors\": \\[", "\"vectors\": [{\"protocol_name\": \"Noise_NN_448_AESGCM_SHA512\"},");
        Path file = Files.writeString(dir.resolve("v.json"), text);
        List<DynamicTest> tests = NoiseVectorsTest.vectorTests(file, false);
        assertEquals("Noise_NN_448_AESGCM_SHA512 (skipped)", tests.get(0).getDisplayName());
        assertThrows(TestAbortedException.class, () -> tests.get(0).getExecutable().execute());
    }

    @Test
    void withoutThePropertyTheFileBesideTheRepositoryRootIsUsed() throws Exception {
        String property = System.getProperty("srudp.noise.vectors");
        org.junit.jupiter.api.Assumptions.assumeTrue(property != null, "the build did not set srudp.noise.vectors");
        System.clearProperty("srudp.noise.vectors");
        try {
            assertEquals(Path.of(property).toAbsolutePath().normalize(), NoiseVectorsTest.vectorFile().toAbsolutePath().normalize());
        } finally {
            System.setProperty("srudp.noise.vectors", property);
        }
    }
}
