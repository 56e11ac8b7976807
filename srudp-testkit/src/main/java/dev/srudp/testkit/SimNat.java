package dev.srudp.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A NAT router between the hosts of one private network and the simulated internet, with the
 * behaviours RFC 4787 names: mapping (section 4.1), filtering (section 5), port allocation
 * (section 4.2), mapping refresh and timeout (section 4.3), hairpinning (section 6), and a mode
 * that drops all UDP.
 *
 * <p>A datagram from an inside host to an outside address leaves with its source rewritten to
 * the NAT's public address and a mapped port; one arriving at the public address is let through to
 * the inside host if a live mapping owns that port and the filtering admits its source. Datagrams
 * between inside hosts pass unchanged (one LAN); datagrams from outside to an inside host's own
 * (private) address are dropped, as the internet does not route them.
 *
 * <pre>{@code
 * SimNat nat = SimNat.builder(InetAddress.getByName("203.0.113.1"), seed).portRestricted()
 *         .inside(InetAddress.getByName("10.0.1.2")).build();
 * net.addMiddlebox(nat);
 * }</pre>
 */
public final class SimNat implements Middlebox {
    /** RFC 4787 section 4.1: which destinations share a mapping. */
    public enum Mapping {
        ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT
    }

    /** RFC 4787 section 5: which sources may send into a mapping. */
    public enum Filtering {
        ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT
    }

    /** RFC 4787 section 4.2: how external ports are chosen. */
    public enum Allocation {
        /** The internal port when free (else the next free one). */
        PRESERVING,
        /** Each new mapping takes the previous port plus a step. */
        SEQUENTIAL,
        /** Ports drawn at random (seeded). */
        RANDOM
    }

    /** Lowest port the NAT allocates when it cannot preserve one. */
    static final int LOWEST_PORT = 1024;

    private final InetAddress publicAddress;
    private final Set<InetAddress> inside;
    private final Mapping mapping;
    private final Filtering filtering;
    private final Allocation allocation;
    private final int step;
    private final long timeoutNanos;
    private final boolean hairpinning;
    private final boolean udpBlocked;
    private final Random random;
    private final Map<Key, Entry> byKey = new HashMap<>();
    private final Map<Integer, Entry> byPort = new HashMap<>();
    private int lastPort;
    private long mappingsCreated;
    private long droppedInbound;

    private record Key(InetSocketAddress internal, Object destination) {
    }

    private static final class Entry {
        final Key key;
        final int port;
        final Set<InetAddress> contactedAddresses = new HashSet<>();
        final Set<InetSocketAddress> contacted = new HashSet<>();
        long lastUsedNanos;

        Entry(Key key, int port) {
            this.key = key;
            this.port = port;
        }
    }

    private SimNat(Builder b) {
        this.publicAddress = b.publicAddress;
        this.inside = Set.copyOf(b.inside);
        this.mapping = b.mapping;
        this.filtering = b.filtering;
        this.allocation = b.allocation;
        this.step = b.step;
        this.timeoutNanos = b.timeout.toNanos();
        this.hairpinning = b.hairpinning;
        this.udpBlocked = b.udpBlocked;
        this.random = new Random(b.seed);
        this.lastPort = LOWEST_PORT + random.nextInt(20_000);
    }

    /** A builder for a NAT whose public address is {@code publicAddress}; {@code seed} drives random ports. */
    public static Builder builder(InetAddress publicAddress, long seed) {
        return new Builder(publicAddress, seed);
    }

    public InetAddress publicAddress() {
        return publicAddress;
    }

    /** Forgets every mapping, as {@code conntrack -F} does. */
    public void flush() {
        byKey.clear();
        byPort.clear();
    }

    /** Mappings created so far. */
    public long mappingsCreated() {
        return mappingsCreated;
    }

    /** Datagrams from outside that no mapping or filter let in. */
    public long droppedInbound() {
        return droppedInbound;
    }

    /** The public address the NAT would use now for {@code internal} talking to {@code remote}, if mapped. */
    public InetSocketAddress mappedAddress(InetSocketAddress internal, InetSocketAddress remote, long nowNanos) {
        Entry e = byKey.get(new Key(internal, destinationKey(remote)));
        return e == null || expired(e, nowNanos) ? null : new InetSocketAddress(publicAddress, e.port);
    }

    @Override
    public Datagram outbound(Datagram d, long now) {
        InetAddress src = d.from().getAddress();
        if (!inside.contains(src) || inside.contains(d.to().getAddress())) {
            return d;
        }
        if (udpBlocked) {
            return null;
        }
        Key key = new Key(d.from(), destinationKey(d.to()));
        Entry e = byKey.get(key);
        if (e != null && expired(e, now)) {
            remove(e);
            e = null;
        }
        if (e == null) {
            int port = allocate(d.from().getPort(), now);
            if (port < 0) {
                return null;
            }
            e = new Entry(key, port);
            byKey.put(key, e);
            byPort.put(port, e);
            mappingsCreated++;
        }
        e.lastUsedNanos = now;
        e.contactedAddresses.add(d.to().getAddress());
        e.contacted.add(d.to());
        return d.withFrom(new InetSocketAddress(publicAddress, e.port));
    }

    @Override
    public Datagram inbound(Datagram d, long now) {
        InetAddress dst = d.to().getAddress();
        if (inside.contains(dst)) {
            // private addresses are not routed from outside the LAN
            return inside.contains(d.from().getAddress()) ? d : drop();
        }
        if (!dst.equals(publicAddress)) {
            return d;
        }
        if (udpBlocked) {
            return drop();
        }
        if (d.from().getAddress().equals(publicAddress) && !hairpinning) {
            return drop();
        }
        Entry e = byPort.get(d.to().getPort());
        if (e == null || expired(e, now)) {
            return drop();
        }
        boolean admitted = switch (filtering) {
            case ENDPOINT_INDEPENDENT -> true;
            case ADDRESS_DEPENDENT -> e.contactedAddresses.contains(d.from().getAddress());
            case ADDRESS_AND_PORT_DEPENDENT -> e.contacted.contains(d.from());
        };
        if (!admitted) {
            return drop();
        }
        e.lastUsedNanos = now;
        return d.withTo(e.key.internal());
    }

