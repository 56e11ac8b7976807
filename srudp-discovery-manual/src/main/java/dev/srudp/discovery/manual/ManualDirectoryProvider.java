package dev.srudp.discovery.manual;

import dev.srudp.spi.PeerDirectory;
import dev.srudp.spi.PeerDirectoryProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link ManualDirectory} instances for the {@code srudp} and {@code file} schemes, with
 * priority 0. Settings:
 *
 * <ul>
 *   <li>{@value #FILE}: the path this peer's string is written to on every publish; none by default.
 *   <li>{@value #POLL_MS}: how often watched files are read, in milliseconds; default 1000.
 * </ul>
 *
 * <p>Any other setting is rejected, so a misspelt one does not silently fall back to a default.
 */
public final class ManualDirectoryProvider implements PeerDirectoryProvider {
    /** Setting: the own file. */
    public static final String FILE = "file";
    /** Setting: the poll interval in milliseconds. */
    public static final String POLL_MS = "poll-ms";

    private static final Set<String> SCHEMES = Set.of("srudp", "file");

    /** Called by {@link java.util.ServiceLoader}. */
    public ManualDirectoryProvider() {}

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    /**
     * @throws IllegalArgumentException for an unknown setting, a poll interval that is not a
     *     positive whole number of milliseconds, or a file path this system cannot use
     */
    @Override
    public PeerDirectory create(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!key.equals(FILE) && !key.equals(POLL_MS)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' for the manual peer directory;"
                        + " it takes '" + FILE + "' and '" + POLL_MS + "'");
            }
        }
        Duration pollInterval = ManualDirectory.DEFAULT_POLL_INTERVAL;
        String pollMs = settings.get(POLL_MS);
        if (pollMs != null) {
            long millis;
            try {
                millis = Long.parseLong(pollMs.trim());
            } catch (NumberFormatException e) {
                millis = 0;
            }
            if (millis <= 0) {
                throw new IllegalArgumentException("'" + POLL_MS + "' must be a positive number of milliseconds, not '"
                        + pollMs + "'");
            }
            pollInterval = Duration.ofMillis(millis);
        }
        String file = settings.get(FILE);
        if (file == null) {
            return ManualDirectory.withoutFile(pollInterval);
        }
        try {
            return ManualDirectory.withFile(Path.of(file), pollInterval);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + FILE + "' is not a usable path: " + e.getMessage(), e);
        }
    }
}
