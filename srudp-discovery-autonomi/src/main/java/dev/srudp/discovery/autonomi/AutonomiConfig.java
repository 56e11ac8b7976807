package dev.srudp.discovery.autonomi;

import dev.srudp.PeerId;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable settings of an {@link AutonomiDirectory}. Built with {@link #builder()}; the defaults
 * are documented on each builder method and in docs/discovery-autonomi.md.
 */
public final class AutonomiConfig {
    /** AntTP's default HTTP port is 18888 (research note §2.1); dweb's is 5537 (§2.3). */
    public static final URI DEFAULT_GATEWAY = URI.create("http://127.0.0.1:18888");
    public static final String DEFAULT_NAME = "srudp-endpoint";
    public static final Duration DEFAULT_IDLE_POLL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_FAST_POLL = Duration.ofSeconds(6);
    public static final Duration DEFAULT_FAST_WINDOW = Duration.ofMinutes(2);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_ANTTP_CACHE_TTL = Duration.ofSeconds(5);
    /** A full scratchpad (4 MiB) plus room for JSON around it. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024 + 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

    /** Which adapter to use. */
    public enum GatewayKind {
        /** Probe AntTP's OpenAPI document, then dweb's. */
        AUTO,
        ANTTP,
        DWEB
    }

    private final URI gateway;
    private final GatewayKind gatewayKind;
    private final boolean allowRemoteGateway;
    private final boolean allowPaidCreate;
    private final Optional<Path> ownerSecretFile;
    private final String name;
    private final Optional<String> identity;
    private final Duration idlePoll;
    private final Duration fastPoll;
    private final Duration fastWindow;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final Duration antTpCacheTtl;
    private final long maxResponseBytes;

    private AutonomiConfig(Builder b) {
        this.gateway = b.gateway;
        this.gatewayKind = b.gatewayKind;
        this.allowRemoteGateway = b.allowRemoteGateway;
        this.allowPaidCreate = b.allowPaidCreate;
        this.ownerSecretFile = Optional.ofNullable(b.ownerSecretFile);
        this.name = b.name;
        this.identity = Optional.ofNullable(b.identity);
        this.idlePoll = b.idlePoll;
        this.fastPoll = b.fastPoll;
        this.fastWindow = b.fastWindow;
        this.maxBackoff = b.maxBackoff;
        this.timeout = b.timeout;
        this.antTpCacheTtl = b.antTpCacheTtl;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI gateway() { return gateway; }
    public GatewayKind gatewayKind() { return gatewayKind; }
    public boolean allowRemoteGateway() { return allowRemoteGateway; }
    public boolean allowPaidCreate() { return allowPaidCreate; }
    public Optional<Path> ownerSecretFile() { return ownerSecretFile; }
    public String name() { return name; }
    public Optional<String> identity() { return identity; }
    public Duration idlePoll() { return idlePoll; }
    public Duration fastPoll() { return fastPoll; }
    public Duration fastWindow() { return fastWindow; }
    public Duration maxBackoff() { return maxBackoff; }
    public Duration timeout() { return timeout; }
    public Duration antTpCacheTtl() { return antTpCacheTtl; }
    public long maxResponseBytes() { return maxResponseBytes; }

    /** Builds an {@link AutonomiConfig}; every setter validates its value at once. */
    public static final class Builder {
        private URI gateway = DEFAULT_GATEWAY;
        private GatewayKind gatewayKind = GatewayKind.AUTO;
        private boolean allowRemoteGateway;
        private boolean allowPaidCreate;
        private Path ownerSecretFile;
        private String name = DEFAULT_NAME;
        private String identity;
        private Duration idlePoll = DEFAULT_IDLE_POLL;
        private Duration fastPoll = DEFAULT_FAST_POLL;
        private Duration fastWindow = DEFAULT_FAST_WINDOW;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration antTpCacheTtl = DEFAULT_ANTTP_CACHE_TTL;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder() {}

        /** The gateway's base URL, {@code http} or {@code https}; default {@code http://127.0.0.1:18888}. */
        public Builder gateway(URI gateway) {
            Objects.requireNonNull(gateway, "gateway");
            String scheme = gateway.getScheme() == null ? "" : gateway.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || gateway.getHost() == null
                    || (gateway.getPath() != null && !gateway.getPath().isEmpty() && !gateway.getPath().equals("/"))
                    || gateway.getQuery() != null || gateway.getUserInfo() != null) {
                throw new IllegalArgumentException("the gateway is a base URL such as http://127.0.0.1:18888, not " + gateway);
            }
            this.gateway = gateway;
            return this;
        }

        /** Which adapter; default {@link GatewayKind#AUTO}. */
        public Builder gatewayKind(GatewayKind kind) {
            this.gatewayKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Allow a gateway that is not on this machine; default false (owner keys and wallet stay local). */
        public Builder allowRemoteGateway(boolean allow) {
            this.allowRemoteGateway = allow;
            return this;
        }

        /** Consent to the two paid creations (pointer and scratchpad) when none exist; default false. */
        public Builder allowPaidCreate(boolean allow) {
            this.allowPaidCreate = allow;
            return this;
        }

        /** A file, readable only by its owner, from which a client-supplied owner key is derived (dweb). */
        public Builder ownerSecretFile(Path file) {
            this.ownerSecretFile = file;
            return this;
        }

        /** The name the pointer and scratchpad are derived from; default {@code srudp-endpoint}. */
        public Builder name(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a slot name is 1 to 100 of A-Z a-z 0-9 . _ ~ -");
            }
            this.name = name;
            return this;
        }

        /** This peer's id (text form), added to the published address as {@code ?id=}; none by default. */
        public Builder identity(String peerId) {
            if (peerId != null) {
                PeerId.parse(peerId);
            }
            this.identity = peerId;
            return this;
        }

        /** How often a watched partner is read when no connection is wanted; default 60 s. */
        public Builder idlePoll(Duration d) {
            this.idlePoll = positive(d, "idle poll interval");
            return this;
        }

        /**
         * How often a watched partner is read inside a fast window; default 6 s, and never less
         * than the gateway's cache lifetime.
         */
        public Builder fastPoll(Duration d) {
            this.fastPoll = positive(d, "fast poll interval");
            return this;
        }

        /** How long a fast window lasts; default 2 min. */
        public Builder fastWindow(Duration d) {
            this.fastWindow = positive(d, "fast window");
            return this;
        }

        /** The longest wait between reads after errors or "not found"; default 5 min. */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = positive(d, "maximum backoff");
            return this;
        }

        /** The limit for one HTTP exchange with the gateway; default 15 s. */
        public Builder timeout(Duration d) {
            this.timeout = positive(d, "timeout");
            return this;
        }

        /** AntTP's {@code --cached-mutable-ttl}; default 5 s, AntTP's own default. */
        public Builder antTpCacheTtl(Duration d) {
            this.antTpCacheTtl = positive(d, "AntTP cache TTL");
            return this;
        }

        /** Answers with longer bodies are refused; default 4 MiB + 64 KiB. */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("the response limit is at least 1024 bytes");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the gateway is not on this machine and
         *     {@link #allowRemoteGateway} was not set
         */
        public AutonomiConfig build() {
            if (!allowRemoteGateway && !isLoopback(gateway.getHost())) {
                throw new IllegalArgumentException("the gateway " + gateway + " is not on this machine; a gateway"
                        + " sees what you publish and, for dweb, your owner key: run one locally, or set"
                        + " allow-remote-gateway=true if you trust this one");
            }
            return new AutonomiConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the " + what + " must be positive");
            }
            return d;
        }
    }

    /** Loopback by literal only: no name lookup decides where keys go. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
