package dev.srudp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable endpoint settings. Every value has a default, documented on its builder method.
 * Build with {@link #builder()}.
 */
public final class EndpointConfig {
    private final List<InetSocketAddress> bindAddresses;
    private final Duration keepAliveInterval;
    private final Duration idleTimeout;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final int maxUdpPayload;
    private final int maxConnections;
    private final int maxStreamsPerConnection;
    private final int streamReceiveWindow;
    private final int connectionReceiveWindow;
    private final int streamSendBuffer;
    private final AcceptPolicy acceptPolicy;
    private final EventListener eventListener;
    private final long keyUpdateAfterPackets;
    private final Duration keyUpdateAfter;
    private final boolean pathMtuDiscovery;
    private final CongestionControl congestionControl;
    private final int handshakeLoadThreshold;
    private final int maxHandshakesPerSource;
    private final List<InetSocketAddress> stunServers;
    private final boolean answerStun;
    private final Duration stunRefreshInterval;

    private final Duration emulatedDelay;

    private EndpointConfig(Builder b) {
        this.emulatedDelay = b.emulatedDelay;
        this.stunServers = List.copyOf(b.stunServers);
        this.answerStun = b.answerStun;
        this.stunRefreshInterval = b.stunRefreshInterval;
        this.handshakeLoadThreshold = b.handshakeLoadThreshold;
        this.pathMtuDiscovery = b.pathMtuDiscovery;
        this.congestionControl = b.congestionControl;
        this.maxHandshakesPerSource = b.maxHandshakesPerSource;
        this.keyUpdateAfterPackets = b.keyUpdateAfterPackets;
        this.keyUpdateAfter = b.keyUpdateAfter;
        this.bindAddresses = List.copyOf(b.bindAddresses);
        this.keepAliveInterval = b.keepAliveInterval;
        this.idleTimeout = b.idleTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.maxUdpPayload = b.maxUdpPayload;
        this.maxConnections = b.maxConnections;
        this.maxStreamsPerConnection = b.maxStreamsPerConnection;
        this.streamReceiveWindow = b.streamReceiveWindow;
        this.connectionReceiveWindow = b.connectionReceiveWindow;
        this.streamSendBuffer = b.streamSendBuffer;
        this.acceptPolicy = b.acceptPolicy;
        this.eventListener = b.eventListener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static EndpointConfig defaults() {
        return builder().build();
    }

    public List<InetSocketAddress> bindAddresses() {
        return bindAddresses;
    }

    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public int maxUdpPayload() {
        return maxUdpPayload;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxStreamsPerConnection() {
        return maxStreamsPerConnection;
    }

    public int streamReceiveWindow() {
        return streamReceiveWindow;
    }

    public int connectionReceiveWindow() {
        return connectionReceiveWindow;
    }

    public int streamSendBuffer() {
        return streamSendBuffer;
    }

    public AcceptPolicy acceptPolicy() {
        return acceptPolicy;
    }

    public EventListener eventListener() {
        return eventListener;
    }

    public long keyUpdateAfterPackets() {
        return keyUpdateAfterPackets;
    }

    public Duration keyUpdateAfter() {
        return keyUpdateAfter;
    }

    public CongestionControl congestionControl() {
        return congestionControl;
    }

    public boolean pathMtuDiscovery() {
        return pathMtuDiscovery;
    }

    public int handshakeLoadThreshold() {
        return handshakeLoadThreshold;
    }

    public int maxHandshakesPerSource() {
        return maxHandshakesPerSource;
    }

    public List<InetSocketAddress> stunServers() {
        return stunServers;
    }

    public boolean answerStun() {
        return answerStun;
    }

    public Duration stunRefreshInterval() {
        return stunRefreshInterval;
    }

    /** The one-way delay added to every outgoing datagram, for lab measurements; zero when off. */
    public Duration emulatedDelay() {
        return emulatedDelay;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.stunServers = stunServers;
        b.answerStun = answerStun;
        b.stunRefreshInterval = stunRefreshInterval;
        b.emulatedDelay = emulatedDelay;
        b.handshakeLoadThreshold = handshakeLoadThreshold;
        b.pathMtuDiscovery = pathMtuDiscovery;
        b.congestionControl = congestionControl;
        b.maxHandshakesPerSource = maxHandshakesPerSource;
        b.keyUpdateAfterPackets = keyUpdateAfterPackets;
        b.keyUpdateAfter = keyUpdateAfter;
        b.bindAddresses = bindAddresses;
        b.keepAliveInterval = keepAliveInterval;
        b.idleTimeout = idleTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.closeTimeout = closeTimeout;
        b.maxUdpPayload = maxUdpPayload;
        b.maxConnections = maxConnections;
        b.maxStreamsPerConnection = maxStreamsPerConnection;
        b.streamReceiveWindow = streamReceiveWindow;
        b.connectionReceiveWindow = connectionReceiveWindow;
        b.streamSendBuffer = streamSendBuffer;
        b.acceptPolicy = acceptPolicy;
        b.eventListener = eventListener;
        return b;
    }

    /** Builds an {@link EndpointConfig}; every setter validates its argument. */
    public static final class Builder {
        private List<InetSocketAddress> bindAddresses = List.of(new InetSocketAddress(0));
        private Duration keepAliveInterval = Duration.ofSeconds(15);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private int maxUdpPayload = 1452;
        private boolean pathMtuDiscovery = true;
        private CongestionControl congestionControl = CongestionControl.NEW_RENO;
        private int maxConnections = 10_000;
        private int maxStreamsPerConnection = 128;
        private int streamReceiveWindow = 1 << 20;
        private int connectionReceiveWindow = 4 << 20;
        private int streamSendBuffer = 1 << 20;
        private AcceptPolicy acceptPolicy = AcceptPolicy.ANYONE;
        private EventListener eventListener = EventListener.NONE;
        private long keyUpdateAfterPackets = 1L << 22;
        private Duration keyUpdateAfter = Duration.ofHours(1);
        private int handshakeLoadThreshold = 256;
        private int maxHandshakesPerSource = 32;
        private List<InetSocketAddress> stunServers = List.of();
        private boolean answerStun;
        private Duration stunRefreshInterval = Duration.ofSeconds(25);
        private Duration emulatedDelay = Duration.ZERO;

        private Builder() {
        }

        /**
         * STUN servers (RFC 8489) the endpoint asks, from its own sockets, for its server-reflexive
         * addresses: where NATs in front of it map its sockets. They are asked when the endpoint
         * opens and every {@link #stunRefreshInterval}. Default: none; the library never contacts
         * a server it was not given. At most 16, resolved.
         */
        public Builder stunServers(List<InetSocketAddress> servers) {
            Objects.requireNonNull(servers, "stunServers");
            if (servers.size() > 16) {
                throw new IllegalArgumentException("at most 16 STUN servers, got " + servers.size());
            }
            for (InetSocketAddress a : servers) {
                Objects.requireNonNull(a, "STUN server");
                if (a.isUnresolved() || a.getPort() == 0) {
                    throw new IllegalArgumentException("STUN server must be a resolved address with a port: " + a);
                }
            }
            this.stunServers = List.copyOf(servers);
            return this;
        }

        /**
         * Whether the endpoint answers STUN Binding requests on its sockets, so other peers can
         * learn their reflexive addresses from it. Answers are rate-limited per source (see
         * docs/limits.md). Default false.
         */
        public Builder answerStun(boolean answer) {
            this.answerStun = answer;
            return this;
        }

        /**
         * How often the STUN servers are asked again: a change of reflexive address is noticed
         * within this time, and the requests keep the NAT's mapping alive. Default 25 s (NATs
         * commonly forget an idle UDP mapping after 30 s); between 1 s and 1 hour.
         */
        public Builder stunRefreshInterval(Duration d) {
            positive(d, "stunRefreshInterval");
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("stunRefreshInterval must be between 1 s and 1 h, got " + d);
            }
            this.stunRefreshInterval = d;
            return this;
        }

        /**
         * A testing aid: holds every outgoing datagram for this long before it is sent, to emulate
         * a long path where the system cannot (for example a lab without {@code netem}). Received
         * datagrams are not delayed, so two peers that both set {@code d} see a round trip longer by
         * {@code 2d}. Default zero (off); at most 10 s. While on, at most 8 MiB of datagrams are
         * held; beyond that they are dropped, as a full router queue drops them.
         */
        public Builder emulatedDelay(Duration oneWay) {
            Objects.requireNonNull(oneWay, "emulatedDelay");
            if (oneWay.isNegative() || oneWay.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("emulatedDelay must be between 0 and 10 s, got " + oneWay);
            }
            this.emulatedDelay = oneWay;
            return this;
        }

        /**
         * Handshakes in progress (answered, not yet confirmed) above which a first message is
         * answered with a stateless cookie instead, until the initiator proves its address.
         * Default 256.
         */
        public Builder handshakeLoadThreshold(int n) {
            this.handshakeLoadThreshold = range(n, 0, 1_000_000, "handshakeLoadThreshold");
            return this;
        }

        /**
         * Handshakes in progress from one IP address before its further first messages get a
         * cookie (and, once it has proven its address, are dropped). Default 32; tests that open
         * many connections from one address at once raise it.
         */
        public Builder maxHandshakesPerSource(int n) {
            this.maxHandshakesPerSource = range(n, 1, 1_000_000, "maxHandshakesPerSource");
            return this;
        }

        /**
         * Packets sent with one key before it is replaced. Default 2^22 (about 5 GB at 1200 bytes),
         * well inside AES-GCM's confidentiality limit of 2^23 packets that RFC 9001, section 6.6
         * gives for this packet size.
         */
        public Builder keyUpdateAfterPackets(long packets) {
            if (packets < 16 || packets > (1L << 23)) {
                throw new IllegalArgumentException("keyUpdateAfterPackets must be between 16 and 2^23, got " + packets);
            }
            this.keyUpdateAfterPackets = packets;
            return this;
        }

        /** The longest time one sending key is used. Default 1 hour. */
        public Builder keyUpdateAfter(Duration d) {
            this.keyUpdateAfter = positive(d, "keyUpdateAfter");
            return this;
        }

        /**
         * The local UDP sockets to bind. Default: one socket on the wildcard address with a port
         * chosen by the system. A socket asked for on the IPv4 wildcard (0.0.0.0, as here) is
         * opened as one dual-stack socket on {@code ::} (IPv4 and IPv6 on the same port) where the
         * system allows, and as an IPv4 socket where it does not.
         */
        public Builder bind(InetSocketAddress... addresses) {
            if (addresses.length == 0) {
                throw new IllegalArgumentException("bind needs at least one address");
            }
            for (InetSocketAddress a : addresses) {
                Objects.requireNonNull(a, "bind address");
                if (a.isUnresolved()) {
                    throw new IllegalArgumentException("bind address is unresolved: " + a);
                }
            }
            this.bindAddresses = List.of(addresses);
            return this;
        }

        /** Binds one socket on {@code address} and {@code port} (0: chosen by the system). */
        public Builder bind(InetAddress address, int port) {
            return bind(new InetSocketAddress(address, port));
        }

        /**
         * How often an otherwise silent connection sends a keepalive. Default 15 s: it also holds
         * the NAT mappings of a punched path, well within the 30 s after which Linux forgets an
         * unanswered UDP mapping (120 s for an answered one) and the shortest timeouts of home
         * routers; a longer interval risks losing the path while the connection is idle.
         */
        public Builder keepAliveInterval(Duration d) {
            this.keepAliveInterval = positive(d, "keepAliveInterval");
            return this;
        }

        /** How long a connection lives without hearing from the peer. Default 60 s. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** How long {@code connect} waits for the handshake to complete. Default 10 s. */
        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = positive(d, "handshakeTimeout");
            return this;
        }

        /** How long a graceful close waits for outstanding data to be acknowledged. Default 10 s. */
        public Builder closeTimeout(Duration d) {
            this.closeTimeout = positive(d, "closeTimeout");
            return this;
        }

        /**
         * The largest UDP payload sent or accepted, in bytes. Connections start with 1200-byte
         * datagrams, which cross practically every path, and probe upward to the smaller of this
         * and the peer's limit where the path carries them (see {@link #pathMtuDiscovery}).
         * Default 1452 (a 1500-byte Ethernet MTU minus IPv6 and UDP headers); between 1200 and
         * 65507.
         */
        public Builder maxUdpPayload(int bytes) {
            this.maxUdpPayload = range(bytes, 1200, 65507, "maxUdpPayload");
            return this;
        }

        /**
         * The congestion controller of each connection. Default {@link CongestionControl#NEW_RENO},
         * fair to TCP on shared links; {@link CongestionControl#LOSS_TOLERANT} keeps its rate
         * through random loss on wireless or otherwise lossy links.
         */
        public Builder congestionControl(CongestionControl mode) {
            this.congestionControl = Objects.requireNonNull(mode, "congestionControl");
            return this;
        }

        /**
         * Whether connections probe for datagrams larger than 1200 bytes (RFC 8899). Default true.
         * When false every datagram is at most 1200 bytes.
         */
        public Builder pathMtuDiscovery(boolean enabled) {
            this.pathMtuDiscovery = enabled;
            return this;
        }

        /** The most connections (including handshakes in progress) at once. Default 10,000. */
        public Builder maxConnections(int n) {
            this.maxConnections = range(n, 1, 1_000_000, "maxConnections");
            return this;
        }

        /** The most streams the peer may open in one connection. Default 128. */
        public Builder maxStreamsPerConnection(int n) {
            this.maxStreamsPerConnection = range(n, 1, 1 << 20, "maxStreamsPerConnection");
            return this;
        }

        /** Bytes the peer may send on one stream ahead of the reader. Default 1 MiB. */
        public Builder streamReceiveWindow(int bytes) {
            this.streamReceiveWindow = range(bytes, 4096, 1 << 30, "streamReceiveWindow");
            return this;
        }

        /** Bytes the peer may send on all streams ahead of the readers. Default 4 MiB. */
        public Builder connectionReceiveWindow(int bytes) {
            this.connectionReceiveWindow = range(bytes, 4096, 1 << 30, "connectionReceiveWindow");
            return this;
        }

        /** Bytes a writer may buffer per stream before {@code write} blocks. Default 1 MiB. */
        public Builder streamSendBuffer(int bytes) {
            this.streamSendBuffer = range(bytes, 4096, 1 << 30, "streamSendBuffer");
            return this;
        }

        /** Who may connect to this endpoint. Default: anyone who authenticates. */
        public Builder acceptPolicy(AcceptPolicy policy) {
            this.acceptPolicy = Objects.requireNonNull(policy, "acceptPolicy");
            return this;
        }

        /** Observer of endpoint events. Default {@link EventListener#NONE}. */
        public Builder eventListener(EventListener listener) {
            this.eventListener = Objects.requireNonNull(listener, "eventListener");
            return this;
        }

        public EndpointConfig build() {
            if (keepAliveInterval.compareTo(idleTimeout) >= 0) {
                throw new IllegalArgumentException("keepAliveInterval (" + keepAliveInterval
                        + ") must be shorter than idleTimeout (" + idleTimeout + ")");
            }
            return new EndpointConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        private static int range(int v, int min, int max, String name) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        }
    }
}
