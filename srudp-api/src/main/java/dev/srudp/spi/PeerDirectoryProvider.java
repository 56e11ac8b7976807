package dev.srudp.spi;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link PeerDirectory} instances for some URI schemes. Implementations are found with
 * {@link java.util.ServiceLoader}: declare them in {@code module-info.java} ({@code provides
 * dev.srudp.spi.PeerDirectoryProvider with ...}) and in
 * {@code META-INF/services/dev.srudp.spi.PeerDirectoryProvider}.
 */
public interface PeerDirectoryProvider {

    /** The URI schemes this provider serves, lowercase (for example {@code "srudp"}, {@code "file"}). */
    Set<String> schemes();

    /** Among providers for one scheme, the highest priority wins. Default 0. */
    default int priority() {
        return 0;
    }

    /**
     * Creates a directory.
     *
     * @param settings provider-specific settings (for example a gateway URL), possibly empty
     */
    PeerDirectory create(Map<String, String> settings) throws IOException;
}
