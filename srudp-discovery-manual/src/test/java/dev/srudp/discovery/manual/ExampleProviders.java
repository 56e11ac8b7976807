package dev.srudp.discovery.manual;

import dev.srudp.spi.PeerDirectory;
import dev.srudp.spi.PeerDirectoryProvider;
import java.util.Map;
import java.util.Set;

/** Providers named in the test META-INF/services file. */
final class ExampleProviders {
    private ExampleProviders() {}

    /** Serves {@code example:} with priority 1. */
    public static final class Low implements PeerDirectoryProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("example");
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public PeerDirectory create(Map<String, String> settings) {
            throw new UnsupportedOperationException("selection only");
        }
    }

    /** Serves {@code example:} with priority 5. */
    public static final class High implements PeerDirectoryProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("example");
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public PeerDirectory create(Map<String, String> settings) {
            throw new UnsupportedOperationException("selection only");
        }
    }

    /** Cannot be constructed. */
    public static final class Broken implements PeerDirectoryProvider {
        public Broken() {
            throw new IllegalStateException("this provider is broken on purpose");
        }

        @Override
        public Set<String> schemes() {
            return Set.of("example");
        }

        @Override
        public PeerDirectory create(Map<String, String> settings) {
            throw new UnsupportedOperationException();
        }
    }
}
