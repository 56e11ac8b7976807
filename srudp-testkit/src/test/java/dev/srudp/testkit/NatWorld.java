package dev.srudp.testkit;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.NatHints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two peers, each behind its own router (or both behind one), on a simulated internet, with the
 * candidates and NAT hints their records would carry; helpers to punch and to time it.
 */
final class NatWorld {
    /** The router behaviours of the NAT lab. */
    enum Router {
        FULL_CONE, ADDRESS_RESTRICTED, PORT_RESTRICTED, SYMMETRIC_RANDOM, SYMMETRIC_SEQUENTIAL, UDP_BLOCKED;

        SimNat.Builder configure(SimNat.Builder b) {
            return switch (this) {
                case FULL_CONE -> b.fullCone();
                case ADDRESS_RESTRICTED -> b.addressRestricted();
                case PORT_RESTRICTED -> b.portRestricted();
                case SYMMETRIC_RANDOM -> b.symmetricRandom();
                case SYMMETRIC_SEQUENTIAL -> b.symmetricSequential(1);
                case UDP_BLOCKED -> b.portRestricted().udpBlocked(true);
            };
        }

        /** What RFC 5780 discovery would publish for this router. */
        NatHints hints() {
            return switch (this) {
                case FULL_CONE -> new NatHints(NatHints.Mapping.ENDPOINT_INDEPENDENT,
                        NatHints.Filtering.ENDPOINT_INDEPENDENT, NatHints.PortAllocation.PRESERVING);
                case ADDRESS_RESTRICTED -> new NatHints(NatHints.Mapping.ENDPOINT_INDEPENDENT,
                        NatHints.Filtering.ADDRESS_DEPENDENT, NatHints.PortAllocation.PRESERVING);
                case PORT_RESTRICTED -> new NatHints(NatHints.Mapping.ENDPOINT_INDEPENDENT,
                        NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT, NatHints.PortAllocation.PRESERVING);
                case SYMMETRIC_RANDOM -> new NatHints(NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                        NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT, NatHints.PortAllocation.RANDOM);
                case SYMMETRIC_SEQUENTIAL -> new NatHints(NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                        NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT, NatHints.PortAllocation.SEQUENTIAL);
                case UDP_BLOCKED -> NatHints.UNKNOWN;
            };
        }
    }

    static final InetSocketAddress STUN = address("203.0.113.200", 3478);
    static final InetAddress PUBLIC_A = ip("203.0.113.10");
    static final InetAddress PUBLIC_B = ip("198.51.100.20");

    final SimNetwork net;
    final Peer a;
    final Peer b;

    /** One peer: its endpoint, its router, what its record says. */
    static final class Peer {
        final SimEndpoint endpoint;
        final Middlebox router;
        final List<Candidate> candidates = new ArrayList<>();
        NatHints hints = NatHints.UNKNOWN;
        CompletableFuture<Connection> punch;
        long connectedAtNanos = -1;
        long firstByteAtNanos = -1;
        SrudpStream stream;

        Peer(SimEndpoint endpoint, Middlebox router) {
            this.endpoint = endpoint;
            this.router = router;
        }

        SimNat nat() {
            return (SimNat) router;
        }

        /** "connected", or the reason the punch failed. */
        String outcome() {
            try {
                punch.join();
                return "connected";
            } catch (java.util.concurrent.CompletionException e) {
                return e.getCause().getMessage();
            }
        }
    }

    private NatWorld(SimNetwork net, Peer a, Peer b) {
        this.net = net;
        this.a = a;
        this.b = b;
    }

    /** Peers behind separate IPv4 routers with the given behaviours; {@code oneWay} is the internet's delay. */
    static NatWorld separate(long seed, Router routerA, Router routerB, Duration oneWay) {
        SimNetwork net = new SimNetwork(seed, LinkConditions.builder().delay(oneWay).build());
        InetSocketAddress hostA = address("10.0.1.2", 40000);
        InetSocketAddress hostB = address("10.0.2.2", 40000);
        SimNat natA = routerA.configure(SimNat.builder(PUBLIC_A, seed * 7 + 1)).inside(hostA.getAddress()).build();
        SimNat natB = routerB.configure(SimNat.builder(PUBLIC_B, seed * 7 + 2)).inside(hostB.getAddress()).build();
        net.addMiddlebox(natA);
        net.addMiddlebox(natB);
        Peer a = new Peer(SimEndpoint.create(net, hostA, EndpointConfig.defaults(), seed * 31 + 1), natA);
        Peer b = new Peer(SimEndpoint.create(net, hostB, EndpointConfig.defaults(), seed * 31 + 2), natB);
        NatWorld w = new NatWorld(net, a, b);
        w.gather(a, routerA);
        w.gather(b, routerB);
        return w;
    }