    private Datagram drop() {
        droppedInbound++;
        return null;
    }

    private Object destinationKey(InetSocketAddress to) {
        return switch (mapping) {
            case ENDPOINT_INDEPENDENT -> "any";
            case ADDRESS_DEPENDENT -> to.getAddress();
            case ADDRESS_AND_PORT_DEPENDENT -> to;
        };
    }

    private boolean expired(Entry e, long now) {
        return now - e.lastUsedNanos > timeoutNanos;
    }

    private void remove(Entry e) {
        byKey.remove(e.key);
        byPort.remove(e.port, e);
    }

    private int allocate(int internalPort, long now) {
        for (int tries = 0; tries < 65_536; tries++) {
            int candidate = switch (allocation) {
                case PRESERVING -> tries == 0 ? internalPort : next(1);
                case SEQUENTIAL -> next(step);
                case RANDOM -> LOWEST_PORT + random.nextInt(65_536 - LOWEST_PORT);
            };
            Entry holder = byPort.get(candidate);
            if (holder != null && expired(holder, now)) {
                remove(holder);
                holder = null;
            }
            if (holder == null) {
                return candidate;
            }
        }
        return -1;
    }

    private int next(int by) {
        lastPort += by;
        if (lastPort > 65_535) {
            lastPort = LOWEST_PORT + (lastPort - 65_536) % (65_536 - LOWEST_PORT);
        }
        return lastPort;
    }

    @Override
    public String toString() {
        return "SimNat[" + publicAddress.getHostAddress() + ", " + mapping + " mapping, " + filtering + " filtering, "
                + allocation + (allocation == Allocation.SEQUENTIAL ? " step " + step : "") + " ports"
                + (hairpinning ? ", hairpinning" : "") + (udpBlocked ? ", UDP blocked" : "") + "]";
    }

    /** Builds a {@link SimNat}; the defaults are a port-restricted cone NAT (Linux masquerade). */
    public static final class Builder {
        private final InetAddress publicAddress;
        private final long seed;
        private final List<InetAddress> inside = new ArrayList<>();
        private Mapping mapping = Mapping.ENDPOINT_INDEPENDENT;
        private Filtering filtering = Filtering.ADDRESS_AND_PORT_DEPENDENT;
        private Allocation allocation = Allocation.PRESERVING;
        private int step = 1;
        private Duration timeout = Duration.ofSeconds(30);
        private boolean hairpinning;
        private boolean udpBlocked;

        private Builder(InetAddress publicAddress, long seed) {
            this.publicAddress = Objects.requireNonNull(publicAddress, "publicAddress");
            this.seed = seed;
        }

        /** Adds inside hosts (their private addresses). */
        public Builder inside(InetAddress... hosts) {
            inside.addAll(List.of(hosts));
            return this;
        }

        public Builder mapping(Mapping m) {
            mapping = Objects.requireNonNull(m);
            return this;
        }

        public Builder filtering(Filtering f) {
            filtering = Objects.requireNonNull(f);
            return this;
        }

        /** Port allocation; {@code step} matters for {@link Allocation#SEQUENTIAL} (1 or more). */
        public Builder allocation(Allocation a, int step) {
            if (step < 1 || step > 1000) {
                throw new IllegalArgumentException("step must be 1-1000, not " + step);
            }
            allocation = Objects.requireNonNull(a);
            this.step = step;
            return this;
        }

        /** How long a mapping lives without traffic; default 30 s (Linux conntrack's unreplied UDP timeout). */
        public Builder timeout(Duration d) {
            timeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder hairpinning(boolean on) {
            hairpinning = on;
            return this;
        }

        /** Drops every UDP datagram in both directions. */
        public Builder udpBlocked(boolean blocked) {
            udpBlocked = blocked;
            return this;
        }

        /** Endpoint-independent mapping and filtering. */
        public Builder fullCone() {
            return mapping(Mapping.ENDPOINT_INDEPENDENT).filtering(Filtering.ENDPOINT_INDEPENDENT);
        }

        /** Endpoint-independent mapping, address-dependent filtering. */
        public Builder addressRestricted() {
            return mapping(Mapping.ENDPOINT_INDEPENDENT).filtering(Filtering.ADDRESS_DEPENDENT);
        }

        /** Endpoint-independent mapping, address-and-port-dependent filtering, preserved ports. */
        public Builder portRestricted() {
            return mapping(Mapping.ENDPOINT_INDEPENDENT).filtering(Filtering.ADDRESS_AND_PORT_DEPENDENT)
                    .allocation(Allocation.PRESERVING, 1);
        }

        /** Address-and-port-dependent mapping and filtering with random ports. */
        public Builder symmetricRandom() {
            return mapping(Mapping.ADDRESS_AND_PORT_DEPENDENT).filtering(Filtering.ADDRESS_AND_PORT_DEPENDENT)
                    .allocation(Allocation.RANDOM, 1);
        }

        /** Address-and-port-dependent mapping and filtering with sequential ports. */
        public Builder symmetricSequential(int step) {
            return mapping(Mapping.ADDRESS_AND_PORT_DEPENDENT).filtering(Filtering.ADDRESS_AND_PORT_DEPENDENT)
                    .allocation(Allocation.SEQUENTIAL, step);
        }

        public SimNat build() {
            return new SimNat(this);
        }
    }
}
