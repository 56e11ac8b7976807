package dev.srudp.core;

import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.PeerId;
import dev.srudp.SrudpException;
import dev.srudp.core.connection.EndpointContext;
import dev.srudp.core.connection.EndpointCore;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.net.DelayingEngine;
import dev.srudp.core.net.Engine;
import dev.srudp.core.net.UdpLoop;
import dev.srudp.PartnerLink;
import dev.srudp.core.discovery.PartnerFollower;
import dev.srudp.core.punch.Puncher;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.RecordVerifier;
import dev.srudp.core.record.SequenceStore;
import dev.srudp.spi.PeerDirectories;
import dev.srudp.spi.PeerDirectoryProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An endpoint on real UDP sockets: an {@link EndpointCore} driven by a {@link UdpLoop}. */
final class UdpEndpoint implements Endpoint, dev.srudp.core.stun.StunPort {
    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final UdpLoop loop;
    private final EndpointCore core;
    private final ExecutorService callbacks;
    private final EndpointConfig config;
    private final SequenceStore sequences;
    private final List<PartnerFollower> followers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    UdpEndpoint(Identity identity, DhKeyPair staticKey, EndpointConfig config, SecureRandom random,
            SequenceStore sequences) throws IOException {
        this.config = config;
        this.sequences = sequences;
        // the first punch and handshake should not wait for cold cryptographic code
        dev.srudp.core.crypto.WarmUp.startOnce();
        int n = COUNTER.incrementAndGet();
        this.loop = openLoop(config.bindAddresses());
        this.callbacks = Executors.newCachedThreadPool(daemonThreads("srudp-callbacks-" + n));
        EndpointContext ctx = new EndpointContext(identity, staticKey, config, random,
                UdpEndpoint::epochNanos, callbacks);
        this.core = new EndpointCore(ctx, loop.localAddresses());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("srudp-directory-" + n));
        core.setAcceptInterceptor(this::claimForFollower);
        core.setExtraSockets(loop.extraSockets());
        Engine engine = config.emulatedDelay().isZero() ? core
                : new DelayingEngine(core, config.emulatedDelay().toNanos());
        loop.start(engine, "srudp-loop-" + n, core::failAll);
        if (!config.stunServers().isEmpty()) {
            core.gather();
        }
    }

    /**
     * Binds the sockets, a socket asked for on the IPv4 wildcard as one dual-stack socket on
     * {@code ::} (IPv4 and IPv6 on one port) where the system allows it.
     */
    private static UdpLoop openLoop(List<InetSocketAddress> bind) throws IOException {
        List<InetSocketAddress> dual = new java.util.ArrayList<>();
        boolean changed = false;
        for (InetSocketAddress a : bind) {
            if (a.getAddress() instanceof java.net.Inet4Address && a.getAddress().isAnyLocalAddress()) {
                dual.add(new InetSocketAddress(java.net.Inet6Address.getByAddress(new byte[16]), a.getPort()));
                changed = true;
            } else {
                dual.add(a);
            }
        }
        if (changed) {
            try {
                return new UdpLoop(dual);
            } catch (IOException | UnsupportedOperationException e) {
                log.debug("no dual-stack socket ({}); binding IPv4 only", e.toString());
            }
        }
        return new UdpLoop(bind);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger i = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + i.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public PeerId identity() {
        return core.identity();
    }

    @Override
    public CertifiedKey certifiedKey() {
        return core.certifiedKey();
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        return core.localAddresses();
    }

    @Override
    public List<InetSocketAddress> reflexiveAddresses() {
        return core.reflexiveAddresses();
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> refreshReflexiveAddresses() {
        return core.gather().thenApply(results -> core.reflexiveAddresses());
    }

    @Override
    public void addAddressListener(Runnable listener) {
        core.addAddressListener(listener);
    }

    @Override
    public CompletableFuture<dev.srudp.core.stun.BindingResult> binding(InetSocketAddress server, int changeFlags) {
        return core.binding(server, changeFlags);
    }

    @Override
    public CompletableFuture<List<dev.srudp.core.stun.BindingResult>> gather() {
        return core.gather();
    }

    @Override
    public void setLocalNatHints(dev.srudp.core.record.NatHints hints) {
        core.setLocalNatHints(hints);
    }

    @Override
    public Connection connect(PeerAddress peer) throws IOException, InterruptedException {
        return await(connectAsync(peer));
    }

    @Override
    public CompletableFuture<Connection> connectAsync(PeerAddress peer) {
        return core.connect(peer);
    }

    @Override
    public Duration handshakeTimeout() {
        return config.handshakeTimeout();
    }

    @Override
    public PartnerLink follow(URI partner, Map<String, String> directorySettings) throws IOException {
        PeerDirectoryProvider provider = PeerDirectories.load(UdpEndpoint.class.getClassLoader(),
                problem -> log.warn("{}", problem)).forUri(partner).orElseThrow(() -> new IllegalArgumentException(
                        "no peer directory serves '" + partner.getScheme() + ":' addresses; put a provider such as "
                                + "srudp-discovery-manual (srudp:, file:) on the class path"));
        PartnerFollower follower = new PartnerFollower(partner, provider.create(directorySettings),
                new RecordVerifier(Clock.systemUTC(), sequences),
                new PartnerFollower.Reach() {
                    @Override
                    public CompletableFuture<Connection> reach(EndpointRecord record) {
                        return core.punch(record.certifiedKey(), record.candidates(), record.natHints(),
                                Puncher.DEFAULT_TIMEOUT);
                    }

                    @Override
                    public void refresh(EndpointRecord record) {
                        // joins the running attempt, which takes up the new hints (Puncher.start)
                        core.punch(record.certifiedKey(), record.candidates(), record.natHints(),
                                Puncher.DEFAULT_TIMEOUT);
                    }

                    @Override
                    public CompletableFuture<String> progress(EndpointRecord record) {
                        return core.punchProgress(record.certifiedKey());
                    }
                },
                scheduler, id -> core.claimAccepted(c -> id.equals(c.peer())));
        followers.add(follower);
        follower.start();
        return follower;
    }

    /** On the loop: a connection from a followed partner goes to its follower, not to accept(). */
    private boolean claimForFollower(Connection c) {
        for (PartnerFollower f : followers) {
            if (f.follows(c.peer())) {
                callbacks.execute(() -> f.offerIncoming(c));
                return true;
            }
        }
        return false;
    }

    @Override
    public Connection accept() throws IOException, InterruptedException {
        return core.accept();
    }

    @Override
    public CompletableFuture<Connection> acceptAsync() {
        return core.acceptAsync();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PartnerFollower f : followers) {
            f.close();
        }
        scheduler.shutdownNow();
        core.close();
        // the loop sends the CONNECTION_CLOSE frames in the same turn that runs this barrier, and
        // finishes that turn before it stops
        try {
            core.barrier().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the loop is gone or stuck: close the sockets regardless
        }
        awaitHeldDatagrams();
        loop.close();
        callbacks.shutdown();
    }

    /** With an emulated delay, the close frames are still held: they leave within one delay. */
    private void awaitHeldDatagrams() {
        long millis = config.emulatedDelay().toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SrudpException s) {
                throw s;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            future.cancel(false);
            throw e;
        }
    }
}
