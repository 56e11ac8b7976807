package dev.srudp.discovery.autonomi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.spi.PeerDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutonomiDirectoryProviderTest {

    @Test
    void theServiceLoaderFindsTheProviderForAutonomiUris() {
        List<String> problems = new ArrayList<>();
        PeerDirectories directories = PeerDirectories.load(getClass().getClassLoader(), problems::add);
        assertInstanceOf(AutonomiDirectoryProvider.class,
                directories.forUri(URI.create("autonomi:" + "ab".repeat(48))).orElseThrow());
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(Set.of("autonomi"), new AutonomiDirectoryProvider().schemes());
    }

    @Test
    void theModuleDescriptorProvidesTheProviderAndExportsOnlyTheApiPackage() throws IOException, URISyntaxException {
        Path classes = Path.of(AutonomiDirectoryProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            ModuleDescriptor d = ModuleDescriptor.read(in);
            assertEquals("dev.srudp.discovery.autonomi", d.name());
            assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("dev.srudp.api")
                    && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
            assertFalse(d.requires().stream().anyMatch(r -> r.name().equals("dev.srudp.core")));
            assertTrue(d.provides().stream().anyMatch(p -> p.service().equals("dev.srudp.spi.PeerDirectoryProvider")
                    && p.providers().equals(List.of(AutonomiDirectoryProvider.class.getName()))));
            assertEquals(Set.of("dev.srudp.discovery.autonomi"),
                    d.exports().stream().map(ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void theDefaultsAreALoopbackAntTpAndNoSpending() {
        AutonomiConfig c = AutonomiDirectoryProvider.config(Map.of());
        assertEquals(URI.create("http://127.0.0.1:18888"), c.gateway());
        assertFalse(c.allowPaidCreate());
        assertFalse(c.allowRemoteGateway());
        assertEquals(Duration.ofSeconds(60), c.idlePoll());
        assertEquals(AutonomiConfig.GatewayKind.AUTO, c.gatewayKind());
    }

    @Test
    void everySettingIsRead() {
        AutonomiConfig c = AutonomiDirectoryProvider.config(Map.ofEntries(
                Map.entry("gateway", "http://[::1]:5537"), Map.entry("gateway-kind", "dweb"),
                Map.entry("allow-paid-create", "true"), Map.entry("owner-secret-file", "/tmp/owner"),
                Map.entry("name", "my-slot"), Map.entry("poll-idle-ms", "30000"), Map.entry("poll-fast-ms", "7000"),
                Map.entry("fast-window-ms", "90000"), Map.entry("max-backoff-ms", "120000"), Map.entry("timeout-ms", "2000"),
                Map.entry("anttp-cache-ttl-ms", "10000"), Map.entry("max-response-bytes", "100000")));
        assertEquals(AutonomiConfig.GatewayKind.DWEB, c.gatewayKind());
        assertTrue(c.allowPaidCreate());
        assertEquals(Path.of("/tmp/owner"), c.ownerSecretFile().orElseThrow());
        assertEquals("my-slot", c.name());
        assertEquals(Duration.ofSeconds(7), c.fastPoll());
        assertEquals(Duration.ofSeconds(90), c.fastWindow());
        assertEquals(Duration.ofSeconds(10), c.antTpCacheTtl());
        assertEquals(100_000, c.maxResponseBytes());
    }

    @Test
    void aMisspeltSettingIsRejectedAndTheMessageListsTheRealOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutonomiDirectoryProvider.config(Map.of("allow-paid-creates", "true")));
        assertTrue(e.getMessage().contains("allow-paid-create,"), e.getMessage());
    }

    @Test
    void aRemoteGatewayIsRefusedUnlessAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutonomiDirectoryProvider.config(Map.of("gateway", "http://gateway.example.net:18888")));
        assertTrue(e.getMessage().contains("allow-remote-gateway=true"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AutonomiDirectoryProvider.config(Map.of("gateway", "http://192.168.1.10:18888")));
        AutonomiDirectoryProvider.config(Map.of("gateway", "http://gateway.example.net:18888", "allow-remote-gateway", "true"));
        AutonomiDirectoryProvider.config(Map.of("gateway", "http://localhost:18888"));
    }

    @Test
    void invalidValuesAreRejectedWithTheSettingsName() {
        assertThrows(IllegalArgumentException.class, () -> AutonomiDirectoryProvider.config(Map.of("poll-idle-ms", "0")));
        assertThrows(IllegalArgumentException.class, () -> AutonomiDirectoryProvider.config(Map.of("allow-paid-create", "yes")));
        assertThrows(IllegalArgumentException.class, () -> AutonomiDirectoryProvider.config(Map.of("gateway-kind", "antd")));
        assertThrows(IllegalArgumentException.class, () -> AutonomiDirectoryProvider.config(Map.of("name", "a/b")));
        assertThrows(IllegalArgumentException.class, () -> AutonomiDirectoryProvider.config(Map.of("identity", "nope")));
        assertThrows(IllegalArgumentException.class,
                () -> AutonomiDirectoryProvider.config(Map.of("gateway", "http://127.0.0.1:18888/some/path")));
    }

    @Test
    void creatingADirectoryAgainstANonGatewayFailsWithAnIoException() {
        // Port 9 (discard) on loopback: nothing listens there on a build machine.
        assertThrows(IOException.class, () -> new AutonomiDirectoryProvider().create(
                Map.of("gateway", "http://127.0.0.1:9", "timeout-ms", "500")));
    }
}
