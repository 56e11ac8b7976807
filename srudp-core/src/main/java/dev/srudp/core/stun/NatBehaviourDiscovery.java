package dev.srudp.core.stun;

import dev.srudp.core.record.NatHints;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Classifies the NAT in front of an endpoint's socket in the terms of RFC 4787, by the tests of
 * RFC 5780 (sections 4.3 and 4.4), from Binding transactions through a {@link StunPort}.
 *
 * <p>With a server that names an OTHER-ADDRESS (it listens on two IP addresses and two ports),
 * the mapping is tested by binding to the primary address, then to the alternate IP with the
 * primary port, the alternate IP and port, and the primary IP with the alternate port: "if the
 * XOR-MAPPED-ADDRESS" of the second "is the same as" the first the mapping is
 * endpoint-independent (section 4.3); differences show whether the address alone or the port as
 * well makes a new mapping. The filtering is tested by asking the server to answer from its
 * other IP and port (an answer means endpoint-independent filtering), then from its other port
 * only (address-dependent), else address-and-port-dependent (section 4.4). Without OTHER-ADDRESS,
 * the other configured servers serve as the further destinations (two separate reflectors tell
 * endpoint-independent mapping from endpoint-dependent) and the filtering stays unknown.
 *
 * <p>The filtering tests run first, right after the first binding: a NAT lets in answers from
 * every address the socket has sent to, so they are only meaningful before the mapping tests
 * contact the server's other addresses, and only on a socket that has not sent there before.
 *
 * <p>The port allocation comes from the external ports of the successive new mappings: equal
 * steps mean sequential allocation with that step (at least three mappings, or two that are at
 * most 16 apart); so do three or more ports that climb (or fall) in small uneven gaps, the
 * counter having been advanced by other mappings in between (the step is then the gaps' greatest
 * common divisor); a first mapping that kept the local port means preserving, anything else
 * random. With endpoint-independent mapping there is only one mapping to look at: preserving if
 * it kept the local port, else unknown.
 */
public final class NatBehaviourDiscovery {
    /** Largest step between two samples accepted as sequential evidence with only two mappings. */
    static final int TWO_SAMPLE_MAX_STEP = 16;
    /** Largest gap between successive samples still read as one sequential counter other mappings also use. */
    static final int MAX_INTERLEAVED_GAP = 64;

    /**
     * What was found.
     *
     * @param hints        the classification, for the endpoint record
     * @param mapped       the reflexive address the first server saw, or null if none answered
     * @param behindNat    false when the first server saw one of the endpoint's own addresses
     * @param findings     one line per test, in plain words
     * @param bindings     every Binding transaction made, in order
     */
    public record Report(NatHints hints, InetSocketAddress mapped, boolean behindNat, List<String> findings,
            List<BindingResult> bindings) {
    }

    private final StunPort port;
    private final List<InetSocketAddress> servers;
    private final Set<InetAddress> ownAddresses;
    private final List<BindingResult> bindings = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    private NatBehaviourDiscovery(StunPort port, List<InetSocketAddress> servers, Set<InetAddress> ownAddresses) {
        this.port = port;
        this.servers = List.copyOf(servers);
        this.ownAddresses = Set.copyOf(ownAddresses);
    }

    /**
     * Runs the tests against {@code servers} (the first that answers is the primary one; the
     * others are further destinations when it names no OTHER-ADDRESS). Takes a few Binding round
     * trips, plus one transaction timeout (4.5 s) when the filtering tests get no answer (their
     * two requests run at once). Never completes exceptionally.
     *
     * @param ownAddresses the endpoint's own interface addresses (to tell "no NAT")
     */
    public static CompletableFuture<Report> discover(StunPort port, List<InetSocketAddress> servers,
            Set<InetAddress> ownAddresses) {
        return new NatBehaviourDiscovery(port, servers, ownAddresses).run();
    }

