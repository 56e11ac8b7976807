package dev.srudp.discovery.manual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.spi.PeerDirectories;
import dev.srudp.spi.PeerDirectoryProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {
    private final List<String> problems = new ArrayList<>();
    private final PeerDirectories directories =
            PeerDirectories.load(ProviderDiscoveryTest.class.getClassLoader(), problems::add);

    @Test
    void theServiceLoaderFindsTheManualProviderAndPicksItForSrudpAndFileUris() {
        URI rendezvous = URI.create("srudp:" + RendezvousCodec.encode(new byte[] {1, 2, 3}));
        assertInstanceOf(ManualDirectoryProvider.class, directories.forUri(rendezvous).orElseThrow());
        assertInstanceOf(ManualDirectoryProvider.class, directories.forUri(URI.create("file:/tmp/partner.srudp")).orElseThrow());
        assertEquals(Set.of("srudp", "file"), new ManualDirectoryProvider().schemes());
    }

    @Test
    void amongProvidersForOneSchemeTheHigherPriorityIsChosen() {
        PeerDirectoryProvider chosen = directories.forUri(URI.create("example:peer")).orElseThrow();
        assertInstanceOf(ExampleProviders.High.class, chosen);
    }

    @Test
    void brokenProvidersAreReportedAndSkippedWhileTheOthersLoad() {
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("ExampleProviders$Broken")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("NoSuchProvider")), problems.toString());
        Set<Class<?>> loaded = directories.providers().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(ManualDirectoryProvider.class, ExampleProviders.Low.class, ExampleProviders.High.class), loaded);
    }

    @Test
    void theModuleDescriptorProvidesTheManualProvider() throws IOException, URISyntaxException {
        Path classes = Path.of(ManualDirectoryProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            ModuleDescriptor descriptor = ModuleDescriptor.read(in);
            assertEquals("dev.srudp.discovery.manual", descriptor.name());
            assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("dev.srudp.api")));
            assertTrue(descriptor.provides().stream().anyMatch(p -> p.service().equals("dev.srudp.spi.PeerDirectoryProvider")
                    && p.providers().equals(List.of(ManualDirectoryProvider.class.getName()))));
            assertTrue(descriptor.exports().stream().anyMatch(e -> e.source().equals("dev.srudp.discovery.manual")));
        }
    }
}
