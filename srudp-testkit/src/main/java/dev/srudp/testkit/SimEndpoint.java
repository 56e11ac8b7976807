package dev.srudp.testkit;

import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.PeerId;
import dev.srudp.core.connection.EndpointContext;
import dev.srudp.core.connection.EndpointCore;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A real srudp endpoint ({@link EndpointCore}) living in a {@link SimNetwork}: its keys, connection
 * IDs and timestamps all derive from a seed and the virtual clock, so a whole run repeats exactly.
 *
 * <p>Everything runs on the thread that drives the network: futures complete during
 * {@code runFor}/{@code runUntil}, and streams are used through their non-blocking calls
 * ({@code tryWrite}, {@code tryRead}).
 */
public final class SimEndpoint {
    /** The virtual wall clock starts at 2026-01-01T00:00:00Z for handshake timestamps. */
    private static final long EPOCH_OFFSET_NANOS = 1_767_225_600L * 1_000_000_000L;

    private final SimNetwork network;
    private final EndpointCore core;
    private final InetSocketAddress address;
    private final Identity identity;

    private SimEndpoint(SimNetwork network, EndpointCore core, InetSocketAddress address, Identity identity) {
        this.network = network;
        this.core = core;
        this.address = address;
        this.identity = identity;
    }

    /** Creates an endpoint at {@code address} with keys drawn from {@code seed}. */
    public static SimEndpoint create(SimNetwork network, InetSocketAddress address, EndpointConfig config, long seed) {
        SecureRandom random = seededRandom(seed);
        Identity identity = Identity.generate(random);
        return create(network, address, config, identity, seed);
    }

    /** Creates an endpoint with a given identity (a new handshake key is drawn from {@code seed}). */
    public static SimEndpoint create(SimNetwork network, InetSocketAddress address, EndpointConfig config,
            Identity identity, long seed) {
        SecureRandom random = seededRandom(seed ^ 0x5DEECE66DL);
        DhKeyPair staticKey = DhKeyPair.generate(random);
        VirtualClock clock = network.clock();
        EndpointContext ctx = new EndpointContext(identity, staticKey, config, random,
                () -> EPOCH_OFFSET_NANOS + clock.nowNanos(), Runnable::run);
        EndpointCore core = new EndpointCore(ctx, List.of(address));
        SimNode node = network.attach(core, address);
        core.setExtraSockets(new SimSockets(network, node));
        return new SimEndpoint(network, core, address, identity);
    }

    /** Extra sockets in the simulator: more addresses of the node, ports counted up from 20000. */
    private static final class SimSockets implements dev.srudp.core.net.ExtraSockets {
        private final SimNetwork network;
        private final SimNode node;
        private int nextPort = 20_000;

        SimSockets(SimNetwork network, SimNode node) {
            this.network = network;
            this.node = node;
        }

        @Override
        public List<InetSocketAddress> open(InetSocketAddress like, int count) {
            List<InetSocketAddress> opened = new java.util.ArrayList<>();
            while (opened.size() < count && nextPort <= 65_535) {
                InetSocketAddress a = new InetSocketAddress(like.getAddress(), nextPort++);
                if (!network.isOwned(a)) {
                    network.addAddress(node, a);
                    opened.add(a);
                }
            }
            return opened;
        }

        @Override
        public void close(InetSocketAddress socket) {
            if (!node.addresses().contains(socket)) {
                network.removeAddress(socket);
            }
        }
    }

    /** A deterministic {@code SecureRandom}: the same seed gives the same keys and IDs. */
    static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
        }
    }

    public EndpointCore core() {
        return core;
    }

    public InetSocketAddress address() {
        return address;
    }

    public Identity identity() {
        return identity;
    }

    public PeerId peerId() {
        return core.identity();
    }

    public CertifiedKey certifiedKey() {
        return core.certifiedKey();
    }

    /** How this endpoint is reached with Noise IK. */
    public PeerAddress addressWithKey() {
        return PeerAddress.of(address, certifiedKey());
    }

    public CompletableFuture<Connection> connect(PeerAddress peer) {
        return core.connect(peer);
    }

    public CompletableFuture<Connection> accept() {
        return core.acceptAsync();
    }

    /** Received datagrams this endpoint dropped (unauthenticated, replayed, malformed, unknown). */
    public long dropped() {
        return core.datagramsDropped();
    }

    public SimNetwork network() {
        return network;
    }
}
