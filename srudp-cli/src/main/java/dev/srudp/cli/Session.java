package dev.srudp.cli;

import dev.srudp.AcceptPolicy;
import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.EventListener;
import dev.srudp.PartnerLink;
import dev.srudp.PeerId;
import dev.srudp.core.Srudp;
import dev.srudp.core.discovery.LocalRecords;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.IdentityStore;
import dev.srudp.core.record.LocalIdentity;
import dev.srudp.core.record.SignedRecords;
import dev.srudp.discovery.manual.RendezvousCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.stun.NatBehaviourDiscovery;
import dev.srudp.core.stun.StunPort;
import picocli.CommandLine.Option;

/** Options every networked command shares, and what they set up: identity, endpoint, partner. */
final class Session {

    @Option(names = "--home", paramLabel = "DIR",
            description = "Where the identity lives (default: $SRUDP_HOME or ~/.srudp).")
    Path home;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Local address to bind (default: all addresses).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Local UDP port (default: the identity's own port, so its invitation stays valid).")
    Integer port;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long to keep trying to reach the partner, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long this peer's invitation stays valid (default: ${DEFAULT-VALUE}).")
    String validFor;

    @Option(names = "--publish", paramLabel = "FILE",
            description = "Also write this peer's invitation to FILE (for example in a folder shared with the partner).")
    Path publish;

    @Option(names = {"-v", "--verbose"}, description = "Print what the endpoint does.")
    boolean verbose;

    @Option(names = "--setting", paramLabel = "KEY=VALUE",
            description = "A peer directory setting, for example gateway=http://127.0.0.1:18888 for autonomi: "
                    + "(see docs/discovery-autonomi.md). Repeatable.")
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--emulate-delay", paramLabel = "DURATION", hidden = true,
            description = "Testing aid: hold every outgoing datagram this long, e.g. 25ms (see docs/nat-lab.md).")
    String emulateDelay;

    @Option(names = "--stun", paramLabel = "HOST:PORT[,...]|none",
            description = "STUN servers that tell this peer its public address, or none (default: "
                    + StunServers.PUBLIC + ").")
    String stun;

    /** How long a command waits for the first STUN answers before it writes this peer's record. */
    static final Duration FIRST_GATHERING_WAIT = Duration.ofSeconds(6);

    private IdentityStore store;
    private LocalIdentity local;
    private List<StunServers.Server> stunServers;
    private volatile NatHints natHints = NatHints.UNKNOWN;

    IdentityStore store() {
        if (store == null) {
            store = IdentityStore.open(home != null ? home : IdentityStore.defaultHome());
        }
        return store;
    }

    LocalIdentity identity() throws ExitCodes.Failure {
        if (local == null) {
            try {
                local = store().loadOrCreate();
            } catch (IOException e) {
                throw new ExitCodes.Failure(ExitCodes.IDENTITY, e.getMessage(), e);
            }
        }
        return local;
    }