    /** Two hosts behind one router (LAN candidates), hairpinning as given. */
    static NatWorld sameLan(long seed, boolean hairpinning, Duration oneWay) {
        SimNetwork net = new SimNetwork(seed, LinkConditions.builder().delay(oneWay).build());
        InetSocketAddress hostA = address("10.0.1.2", 40000);
        InetSocketAddress hostB = address("10.0.1.3", 40000);
        SimNat nat = SimNat.builder(PUBLIC_A, seed).portRestricted().hairpinning(hairpinning)
                .inside(hostA.getAddress(), hostB.getAddress()).build();
        net.addMiddlebox(nat);
        Peer a = new Peer(SimEndpoint.create(net, hostA, EndpointConfig.defaults(), seed * 31 + 1), nat);
        Peer b = new Peer(SimEndpoint.create(net, hostB, EndpointConfig.defaults(), seed * 31 + 2), nat);
        NatWorld w = new NatWorld(net, a, b);
        w.gather(a, Router.PORT_RESTRICTED);
        w.gather(b, Router.PORT_RESTRICTED);
        return w;
    }

    /** Two IPv6 hosts, each behind a stateful firewall. */
    static NatWorld ipv6Firewalls(long seed, Duration oneWay) {
        SimNetwork net = new SimNetwork(seed, LinkConditions.builder().delay(oneWay).build());
        InetSocketAddress hostA = address("2001:db8:a::2", 40000);
        InetSocketAddress hostB = address("2001:db8:b::2", 40000);
        SimFirewall fwA = new SimFirewall(Duration.ofSeconds(30), hostA.getAddress());
        SimFirewall fwB = new SimFirewall(Duration.ofSeconds(30), hostB.getAddress());
        net.addMiddlebox(fwA);
        net.addMiddlebox(fwB);
        Peer a = new Peer(SimEndpoint.create(net, hostA, EndpointConfig.defaults(), seed * 31 + 1), fwA);
        Peer b = new Peer(SimEndpoint.create(net, hostB, EndpointConfig.defaults(), seed * 31 + 2), fwB);
        a.candidates.add(new Candidate(CandidateKind.HOST, hostA));
        b.candidates.add(new Candidate(CandidateKind.HOST, hostB));
        return new NatWorld(net, a, b);
    }

    /** The host candidate, and the reflexive one a STUN server would report (none if UDP is blocked). */
    private void gather(Peer p, Router router) {
        InetSocketAddress host = p.endpoint.address();
        p.candidates.add(new Candidate(CandidateKind.HOST, host));
        Datagram toStun = p.nat().outbound(new Datagram(host, STUN, new byte[] {0, 1}), net.nowNanos());
        if (toStun != null) {
            p.candidates.add(new Candidate(CandidateKind.REFLEXIVE, toStun.from()));
        }
        p.hints = router.hints();
        // what RFC 5780 discovery would have told the endpoint about its own NAT
        p.endpoint.core().setLocalNatHints(p.hints);
    }

    /** Starts punching from {@code p} toward the other peer (the punch future is kept on {@code p}). */
    void startPunch(Peer p, Duration timeout) {
        Peer other = p == a ? b : a;
        p.punch = p.endpoint.core().punch(other.endpoint.certifiedKey(), other.candidates, other.hints, timeout);
        p.punch.whenComplete((c, e) -> {
            if (c != null) {
                p.connectedAtNanos = net.nowNanos();
                net.schedule(Duration.ZERO, () -> sayHello(p, c));
            }
        });
    }

    /** Each side opens a stream and sends one byte as soon as it is connected. */
    private void sayHello(Peer p, Connection c) {
        try {
            p.stream = c.openStream();
            p.stream.tryWrite(ByteBuffer.wrap(new byte[] {42}));
            c.acceptStreamAsync().thenAccept(s -> net.schedule(Duration.ZERO, () -> readHello(p, s)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readHello(Peer p, SrudpStream s) {
        try {
            if (s.tryRead(ByteBuffer.allocate(16)) > 0) {
                p.firstByteAtNanos = net.nowNanos();
            } else {
                net.schedule(Duration.ofMillis(1), () -> readHello(p, s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean bothDone() {
        return a.punch != null && b.punch != null && a.punch.isDone() && b.punch.isDone();
    }

    boolean bothGotFirstByte() {
        return a.firstByteAtNanos >= 0 && b.firstByteAtNanos >= 0;
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
