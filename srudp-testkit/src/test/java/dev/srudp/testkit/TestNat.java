package dev.srudp.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A minimal NAT for the STUN tests (RFC 4787 terms): one external address in front of the given
 * internal hosts, with a chosen mapping, filtering and port allocation. Mappings never expire
 * unless {@link #forgetMappings} is called (as a router reboot or a conntrack flush would).
 * Named apart from the fuller NAT models of the simulator.
 */
final class TestNat implements Middlebox {
    enum Mapping { ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT }

    enum Filtering { ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT }

    enum Allocation { PRESERVING, SEQUENTIAL, RANDOM }

    private record Key(InetSocketAddress internal, InetAddress remoteIp, int remotePort) {
    }

    private static final class Binding {
        final InetSocketAddress internal;
        final int externalPort;
        final Set<InetSocketAddress> contacted = new HashSet<>();

        Binding(InetSocketAddress internal, int externalPort) {
            this.internal = internal;
            this.externalPort = externalPort;
        }
    }

    private final InetAddress external;
    private final Set<InetAddress> inside;
    private final Mapping mapping;
    private final Filtering filtering;
    private final Allocation allocation;
    private final int step;
    private final Random random;
    private final Map<Key, Binding> byKey = new HashMap<>();
    private final Map<Integer, Binding> byPort = new HashMap<>();
    private int nextPort = 40_000;

    TestNat(String externalIp, List<String> insideIps, Mapping mapping, Filtering filtering, Allocation allocation,
            int step, long seed) {
        this.external = Payloads.address(externalIp, 1).getAddress();
        this.inside = new HashSet<>();
        for (String ip : insideIps) {
            inside.add(Payloads.address(ip, 1).getAddress());
        }
        this.mapping = mapping;
        this.filtering = filtering;
        this.allocation = allocation;
        this.step = step;
        this.random = new Random(seed);
    }

    InetAddress externalAddress() {
        return external;
    }

    /** Drops every mapping: later datagrams get new external ports. */
    void forgetMappings() {
        byKey.clear();
        byPort.clear();
        nextPort += 1000;
    }

    @Override
    public Datagram outbound(Datagram d, long nowNanos) {
        if (!inside.contains(d.from().getAddress()) || inside.contains(d.to().getAddress())) {
            return d;
        }
        Key key = switch (mapping) {
            case ENDPOINT_INDEPENDENT -> new Key(d.from(), null, 0);
            case ADDRESS_DEPENDENT -> new Key(d.from(), d.to().getAddress(), 0);
            case ADDRESS_AND_PORT_DEPENDENT -> new Key(d.from(), d.to().getAddress(), d.to().getPort());
        };
        Binding b = byKey.get(key);
        if (b == null) {
            b = new Binding(d.from(), allocate(d.from().getPort()));
            byKey.put(key, b);
            byPort.put(b.externalPort, b);
        }
        b.contacted.add(d.to());
        return d.withFrom(new InetSocketAddress(external, b.externalPort));
    }

    private int allocate(int internalPort) {
        int port;
        switch (allocation) {
            case PRESERVING -> {
                port = internalPort;
                while (byPort.containsKey(port)) {
                    port++;
                }
            }
            case SEQUENTIAL -> {
                port = nextPort;
                nextPort += step;
            }
            default -> {
                do {
                    port = 1024 + random.nextInt(64_000);
                } while (byPort.containsKey(port));
            }
        }
        return port;
    }

    @Override
    public Datagram inbound(Datagram d, long nowNanos) {
        if (!d.to().getAddress().equals(external)) {
            return d;
        }
        Binding b = byPort.get(d.to().getPort());
        if (b == null) {
            return null;
        }
        boolean allowed = switch (filtering) {
            case ENDPOINT_INDEPENDENT -> true;
            case ADDRESS_DEPENDENT -> b.contacted.stream().anyMatch(c -> c.getAddress().equals(d.from().getAddress()));
            case ADDRESS_AND_PORT_DEPENDENT -> b.contacted.contains(d.from());
        };
        return allowed ? d.withTo(b.internal) : null;
    }
}