    InetSocketAddress bindAddress() throws ExitCodes.Failure {
        int p = port != null ? port : identity().defaultPort();
        if (bind == null) {
            return new InetSocketAddress(p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(bind), p);
        } catch (UnknownHostException e) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, "cannot use --bind " + bind + ": unknown address");
        }
    }

    /** The STUN servers of {@code --stun} or the default, resolved once (unresolvable ones reported). */
    List<StunServers.Server> stunServers() throws ExitCodes.Failure {
        if (stunServers == null) {
            stunServers = StunServers.resolve(StunServers.effective(stun), System.err);
        }
        return stunServers;
    }

    /**
     * Opens the endpoint on this identity's port, asking the STUN servers for its reflexive
     * addresses; with {@code --publish}, writes this peer's invitation there once the first
     * answers are in, and again whenever the addresses change.
     */
    Endpoint open() throws ExitCodes.Failure {
        List<InetSocketAddress> servers = StunServers.addresses(stunServers());
        Endpoint endpoint = open(bindAddress(), servers);
        try {
            describeAndPublish(endpoint, servers);
        } catch (ExitCodes.Failure | RuntimeException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    /**
     * Starts NAT behaviour discovery against {@code servers} and, with {@code --publish}, writes
     * the invitation once the first STUN answers are in and again whenever the reflexive
     * addresses or the NAT hints change.
     */
    void describeAndPublish(Endpoint endpoint, List<InetSocketAddress> servers) throws ExitCodes.Failure {
        if (!servers.isEmpty()) {
            if (verbose) {
                endpoint.addAddressListener(() -> System.err.println("srudp: public addresses (STUN): "
                        + endpoint.reflexiveAddresses()));
            }
        }
        java.util.concurrent.CompletableFuture<Void> discovery = servers.isEmpty()
                ? java.util.concurrent.CompletableFuture.completedFuture(null) : discoverNat(endpoint, servers);
        if (publish != null) {
            long deadline = System.nanoTime() + FIRST_GATHERING_WAIT.toNanos();
            awaitFirstGathering(endpoint);
            // the first record carries the NAT hints when discovery finishes in time: a partner
            // behind a symmetric NAT needs them to choose how to punch
            awaitQuietly(discovery, deadline - System.nanoTime());
            writePublished(invitation(endpoint));
            endpoint.addAddressListener(() -> republish(endpoint));
        }
    }

    private void republish(Endpoint endpoint) {
        try {
            writePublished(invitation(endpoint));
            if (verbose) {
                System.err.println("srudp: this peer's record changed (reflexive addresses "
                        + endpoint.reflexiveAddresses() + ", " + natHints + "); rewrote " + publish);
            }
        } catch (ExitCodes.Failure e) {
            System.err.println("srudp: " + e.getMessage());
        }
    }

    /** Waits (a few seconds at most) for the first answers of the STUN servers. */
    static void awaitFirstGathering(Endpoint endpoint) {
        try {
            endpoint.refreshReflexiveAddresses().get(FIRST_GATHERING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the record goes out with what is known; a later answer republishes it
        }
    }

    private static void awaitQuietly(java.util.concurrent.CompletableFuture<?> f, long nanos) {
        try {
            f.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // published without hints; they are added when discovery finishes
        }
    }

    /**
     * Classifies this peer's NAT (RFC 5780) in the background; the result goes into the record,
     * which is republished when it is known.
     */
    private java.util.concurrent.CompletableFuture<Void> discoverNat(Endpoint endpoint, List<InetSocketAddress> servers) {
        java.util.concurrent.CompletableFuture<Void> none = java.util.concurrent.CompletableFuture.completedFuture(null);
        if (!(endpoint instanceof StunPort port)) {
            return none;
        }
        java.util.Set<java.net.InetAddress> own = new java.util.HashSet<>();
        try {
            for (dev.srudp.core.record.Candidate c : LocalRecords.hostCandidates(endpoint.localAddresses(), true)) {
                own.add(c.address().getAddress());
            }
        } catch (IOException e) {
            return none;
        }
        return NatBehaviourDiscovery.discover(port, servers, own).thenAccept(report -> {
            natHints = report.hints();
            port.setLocalNatHints(report.hints());
            if (verbose) {
                System.err.println("srudp: NAT behaviour: " + String.join("; ", report.findings()));
            }
            if (publish != null && !report.hints().equals(NatHints.UNKNOWN)) {
                republish(endpoint);
            }
        });
    }

    Endpoint open(InetSocketAddress address, List<InetSocketAddress> servers) throws ExitCodes.Failure {
        EndpointConfig.Builder builder = EndpointConfig.builder().bind(address).acceptPolicy(AcceptPolicy.ANYONE)
                .stunServers(servers).eventListener(verbose ? new Narrator(System.err) : EventListener.NONE);
        if (emulateDelay != null) {
            Duration delay = Durations.parse(emulateDelay, "--emulate-delay");
            if (delay.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new ExitCodes.Failure(ExitCodes.USAGE, "--emulate-delay " + emulateDelay + " is longer than 10s");
            }
            builder.emulatedDelay(delay);
        }
        EndpointConfig config = builder.build();
        try {
            return Srudp.open(store(), identity(), config);
        } catch (BindException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "UDP port " + address.getPort() + " is in use (is another "
                    + "srudp running with this identity?); choose another with --port");
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "cannot open UDP socket " + address + ": " + e.getMessage());
        }
    }

    /**
     * This peer's signed record for the endpoint's addresses and reflexive addresses, optionally
     * naming where it is published. Without an endpoint (the invite and publish commands), the
     * identity's port is opened for a moment to ask the STUN servers; if it is busy (srudp runs
     * with this identity already), the record lists host addresses only.
     */
    byte[] signedRecord(Endpoint endpoint, URI publishedAt) throws ExitCodes.Failure {
        try {
            List<InetSocketAddress> bound;
            List<InetSocketAddress> reflexive;
            if (endpoint != null) {
                bound = endpoint.localAddresses();
                reflexive = endpoint.reflexiveAddresses();
            } else {
                bound = List.of(bindAddress());
                reflexive = briefReflexive(bindAddress());
            }
            EndpointRecord record = LocalRecords.describe(identity(), LocalRecords.candidates(bound, reflexive, false),
                    natHints, Instant.now(), Durations.parse(validFor, "--valid-for"));
            if (publishedAt != null) {
                record = record.toBuilder().publishedAt(publishedAt).build();
            }
            return SignedRecords.sign(identity(), record);
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.IDENTITY, "cannot build this peer's record: " + e.getMessage());
        }
    }

    private List<InetSocketAddress> briefReflexive(InetSocketAddress address) throws ExitCodes.Failure {
        List<InetSocketAddress> servers = StunServers.addresses(stunServers());
        if (servers.isEmpty()) {
            return List.of();
        }
        Endpoint brief;
        try {
            brief = open(address, servers);
        } catch (ExitCodes.Failure e) {
            return List.of();
        }
        try (brief) {
            awaitFirstGathering(brief);
            return brief.reflexiveAddresses();
        }
    }

    /** This peer's invitation (rendezvous string) for the endpoint's addresses, or for the default port. */
    String invitation(Endpoint endpoint) throws ExitCodes.Failure {
        return RendezvousCodec.encode(signedRecord(endpoint, null));
    }

    /** Writes {@code invitation} to the {@code --publish} file, atomically. */
    synchronized void writePublished(String invitation) throws ExitCodes.Failure {
        try {
            Path tmp = Files.createTempFile(publish.toAbsolutePath().getParent(), ".srudp-", ".tmp");
            Files.writeString(tmp, invitation + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, publish, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.IDENTITY, "cannot write this peer's invitation to " + publish + ": "
                    + e.getMessage());
        }
    }

    /** Turns what the user typed (a string, srudp: URI, file path or URI) into a directory address. */
    static URI partnerUri(String partner) throws ExitCodes.Failure {
        String p = partner.trim();
        if (p.startsWith(RendezvousCodec.PREFIX)) {
            return URI.create("srudp:" + p);
        }
        if (p.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.+") && !p.matches("^[a-zA-Z]:\\\\.*")) {
            try {
                return URI.create(p);
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.Failure(ExitCodes.PARTNER, "not a valid partner address: " + e.getMessage());
            }
        }
        Path file = Path.of(p);
        if (Files.exists(file) || file.getParent() != null) {
            return file.toAbsolutePath().toUri();
        }
        throw new ExitCodes.Failure(ExitCodes.PARTNER, "'" + partner + "' is neither an invitation (it starts with "
                + RendezvousCodec.PREFIX + "), nor a file, nor a directory address");
    }

    /** Follows the partner until a connection is up. */
    Connection reach(Endpoint endpoint, String partner, PrintStream err) throws Exception {
        URI uri = partnerUri(partner);
        if ("srudp".equals(uri.getScheme())) {
            checkInvitation(uri.getSchemeSpecificPart());
        }
        PartnerLink link;
        try {
            link = endpoint.follow(uri, settings);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.Failure(ExitCodes.PARTNER, e.getMessage());
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.PARTNER, "cannot use the peer directory for " + uri.getScheme()
                    + ": addresses: " + e.getMessage() + directoryHint(uri));
        }
        Duration limit = Durations.parse(timeout, "--timeout");
        err.println("srudp: reaching the partner (up to " + Durations.format(limit) + ")...");
        try {
            Connection c = link.awaitConnection(limit);
            PeerId peer = c.peer();
            err.println("srudp: connected to " + dev.srudp.core.record.Fingerprint.of(peer) + " ("
                    + c.stats().remoteAddress() + ")");
            return c;
        } catch (dev.srudp.ConnectionTimeoutException e) {
            String m = e.getMessage();
            int code = m.contains("refused") || m.contains("no record") ? ExitCodes.PARTNER : ExitCodes.CONNECT;
            throw new ExitCodes.Failure(code, m);
        }
    }

    static String directoryHint(URI uri) {
        return "autonomi".equals(uri.getScheme())
                ? " (is an Autonomi gateway running there? choose it with --setting gateway=URL; see "
                        + "docs/discovery-autonomi.md)"
                : "";
    }

    /** An invitation typed by hand is checked at once: a typo or an expired string is reported now. */
    private static void checkInvitation(String text) throws ExitCodes.Failure {
        byte[] envelope;
        try {
            envelope = RendezvousCodec.decode(text);
        } catch (dev.srudp.discovery.manual.RendezvousFormatException e) {
            throw new ExitCodes.Failure(ExitCodes.PARTNER, "the partner's invitation is not valid: " + e.getMessage());
        }
        dev.srudp.core.record.RecordCheck check = new dev.srudp.core.record.RecordVerifier(java.time.Clock.systemUTC(),
                dev.srudp.core.record.SequenceStore.inMemory()).check(envelope);
        if (!check.isAccepted()) {
            throw new ExitCodes.Failure(ExitCodes.PARTNER, "the partner's invitation is refused: " + check.message());
        }
    }

    /** Prints endpoint events for --verbose. */
    static final class Narrator implements EventListener {
        private final PrintStream out;

        Narrator(PrintStream out) {
            this.out = out;
        }

        @Override
        public void handshakeStarted(InetSocketAddress remote, boolean initiator) {
            out.println("srudp: handshake " + (initiator ? "to " : "from ") + remote);
        }

        @Override
        public void handshakeCompleted(PeerId peer, InetSocketAddress remote, boolean initiator) {
            out.println("srudp: authenticated " + peer + " at " + remote);
        }

        @Override
        public void handshakeFailed(InetSocketAddress remote, String reason) {
            out.println("srudp: handshake with " + remote + " failed: " + reason);
        }

        @Override
        public void connectionClosed(PeerId peer, long errorCode, String reason, boolean byPeer) {
            out.println("srudp: connection closed " + (byPeer ? "by the partner" : "here") + ": " + reason);
        }

        @Override
        public void pathChanged(PeerId peer, InetSocketAddress oldRemote, InetSocketAddress newRemote) {
            out.println("srudp: the partner moved from " + oldRemote + " to " + newRemote);
        }

        // the punch lines are parsed by the NAT lab's harness: keep their shape (docs/cli.md)
        @Override
        public void punchStarted(PeerId peer, int candidatePairs) {
            out.println("srudp: punching " + dev.srudp.core.record.Fingerprint.of(peer) + ": " + candidatePairs
                    + " candidate pairs");
        }

        @Override
        public void punchSucceeded(PeerId peer, InetSocketAddress local, InetSocketAddress remote, String pairKind,
                long elapsedMillis, int probesSent) {
            out.println("srudp: direct path " + text(local) + " -> " + text(remote) + " (" + pairKind + ") after "
                    + elapsedMillis + " ms, " + probesSent + " probes");
        }

        /** host:port, with brackets around an IPv6 address and no resolver lookup. */
        static String text(InetSocketAddress a) {
            String host = a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }

        @Override
        public void punchFailed(PeerId peer, String reason, long elapsedMillis, int probesSent) {
            out.println("srudp: punching " + dev.srudp.core.record.Fingerprint.of(peer) + " failed after "
                    + elapsedMillis + " ms, " + probesSent + " probes: " + reason);
        }
    }
}
