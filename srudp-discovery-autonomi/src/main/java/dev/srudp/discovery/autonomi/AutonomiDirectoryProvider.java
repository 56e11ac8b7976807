package dev.srudp.discovery.autonomi;

import dev.srudp.spi.PeerDirectory;
import dev.srudp.spi.PeerDirectoryProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Creates {@link AutonomiDirectory} instances for the {@code autonomi} scheme, priority 0. Settings
 * (each maps to an {@link AutonomiConfig.Builder} method, where its default is documented):
 *
 * <ul>
 *   <li>{@value #GATEWAY}: base URL of the local gateway; default {@code http://127.0.0.1:18888}.
 *   <li>{@value #GATEWAY_KIND}: {@code auto}, {@code anttp} or {@code dweb}; default {@code auto}.
 *   <li>{@value #ALLOW_REMOTE_GATEWAY}: {@code true} to accept a gateway not on this machine.
 *   <li>{@value #ALLOW_PAID_CREATE}: {@code true} to allow the two paid creations.
 *   <li>{@value #OWNER_SECRET_FILE}: file (owner-only permissions) the dweb owner key is derived from.
 *   <li>{@value #NAME}: name the pointer and scratchpad are derived from.
 *   <li>{@value #IDENTITY}: this peer's id, added to the published address.
 *   <li>{@value #POLL_IDLE_MS}, {@value #POLL_FAST_MS}, {@value #FAST_WINDOW_MS},
 *       {@value #MAX_BACKOFF_MS}, {@value #TIMEOUT_MS}, {@value #ANTTP_CACHE_TTL_MS}: durations in
 *       milliseconds.
 *   <li>{@value #MAX_RESPONSE_BYTES}: the largest answer accepted.
 * </ul>
 *
 * <p>Any other setting is rejected, so a misspelt one does not silently fall back to a default.
 */
public final class AutonomiDirectoryProvider implements PeerDirectoryProvider {
    public static final String GATEWAY = "gateway";
    public static final String GATEWAY_KIND = "gateway-kind";
    public static final String ALLOW_REMOTE_GATEWAY = "allow-remote-gateway";
    public static final String ALLOW_PAID_CREATE = "allow-paid-create";
    public static final String OWNER_SECRET_FILE = "owner-secret-file";
    public static final String NAME = "name";
    public static final String IDENTITY = "identity";
    public static final String POLL_IDLE_MS = "poll-idle-ms";
    public static final String POLL_FAST_MS = "poll-fast-ms";
    public static final String FAST_WINDOW_MS = "fast-window-ms";
    public static final String MAX_BACKOFF_MS = "max-backoff-ms";
    public static final String TIMEOUT_MS = "timeout-ms";
    public static final String ANTTP_CACHE_TTL_MS = "anttp-cache-ttl-ms";
    public static final String MAX_RESPONSE_BYTES = "max-response-bytes";

    private static final Map<String, BiConsumer<AutonomiConfig.Builder, String>> SETTINGS = Map.ofEntries(
            Map.entry(GATEWAY, (b, v) -> b.gateway(URI.create(v.trim()))),
            Map.entry(GATEWAY_KIND, (b, v) -> b.gatewayKind(kind(v))),
            Map.entry(ALLOW_REMOTE_GATEWAY, (b, v) -> b.allowRemoteGateway(bool(ALLOW_REMOTE_GATEWAY, v))),
            Map.entry(ALLOW_PAID_CREATE, (b, v) -> b.allowPaidCreate(bool(ALLOW_PAID_CREATE, v))),
            Map.entry(OWNER_SECRET_FILE, (b, v) -> b.ownerSecretFile(Path.of(v))),
            Map.entry(NAME, AutonomiConfig.Builder::name),
            Map.entry(IDENTITY, AutonomiConfig.Builder::identity),
            Map.entry(POLL_IDLE_MS, (b, v) -> b.idlePoll(millis(POLL_IDLE_MS, v))),
            Map.entry(POLL_FAST_MS, (b, v) -> b.fastPoll(millis(POLL_FAST_MS, v))),
            Map.entry(FAST_WINDOW_MS, (b, v) -> b.fastWindow(millis(FAST_WINDOW_MS, v))),
            Map.entry(MAX_BACKOFF_MS, (b, v) -> b.maxBackoff(millis(MAX_BACKOFF_MS, v))),
            Map.entry(TIMEOUT_MS, (b, v) -> b.timeout(millis(TIMEOUT_MS, v))),
            Map.entry(ANTTP_CACHE_TTL_MS, (b, v) -> b.antTpCacheTtl(millis(ANTTP_CACHE_TTL_MS, v))),
            Map.entry(MAX_RESPONSE_BYTES, (b, v) -> b.maxResponseBytes(number(MAX_RESPONSE_BYTES, v))));

    /** Called by {@link java.util.ServiceLoader}. */
    public AutonomiDirectoryProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of(AutonomiAddress.SCHEME);
    }

    /**
     * Reads the settings and opens the directory, probing the gateway.
     *
     * @throws IllegalArgumentException for an unknown or invalid setting, or a remote gateway
     *     without {@value #ALLOW_REMOTE_GATEWAY}
     * @throws IOException when the gateway cannot be reached or does not support pointers
     */
    @Override
    public PeerDirectory create(Map<String, String> settings) throws IOException {
        return AutonomiDirectory.open(config(settings));
    }

    /** The configuration the settings describe. */
    public static AutonomiConfig config(Map<String, String> settings) {
        AutonomiConfig.Builder builder = AutonomiConfig.builder();
        settings.forEach((key, value) -> {
            BiConsumer<AutonomiConfig.Builder, String> setter = SETTINGS.get(key);
            if (setter == null) {
                throw new IllegalArgumentException("unknown setting '" + key + "' for the Autonomi peer directory;"
                        + " it takes " + String.join(", ", new java.util.TreeSet<>(SETTINGS.keySet())));
            }
            setter.accept(builder, value);
        });
        return builder.build();
    }

    private static AutonomiConfig.GatewayKind kind(String v) {
        try {
            return AutonomiConfig.GatewayKind.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + GATEWAY_KIND + "' is auto, anttp or dweb, not '" + v + "'");
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + key + "' is true or false, not '" + v + "'");
        };
    }

    private static long number(String key, String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + key + "' must be a positive whole number, not '" + v + "'");
    }

    private static Duration millis(String key, String v) {
        return Duration.ofMillis(number(key, v));
    }
}
