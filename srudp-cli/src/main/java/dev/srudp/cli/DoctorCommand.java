package dev.srudp.cli;

import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.core.Srudp;
import dev.srudp.core.discovery.LocalRecords;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.stun.BindingResult;
import dev.srudp.core.stun.NatBehaviourDiscovery;
import dev.srudp.core.stun.StunPort;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code srudp doctor}: what this machine's network lets srudp do. Asks the STUN servers from one
 * UDP socket and reports local addresses, reflexive addresses, whether outgoing UDP and IPv6
 * work, the NAT's mapping as far as the servers can tell, and what that means for reaching
 * partners.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what this network lets srudp do: local and public addresses, outgoing UDP, IPv6,",
            "and the kind of NAT in front of this machine, with what that means for reaching partners.",
            "Exit code 0 when a STUN server answered, 5 when none did (UDP may be blocked)."})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--stun", paramLabel = "HOST:PORT[,...]",
            description = "STUN servers to ask (default: " + StunServers.PUBLIC + ").")
    String stun;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Local address to bind (default: all addresses).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "Local UDP port (default: one chosen by the system).")
    int port;

    @Option(names = {"-v", "--verbose"},
            description = "Also list every Binding transaction of the NAT behaviour tests (RFC 5780).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    int run(PrintStream out) throws Exception {
        List<StunServers.Server> named = StunServers.resolve(StunServers.effective(stun), out);
        List<Target> targets = targets(named);
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(bind == null ? null : InetAddress.getByName(bind), port);
        } catch (UnknownHostException e) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, "cannot use --bind " + bind + ": unknown address");
        }
        EndpointConfig config = EndpointConfig.builder().bind(address).build();
        try (Endpoint endpoint = open(config)) {
            InetSocketAddress socket = endpoint.localAddresses().get(0);
            out.println("Local socket: " + socket);
            out.println("Local addresses:");
            List<Candidate> hosts = LocalRecords.hostCandidates(endpoint.localAddresses(), true);
            for (Candidate c : hosts) {
                out.println("  " + c.address().getAddress().getHostAddress() + "  " + describe(c.address().getAddress()));
            }
            if (targets.isEmpty() && !named.isEmpty()) {
                out.println("STUN servers: none of " + named.size() + " could be resolved; is DNS working here?");
                return ExitCodes.CONNECT;
            }
            if (targets.isEmpty()) {
                out.println("STUN servers: none given (--stun), so nothing beyond this machine can be checked.");
                return ExitCodes.OK;
            }
            StunPort stunPort = (StunPort) endpoint;
            List<CompletableFuture<BindingResult>> pending = new ArrayList<>();
            for (Target t : targets) {
                pending.add(stunPort.binding(t.address(), 0));
            }
            out.println("STUN servers:");
            List<BindingResult> results = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                BindingResult r = pending.get(i).get(30, TimeUnit.SECONDS);
                results.add(r);
                Target t = targets.get(i);
                String label = t.name() + (t.name().equals(t.address().toString()) ? "" : " (" + hostPort(t.address()) + ")");
                out.println("  " + label + ": " + (r.succeeded() ? "you are " + hostPort(r.mapped()) + " ("
                        + r.rttNanos() / 1_000_000 + " ms)" : r.failure()));
            }
            for (StunServers.Server s : named) {
                if (s.address() == null) {
                    out.println("  " + s.name() + ": cannot be resolved");
                }
            }
            Report report = Report.of(results, hosts, socket.getPort());
            report.print(out);
            if (report.udpWorks) {
                behaviour(stunPort, targets, hosts, verbose, out);
            }
            return report.udpWorks ? ExitCodes.OK : ExitCodes.CONNECT;
        }
    }

    /** RFC 5780 NAT behaviour discovery over the IPv4 servers, and what it means. */
    private static void behaviour(StunPort stunPort, List<Target> targets, List<Candidate> hosts, boolean verbose,
            PrintStream out) throws Exception {
        List<InetSocketAddress> v4 = new ArrayList<>();
        for (Target t : targets) {
            if (t.address().getAddress() instanceof Inet4Address) {
                v4.add(t.address());
            }
        }
        if (v4.isEmpty()) {
            return;
        }
        Set<InetAddress> own = new LinkedHashSet<>();
        for (Candidate c : hosts) {
            own.add(c.address().getAddress());
        }
        NatBehaviourDiscovery.Report r = NatBehaviourDiscovery.discover(stunPort, v4, own).get(60, TimeUnit.SECONDS);
        out.println("NAT behaviour (RFC 5780 tests):");
        if (verbose) {
            for (BindingResult b : r.bindings()) {
                out.println("  binding to " + hostPort(b.server()) + changeRequest(b.changeFlags()) + ": "
                        + (b.succeeded() ? "mapped " + hostPort(b.mapped()) + ", answered from " + hostPort(b.source())
                        : b.failure()));
            }
        }
        for (String f : r.findings()) {
            out.println("  " + f);
        }
        NatHints h = r.hints();
        out.println("  published in this peer's record as: mapping " + h.mapping() + ", filtering " + h.filtering()
                + ", port allocation " + h.portAllocation() + (h.portStep() != 0 ? " (step " + h.portStep() + ")" : ""));
        String advice = r.behindNat() ? advice(h) : h.filtering() == NatHints.Filtering.ENDPOINT_INDEPENDENT
                ? "No NAT and no filtering firewall: any partner that can send UDP reaches this machine directly."
                : "No NAT, but a firewall that lets in only answers: partners get through it by hole punching.";
        if (advice != null) {
            out.println("  " + advice);
        }
    }

    private static String changeRequest(int flags) {
        boolean ip = (flags & dev.srudp.core.stun.StunAttributes.CHANGE_IP) != 0;
        boolean port = (flags & dev.srudp.core.stun.StunAttributes.CHANGE_PORT) != 0;
        return ip && port ? " (change address and port)" : ip ? " (change address)" : port ? " (change port)" : "";
    }

    /** What the classification means for reaching partners, or null if it adds nothing. */
    static String advice(NatHints h) {
        if (h.mapping() == NatHints.Mapping.ENDPOINT_INDEPENDENT) {
            return switch (h.filtering()) {
                case ENDPOINT_INDEPENDENT -> "A full-cone NAT: any partner that can send UDP reaches this machine directly.";
                case ADDRESS_DEPENDENT -> "An address-restricted cone NAT: every partner that can send UDP, symmetric "
                        + "NATs included, can be reached directly by hole punching.";
                case ADDRESS_AND_PORT_DEPENDENT -> "A port-restricted cone NAT: partners with cone NATs are reached "
                        + "directly; partners behind symmetric NATs need port prediction (sequential ports) or the "
                        + "birthday technique (random ports), or a gate or relay.";
                default -> null;
            };
        }
        if (h.mapping() == NatHints.Mapping.UNKNOWN) {
            return null;
        }
        return switch (h.portAllocation()) {
            case SEQUENTIAL -> "A symmetric NAT with sequential ports: partners predict the next ports (step "
                    + h.portStep() + "), so partners with cone NATs and with sequential symmetric NATs are reached "
                    + "directly.";
            case RANDOM -> "A symmetric NAT with random ports: partners with full-cone or address-restricted NATs are "
                    + "reached directly, port-restricted ones only by the birthday technique (many probes); a partner "
                    + "that is symmetric with random ports too needs a gate or relay.";
            default -> "A symmetric NAT: partners with full-cone or address-restricted NATs are reached directly; "
                    + "others need port prediction, the birthday technique, or a gate or relay.";
        };
    }

    private static Endpoint open(EndpointConfig config) throws ExitCodes.Failure {
        try {
            return Srudp.open(config);
        } catch (BindException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "UDP port " + config.bindAddresses().get(0).getPort()
                    + " is in use; choose another with --port");
        } catch (java.io.IOException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "cannot open a UDP socket: " + e.getMessage());
        }
    }

    record Target(String name, InetSocketAddress address) {
    }

    /** Each named server once per address family it has (a name with IPv4 and IPv6 addresses tests both). */
    static List<Target> targets(List<StunServers.Server> named) {
        List<Target> out = new ArrayList<>();
        Set<InetSocketAddress> seen = new LinkedHashSet<>();
        for (StunServers.Server s : named) {
            if (s.address() == null) {
                continue;
            }
            List<InetAddress> addresses = new ArrayList<>(List.of(s.address().getAddress()));
            String host = s.name().startsWith("[") ? null : s.name().substring(0, Math.max(0, s.name().lastIndexOf(':')));
            if (host != null && !host.isEmpty()) {
                try {
                    addresses.addAll(List.of(InetAddress.getAllByName(host)));
                } catch (UnknownHostException e) {
                    // the first resolution worked; keep it
                }
            }
            boolean v4 = false;
            boolean v6 = false;
            for (InetAddress a : addresses) {
                boolean isV6 = a instanceof Inet6Address;
                if (isV6 ? v6 : v4) {
                    continue;
                }
                InetSocketAddress target = new InetSocketAddress(a, s.address().getPort());
                if (seen.add(target)) {
                    out.add(new Target(s.name(), target));
                }
                v4 |= !isV6;
                v6 |= isV6;
            }
        }
        return out;
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static String describe(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.isLoopbackAddress() ? "IPv4 loopback" : a.isLinkLocalAddress() ? "IPv4 link-local"
                    : a.isSiteLocalAddress() || isSharedAddressSpace(a) ? "IPv4 private" : "IPv4 public";
        }
        byte first = a.getAddress()[0];
        return a.isLoopbackAddress() ? "IPv6 loopback" : a.isLinkLocalAddress() ? "IPv6 link-local"
                : (first & 0xfe) == 0xfc ? "IPv6 unique-local" : "IPv6 global";
    }

    /** 100.64.0.0/10, the carrier-grade NAT range of RFC 6598. */
    static boolean isSharedAddressSpace(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** What the answers say, in plain words. */
    static final class Report {
        boolean udpWorks;
        String ipv6;
        String mapping;
        String port;
        String meaning;

        static Report of(List<BindingResult> results, List<Candidate> hosts, int localPort) {
            Report r = new Report();
            List<BindingResult> v4 = new ArrayList<>();
            boolean v6Asked = false;
            boolean v6Answered = false;
            for (BindingResult b : results) {
                boolean isV6 = b.server().getAddress() instanceof Inet6Address;
                v6Asked |= isV6;
                if (b.succeeded()) {
                    r.udpWorks = true;
                    v6Answered |= isV6;
                    if (!isV6) {
                        v4.add(b);
                    }
                }
            }
            boolean hasV6Address = hosts.stream().anyMatch(c -> c.address().getAddress() instanceof Inet6Address
                    && !c.address().getAddress().isLoopbackAddress() && !c.address().getAddress().isLinkLocalAddress());
            r.ipv6 = v6Answered ? "works (an IPv6 STUN server answered)"
                    : !hasV6Address ? "not available (this machine has no routable IPv6 address)"
                    : v6Asked ? "does not work (no IPv6 STUN server answered)"
                    : "not checked (no STUN server with an IPv6 address was given)";
            Set<InetSocketAddress> mapped = new LinkedHashSet<>();
            Set<InetAddress> servers = new LinkedHashSet<>();
            for (BindingResult b : v4) {
                mapped.add(b.mapped());
                servers.add(b.server().getAddress());
            }
            boolean publicAddress = v4.stream().anyMatch(b -> hosts.stream().anyMatch(
                    c -> c.address().getAddress().equals(b.mapped().getAddress())));
            if (!r.udpWorks) {
                r.mapping = "unknown";
                r.meaning = "No STUN server answered: outgoing UDP seems blocked on this network (or the servers are "
                        + "down). Direct connections will not work from here; a gate or a WebSocket relay is needed "
                        + "(see docs/troubleshooting.md).";
                return r;
            }
            if (v4.isEmpty()) {
                r.mapping = "unknown (no IPv4 server answered)";
                r.meaning = "Only IPv6 answered: partners with IPv6 can be reached directly, through their firewalls "
                        + "by hole punching.";
                return r;
            }
            int anyPort = v4.get(0).mapped().getPort();
            r.port = anyPort == localPort ? "preserved (public port " + anyPort + " = local port)"
                    : "not preserved (local port " + localPort + ", public port " + anyPort + ")";
            if (publicAddress) {
                r.mapping = "no NAT: this machine's own address is public";
                r.meaning = "Partners can reach this machine directly; a firewall that drops unsolicited packets is "
                        + "crossed by hole punching.";
            } else if (mapped.size() > 1) {
                r.mapping = "endpoint-dependent: servers saw different public ports (" + mapped + "), a \"symmetric\" NAT";
                r.meaning = "Partners with no NAT or a full-cone or address-restricted NAT can be reached directly. "
                        + "Partners behind port-restricted or symmetric NATs need the symmetric-NAT techniques (port "
                        + "prediction, many probes), or a gate or relay.";
            } else if (servers.size() > 1) {
                r.mapping = "endpoint-independent: " + servers.size() + " servers saw the same public address "
                        + mapped.iterator().next() + ", a \"cone\" NAT";
                r.meaning = "Partners with no NAT or any cone NAT (full, address-restricted, port-restricted) can be "
                        + "reached directly by hole punching; partners behind symmetric NATs usually too, unless this "
                        + "NAT filters by port as well. Two symmetric NATs need more (a gate or relay).";
            } else {
                r.mapping = "cannot tell with one server (give two with --stun): public address " + mapped.iterator().next();
                r.meaning = "This machine is behind a NAT. Partners with no NAT or a cone NAT can most likely be "
                        + "reached directly; ask two STUN servers to learn whether this NAT is symmetric.";
            }
            return r;
        }

        void print(PrintStream out) {
            out.println("Outgoing UDP: " + (udpWorks ? "works (a STUN server answered)" : "no answer from any STUN server"));
            out.println("IPv6: " + ipv6);
            out.println("NAT mapping: " + mapping);
            if (port != null) {
                out.println("Port: " + port);
            }
            out.println("What this means: " + meaning);
        }
    }
}
