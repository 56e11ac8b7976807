package dev.srudp.spi;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Finds {@link PeerDirectoryProvider}s with {@link ServiceLoader} and chooses one by URI scheme.
 * A provider that fails to load is reported to the given consumer and skipped, never fatal.
 */
public final class PeerDirectories {
    private final List<PeerDirectoryProvider> providers;

    private PeerDirectories(List<PeerDirectoryProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Loads the providers visible to {@code loader}; problems go to {@code problems}. */
    public static PeerDirectories load(ClassLoader loader, Consumer<String> problems) {
        List<PeerDirectoryProvider> found = new ArrayList<>();
        var iterator = ServiceLoader.load(PeerDirectoryProvider.class, loader).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                PeerDirectoryProvider p = iterator.next();
                p.schemes();
                found.add(p);
            } catch (ServiceConfigurationError | RuntimeException e) {
                problems.accept("a peer directory provider could not be loaded and is skipped: " + e.getMessage());
            }
        }
        return new PeerDirectories(found);
    }

    /** Loads with the context class loader, reporting problems to standard error. */
    public static PeerDirectories load() {
        return load(Thread.currentThread().getContextClassLoader(), System.err::println);
    }

    /** Providers given directly (for tests and applications that wire things by hand). */
    public static PeerDirectories of(List<PeerDirectoryProvider> providers) {
        return new PeerDirectories(providers);
    }

    /** The provider for the URI's scheme with the highest priority. */
    public Optional<PeerDirectoryProvider> forUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return providers.stream().filter(p -> p.schemes().contains(scheme))
                .max(Comparator.comparingInt(PeerDirectoryProvider::priority));
    }

    public List<PeerDirectoryProvider> providers() {
        return providers;
    }
}
