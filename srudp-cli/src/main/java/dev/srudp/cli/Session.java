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

    private IdentityStore store;
    private LocalIdentity local;

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

    /** Opens the endpoint on this identity's port. */
    Endpoint open() throws ExitCodes.Failure {
        InetSocketAddress address = bindAddress();
        EndpointConfig config = EndpointConfig.builder().bind(address).acceptPolicy(AcceptPolicy.ANYONE)
                .eventListener(verbose ? new Narrator(System.err) : EventListener.NONE).build();
        try {
            return Srudp.open(store(), identity(), config);
        } catch (BindException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "UDP port " + address.getPort() + " is in use (is another "
                    + "srudp running with this identity?); choose another with --port");
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.CONNECT, "cannot open UDP socket " + address + ": " + e.getMessage());
        }
    }

    /** This peer's signed record for the endpoint's addresses (or the default port), optionally naming where it is published. */
    byte[] signedRecord(Endpoint endpoint, URI publishedAt) throws ExitCodes.Failure {
        try {
            EndpointRecord record = LocalRecords.describe(identity(),
                    endpoint != null ? endpoint.localAddresses() : java.util.List.of(bindAddress()), Instant.now(),
                    Durations.parse(validFor, "--valid-for"));
            if (publishedAt != null) {
                record = record.toBuilder().publishedAt(publishedAt).build();
            }
            return SignedRecords.sign(identity(), record);
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.IDENTITY, "cannot build this peer's record: " + e.getMessage());
        }
    }

    /** This peer's invitation (rendezvous string) for the endpoint's addresses, or for the default port. */
    String invitation(Endpoint endpoint) throws ExitCodes.Failure {
        try {
            String text = RendezvousCodec.encode(signedRecord(endpoint, null));
            if (publish != null) {
                Path tmp = Files.createTempFile(publish.toAbsolutePath().getParent(), ".srudp-", ".tmp");
                Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, publish, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return text;
        } catch (IOException e) {
            throw new ExitCodes.Failure(ExitCodes.IDENTITY, "cannot build this peer's invitation: " + e.getMessage());
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