    private CompletableFuture<Report> run() {
        return firstAnswer(0).thenCompose(primary -> {
            if (primary == null) {
                findings.add("no STUN server answered");
                return CompletableFuture.completedFuture(new Report(NatHints.UNKNOWN, null, true, findings, bindings));
            }
            // filtering first: once the mapping tests have sent to the server's other addresses,
            // the NAT lets their answers in whatever its filtering
            return filtering(primary).thenCompose(filtering ->
                    sequentially(destinations(primary), 0, new ArrayList<>()).thenApply(samples -> {
                        samples.add(0, primary);
                        return report(primary, samples, filtering);
                    }));
        }).exceptionally(e -> {
            findings.add("discovery failed: " + e);
            return new Report(NatHints.UNKNOWN, null, true, findings, bindings);
        });
    }

    private CompletableFuture<BindingResult> binding(InetSocketAddress server, int flags) {
        return port.binding(server, flags).thenApply(r -> {
            synchronized (bindings) {
                bindings.add(r);
            }
            return r;
        });
    }

    private CompletableFuture<BindingResult> firstAnswer(int i) {
        if (i >= servers.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return binding(servers.get(i), 0).thenCompose(r -> r.succeeded() ? CompletableFuture.completedFuture(r)
                : firstAnswer(i + 1));
    }

    /** Where the further mapping tests go: the server's other addresses, or the other servers. */
    private List<InetSocketAddress> destinations(BindingResult primary) {
        InetSocketAddress p = primary.server();
        InetSocketAddress o = primary.otherAddress();
        List<InetSocketAddress> out = new ArrayList<>();
        if (o != null && sameFamily(o, p) && !o.getAddress().equals(p.getAddress()) && o.getPort() != p.getPort()) {
            out.add(new InetSocketAddress(o.getAddress(), p.getPort()));
            out.add(o);
            out.add(new InetSocketAddress(p.getAddress(), o.getPort()));
            return out;
        }
        for (InetSocketAddress s : servers) {
            if (!s.equals(p) && sameFamily(s, p)) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return (a.getAddress() instanceof Inet6Address) == (b.getAddress() instanceof Inet6Address);
    }

    private CompletableFuture<List<BindingResult>> sequentially(List<InetSocketAddress> destinations, int i,
            List<BindingResult> done) {
        if (i >= destinations.size()) {
            return CompletableFuture.completedFuture(done);
        }
        // one after the other: the order of new mappings is what shows sequential allocation
        return binding(destinations.get(i), 0).thenCompose(r -> {
            if (r.succeeded()) {
                done.add(r);
            }
            return sequentially(destinations, i + 1, done);
        });
    }

    private CompletableFuture<NatHints.Filtering> filtering(BindingResult primary) {
        if (primary.otherAddress() == null) {
            findings.add("filtering: not tested (the server names no OTHER-ADDRESS, so it cannot answer from elsewhere)");
            return CompletableFuture.completedFuture(NatHints.Filtering.UNKNOWN);
        }
        InetSocketAddress server = primary.server();
        // Both tests at once: each goes to the primary address, so neither opens the NAT's filter
        // for the other's answer, and a NAT that filters by port (the common case) costs one
        // transaction timeout instead of two.
        CompletableFuture<BindingResult> portOnlyTest = binding(server, StunAttributes.CHANGE_PORT);
        return binding(server, StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT).thenCompose(both -> {
            if (both.succeeded() && !changed(server, both.source(), true, true)) {
                // a server that names OTHER-ADDRESS but ignores CHANGE-REQUEST answers from where it
                // was asked, which says nothing about the filtering
                findings.add("filtering: not tested (the server answered a request to change address and port from "
                        + both.source() + ": it ignores CHANGE-REQUEST)");
                return CompletableFuture.completedFuture(NatHints.Filtering.UNKNOWN);
            }
            if (both.succeeded()) {
                findings.add("filtering: endpoint-independent (an answer from the server's other address and port "
                        + "came in)");
                return CompletableFuture.completedFuture(NatHints.Filtering.ENDPOINT_INDEPENDENT);
            }
            if (both.errorCode() != 0) {
                findings.add("filtering: not tested (the server refused CHANGE-REQUEST: " + both.failure() + ")");
                return CompletableFuture.completedFuture(NatHints.Filtering.UNKNOWN);
            }
            return portOnlyTest.thenApply(portOnly -> {
                if (portOnly.succeeded() && !changed(server, portOnly.source(), false, true)) {
                    findings.add("filtering: not tested (the server answered a request to change port from "
                            + portOnly.source() + ")");
                    return NatHints.Filtering.UNKNOWN;
                }
                if (portOnly.succeeded()) {
                    findings.add("filtering: address-dependent (an answer from the other port came in, one from the "
                            + "other address did not)");
                    return NatHints.Filtering.ADDRESS_DEPENDENT;
                }
                if (portOnly.errorCode() != 0) {
                    findings.add("filtering: not tested (" + portOnly.failure() + ")");
                    return NatHints.Filtering.UNKNOWN;
                }
                findings.add("filtering: address-and-port-dependent (answers from another address or port were "
                        + "dropped)");
                return NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT;
            });
        });
    }

    /** Whether an answer from {@code source} came from where a change request asked: another address and/or port. */
    private static boolean changed(InetSocketAddress server, InetSocketAddress source, boolean ip, boolean port) {
        boolean ipChanged = !StunAttributes.unmapped(server.getAddress()).equals(StunAttributes.unmapped(
                source.getAddress()));
        boolean portChanged = server.getPort() != source.getPort();
        return ipChanged == ip && portChanged == port;
    }

    private Report report(BindingResult primary, List<BindingResult> samples, NatHints.Filtering filtering) {
        InetSocketAddress m1 = primary.mapped();
        int localPort = primary.local().getPort();
        boolean behindNat = !(ownAddresses.contains(m1.getAddress()) && m1.getPort() == localPort);
        NatHints.Mapping mapping = behindNat ? mapping(samples) : NatHints.Mapping.ENDPOINT_INDEPENDENT;
        if (!behindNat) {
            findings.add(0, "mapping: no NAT (the server saw this machine's own address " + m1 + ")");
        }
        NatHints.PortAllocation allocation;
        int step = 0;
        Set<Integer> distinct = new LinkedHashSet<>();
        for (BindingResult r : samples) {
            distinct.add(r.mapped().getPort());
        }
        List<Integer> ports = new ArrayList<>(distinct);
        if (!behindNat) {
            allocation = NatHints.PortAllocation.PRESERVING;
        } else if (mapping == NatHints.Mapping.ENDPOINT_INDEPENDENT || ports.size() < 2) {
            allocation = m1.getPort() == localPort ? NatHints.PortAllocation.PRESERVING : NatHints.PortAllocation.UNKNOWN;
            findings.add("port allocation: " + (allocation == NatHints.PortAllocation.PRESERVING
                    ? "preserving (the mapping kept local port " + localPort + ")"
                    : "unknown (one mapping only, local port " + localPort + " became " + m1.getPort() + ")"));
        } else {
            int d = ports.get(1) - ports.get(0);
            boolean equalSteps = d != 0 && Math.abs(d) <= NatHints.MAX_PORT_STEP;
            for (int i = 2; i < ports.size() && equalSteps; i++) {
                equalSteps = ports.get(i) - ports.get(i - 1) == d;
            }
            int interleavedStep = equalSteps ? 0 : interleavedStep(ports);
            if (equalSteps && (ports.size() >= 3 || Math.abs(d) <= TWO_SAMPLE_MAX_STEP)) {
                allocation = NatHints.PortAllocation.SEQUENTIAL;
                step = d;
                findings.add("port allocation: sequential, step " + d + " (new mappings got ports " + ports + ")");
            } else if (interleavedStep != 0) {
                allocation = NatHints.PortAllocation.SEQUENTIAL;
                step = interleavedStep;
                findings.add("port allocation: sequential, step " + step + " (new mappings got ports " + ports
                        + "; the wider gaps are ports other traffic took in between)");
            } else if (ports.get(0) == localPort) {
                allocation = NatHints.PortAllocation.PRESERVING;
                findings.add("port allocation: preserving (the first mapping kept local port " + localPort
                        + "; later ones got " + ports.subList(1, ports.size()) + ")");
            } else {
                allocation = NatHints.PortAllocation.RANDOM;
                findings.add("port allocation: random (new mappings got ports " + ports + ")");
            }
        }
        // read as mapping, filtering, allocation, whatever order the tests ran in
        List<String> ordered = new ArrayList<>(findings);
        ordered.sort(java.util.Comparator.comparingInt(f -> f.startsWith("mapping") ? 0 : f.startsWith("filtering") ? 1 : 2));
        return new Report(new NatHints(mapping, filtering, allocation, step), m1, behindNat, ordered, bindings);
    }

    /**
     * The step of a sequential allocator whose counter other mappings advanced between the
     * samples (this endpoint's own probes to new destinations take ports from the same counter
     * while discovery runs): at least three ports, every gap in the same direction and at most
     * {@link #MAX_INTERLEAVED_GAP}; the step is the gaps' greatest common divisor. Zero when the
     * ports do not look like that. Random ports pass this with negligible probability: each gap
     * would have to land within 64 of the previous port, in the same direction, out of thousands.
     */
    static int interleavedStep(List<Integer> ports) {
        if (ports.size() < 3) {
            return 0;
        }
        int sign = Integer.signum(ports.get(1) - ports.get(0));
        int gcd = 0;
        for (int i = 1; i < ports.size(); i++) {
            int gap = ports.get(i) - ports.get(i - 1);
            if (gap == 0 || Integer.signum(gap) != sign || Math.abs(gap) > MAX_INTERLEAVED_GAP) {
                return 0;
            }
            int a = Math.abs(gap);
            while (a != 0) {
                int r = gcd % a;
                gcd = a;
                a = r;
            }
        }
        return sign * gcd;
    }

    private NatHints.Mapping mapping(List<BindingResult> samples) {
        boolean portMatters = false;
        boolean portIgnored = false;
        boolean addressMatters = false;
        boolean addressIgnored = false;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                BindingResult a = samples.get(i);
                BindingResult b = samples.get(j);
                boolean same = a.mapped().equals(b.mapped());
                if (a.server().getAddress().equals(b.server().getAddress())) {
                    if (a.server().getPort() != b.server().getPort()) {
                        portMatters |= !same;
                        portIgnored |= same;
                    }
                } else {
                    addressMatters |= !same;
                    addressIgnored |= same;
                }
            }
        }
        if (portMatters) {
            findings.add("mapping: address-and-port-dependent (another port of the same server got another "
                    + "mapping), a \"symmetric\" NAT");
            return NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT;
        }
        if (addressMatters) {
            if (portIgnored) {
                findings.add("mapping: address-dependent (another server address got another mapping, another "
                        + "port of the same address did not)");
                return NatHints.Mapping.ADDRESS_DEPENDENT;
            }
            findings.add("mapping: endpoint-dependent (another server address got another mapping; whether the "
                    + "port alone matters was not tested), taken as address-and-port-dependent");
            return NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT;
        }
        if (addressIgnored) {
            findings.add("mapping: endpoint-independent (every server address and port saw "
                    + samples.get(0).mapped() + ")");
            return NatHints.Mapping.ENDPOINT_INDEPENDENT;
        }
        findings.add("mapping: unknown (only one server address answered; give a server with two addresses or a "
                + "second server)");
        return NatHints.Mapping.UNKNOWN;
    }
}
