package dev.srudp.core.connection;

import dev.srudp.AuthenticationException;
import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.ConnectionClosedException;
import dev.srudp.ErrorCodes;
import dev.srudp.PeerAddress;
import dev.srudp.PeerId;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.HandshakeException;
import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.NoiseHandshake;
import dev.srudp.core.crypto.NoisePattern;
import dev.srudp.core.crypto.StaticKeyCertificate;
import dev.srudp.core.crypto.Tai64n;
import dev.srudp.core.net.Engine;
import dev.srudp.core.stun.BindingResult;
import dev.srudp.core.stun.StunAgent;
import dev.srudp.core.stun.StunResponder;
import dev.srudp.core.net.ExtraSockets;
import dev.srudp.core.punch.PunchStats;
import dev.srudp.core.punch.Puncher;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.util.LongMap;
import dev.srudp.core.wire.HandshakePayload;
import dev.srudp.core.wire.Packets;
import dev.srudp.core.wire.WireFormatException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The sans-I/O endpoint: routes datagrams to connections by connection ID, answers first
 * handshake messages, runs every connection's timers, and chooses which connection sends next.
 *
 * <p>One thread at a time (the owner) calls the {@link Engine} methods. Application threads act
 * through {@link #execute}: on the owner thread the command runs at once, on any other thread it
 * is queued and the owner is woken.
 */
public final class EndpointCore implements Engine, dev.srudp.core.stun.StunPort {
    /** Accepted connections waiting for {@code accept} before new ones are refused. */
    static final int ACCEPT_BACKLOG = 1024;
    /** Initiators whose last handshake timestamp is remembered (replay protection of first messages). */
    static final int TIMESTAMP_MEMORY = 65_536;

    /** A command from an application thread, run on the loop with the loop's current time. */
    @FunctionalInterface
    interface Command {
        void run(long nowNanos);
    }

    private record Timer(long deadlineNanos, ConnectionCore connection, long generation) {
    }

    private record Outgoing(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    }

    private final EndpointContext ctx;
    /** Decoding space for the frames of the packet being processed, shared by all connections. */
    final FrameScratch frameScratch = new FrameScratch();
    private final List<InetSocketAddress> localAddresses;
    private final LongMap<ConnectionCore> byCid = new LongMap<>();
    private final Map<Long, ConnectionCore> respondingByInitiatorCid = new HashMap<>();
    private final Map<String, ConnectionCore> initiatingByStaticKey = new HashMap<>();
    private final Map<PeerId, byte[]> lastTimestamps = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, byte[]> eldest) {
            return size() > TIMESTAMP_MEMORY;
        }
    };
    private final ActiveConnections active = new ActiveConnections();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos,
            b.deadlineNanos));
    private final Map<ConnectionCore, long[]> timerState = new HashMap<>();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Handoff<Connection> accepted;
    private final CookieJar cookies;
    private final RespondingHandshakes responding = new RespondingHandshakes();
    private final StunAgent stun;
    private final List<Runnable> addressListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile List<InetSocketAddress> reflexive = List.of();
    private volatile List<BindingResult> lastGathering = List.of();
    private final Puncher puncher;
    /** Extra sockets the punch engine opened and has not given back yet. */
    private final java.util.Set<InetSocketAddress> extraInUse = new java.util.HashSet<>();
    /** Extra sockets given back while a connection still used them: closed when it goes. */
    private final java.util.Set<InetSocketAddress> extraReleased = new java.util.HashSet<>();
    private ExtraSockets extraSockets = ExtraSockets.NONE;
    private volatile NatHints localNatHints = NatHints.UNKNOWN;
    private volatile Runnable wakeup = () -> { };
    private volatile Thread owner;
    private long nowNanos;
    private long lastTimestampNanos;
    private long datagramsDropped;
    private boolean closing;

    /**
     * @param localAddresses the local socket addresses (with real ports) the owner reads from and
     *                       sends on
     */
    public EndpointCore(EndpointContext ctx, List<InetSocketAddress> localAddresses) {
        this.ctx = ctx;
        this.localAddresses = List.copyOf(localAddresses);
        this.accepted = new Handoff<>(ACCEPT_BACKLOG, false, ctx.callbacks);
        byte[] secret = new byte[32];
        ctx.random.nextBytes(secret);
        this.cookies = new CookieJar(secret);
        this.puncher = new Puncher(ctx.staticKey, ctx.random, ctx.listener, ctx.callbacks, new Puncher.Host() {
            @Override
            public CompletableFuture<Connection> handshake(CertifiedKey peer, InetSocketAddress local,
                    InetSocketAddress remote, long timeoutNanos, long now) {
                CompletableFuture<Connection> f = new CompletableFuture<>();
                startConnect(PeerAddress.of(remote, peer), peer.staticKey(), f, now, timeoutNanos, local);
                return f;
            }

            @Override
            public void later(java.util.function.LongConsumer task) {
                commands.add(() -> task.accept(nowNanos));
                wakeup.run();
            }

            @Override
            public List<InetSocketAddress> openSockets(InetSocketAddress like, int count) {
                List<InetSocketAddress> opened = extraSockets.open(like, count);
                extraInUse.addAll(opened);
                return opened;
            }

            @Override
            public void releaseSockets(List<InetSocketAddress> sockets) {
                for (InetSocketAddress s : sockets) {
                    if (extraInUse.remove(s)) {
                        extraReleased.add(s);
                        closeIfUnused(s);
                    }
                }
            }
        });
        this.stun = new StunAgent(ctx.config.stunServers(), this.localAddresses, ctx.config.stunRefreshInterval(),
                ctx.random, ctx.config.answerStun() ? StunResponder.forSockets(this.localAddresses) : null,
                (local, remote, bytes) -> outgoing.add(new Outgoing(local, remote, bytes)), this::reflexiveChanged);
    }

    /**
     * Where extra sockets come from (the birthday technique of hole punching); none unless the
     * owner provides them. Call before the engine runs.
     */
    public void setExtraSockets(ExtraSockets sockets) {
        this.extraSockets = sockets;
    }

    /**
     * What this endpoint knows about its own NAT (RFC 5780 discovery, published in its record): it
     * decides whether punching toward a partner behind a cone NAT opens many sockets (this side
     * symmetric with random ports) or not. Unknown by default.
     */
    @Override
    public void setLocalNatHints(NatHints hints) {
        this.localNatHints = java.util.Objects.requireNonNull(hints, "hints");
        // attempts already running learn them too: discovery often finishes after punching began
        execute(null, now -> {
            puncher.ownHintsChanged(hints, now);
            wakeup.run();
        });
    }

    /** Extra sockets open now (punching, or carrying a connection that punching found). */
    public int extraSocketCount() {
        return extraInUse.size() + extraReleased.size();
    }

    private void closeIfUnused(InetSocketAddress socket) {
        if (!extraReleased.contains(socket)) {
            return;
        }
        for (ConnectionCore c : byCid.values()) {
            if (socket.equals(c.localAddress())) {
                return;
            }
        }
        extraReleased.remove(socket);
        extraSockets.close(socket);
    }

    // ================================================================ STUN

    /**
     * Asks the configured STUN servers now, or joins the gathering round that is running; the
     * future completes (off the loop) with the round's results.
     */
    @Override
    public CompletableFuture<List<BindingResult>> gather() {
        CompletableFuture<List<BindingResult>> f = new CompletableFuture<>();
        execute(null, now -> stun.gather(now, results -> {
            lastGathering = results;
            reflexive = stun.reflexiveAddresses();
            ctx.callbacks.execute(() -> f.complete(results));
        }));
        return f;
    }

    /**
     * One Binding transaction to {@code server} from the socket that can reach it, with RFC 5780
     * change flags (0 for none); the future completes off the loop.
     */
    @Override
    public CompletableFuture<BindingResult> binding(InetSocketAddress server, int changeFlags) {
        CompletableFuture<BindingResult> f = new CompletableFuture<>();
        execute(null, now -> {
            InetSocketAddress local = stun.socketFor(server);
            if (local == null) {
                ctx.callbacks.execute(() -> f.complete(new BindingResult(null, server, changeFlags, null, null, null,
                        null, -1, 0, "no local socket can send to " + server)));
                return;
            }
            stun.binding(now, local, server, changeFlags, r -> ctx.callbacks.execute(() -> f.complete(r)));
        });
        return f;
    }

    /** The server-reflexive addresses of the last gathering. */
    public List<InetSocketAddress> reflexiveAddresses() {
        return reflexive;
    }

    /** The results of the last completed gathering, one per server and socket. */
    public List<BindingResult> lastGathering() {
        return lastGathering;
    }

    /** Runs {@code listener} off the loop whenever the reflexive addresses change. */
    public void addAddressListener(Runnable listener) {
        addressListeners.add(listener);
    }

    private void reflexiveChanged() {
        reflexive = stun.reflexiveAddresses();
        lastGathering = stun.lastGathering();
        for (Runnable r : addressListeners) {
            ctx.callbacks.execute(r);
        }
    }

    /** Responder handshakes in progress (not yet confirmed), counted per source address. */
    public int pendingHandshakes() {
        return responding.size();
    }

    EndpointContext context() {
        return ctx;
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    public PeerId identity() {
        return ctx.localId;
    }

    public CertifiedKey certifiedKey() {
        return ctx.certifiedKey();
    }

    /** Received datagrams dropped so far (malformed, unauthenticated, replayed, unknown). */
    public long datagramsDropped() {
        return datagramsDropped;
    }

    /** Connections in any state. */
    public int connectionCount() {
        return byCid.size();
    }

    // ================================================================ application side

    /** Runs {@code command} on the owner thread: now if called there, else queued with a wakeup. */
    void execute(ConnectionCore target, Command command) {
        Runnable task = () -> {
            command.run(nowNanos);
            if (target != null) {
                after(target);
            }
        };
        if (Thread.currentThread() == owner) {
            // a single-threaded driver calls between engine events: run now, and have the owner
            // poll for what the command made sendable
            task.run();
            if (!active.isEmpty() || !outgoing.isEmpty()) {
                wakeup.run();
            }
        } else {
            commands.add(task);
            wakeup.run();
        }
    }

    /** Opens a connection; the future completes (off the loop) when the handshake is done. */
    public CompletableFuture<Connection> connect(PeerAddress peer) {
        return connect(peer, ctx.config.handshakeTimeout());
    }

    /** Opens a connection whose handshake must complete within {@code handshakeTimeout}. */
    public CompletableFuture<Connection> connect(PeerAddress peer, java.time.Duration handshakeTimeout) {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (crash != null) {
            future.completeExceptionally(crash);
            return future;
        }
        byte[] pinned = null;
        if (peer.certifiedKey().isPresent()) {
            StaticKeyCertificate cert = StaticKeyCertificate.decode(peer.certifiedKey().get().encoded());
            if (!cert.isValid()) {
                future.completeExceptionally(new AuthenticationException("the certified key given for "
                        + peer.identity().orElse(null) + " has an invalid signature"));
                return future;
            }
            pinned = cert.staticKey();
        }
        byte[] pinnedKey = pinned;
        execute(null, now -> startConnect(peer, pinnedKey, future, now, handshakeTimeout.toNanos(), null));
        return future;
    }

    /**
     * Punches a hole toward a partner known by its certified key, trying every candidate address
     * at once (see {@link Puncher}), and completes with the connection over the first pair that
     * works, or with a {@link dev.srudp.ConnectionTimeoutException} whose message says why none
     * did. The addresses are taken as host candidates; the partner's record gives better ones
     * through {@link #punch(CertifiedKey, List, NatHints, java.time.Duration)}.
     */
    public CompletableFuture<Connection> punch(CertifiedKey peer, List<InetSocketAddress> partnerCandidates,
            java.time.Duration timeout) {
        List<Candidate> candidates = new ArrayList<>();
        for (InetSocketAddress a : partnerCandidates) {
            candidates.add(new Candidate(CandidateKind.HOST, a));
        }
        return punch(peer, candidates, NatHints.UNKNOWN, timeout);
    }

    /** Punches toward a partner with the candidates and NAT hints of its record; see {@link Puncher}. */
    public CompletableFuture<Connection> punch(CertifiedKey peer, List<Candidate> candidates, NatHints partnerHints,
            java.time.Duration timeout) {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (crash != null) {
            future.completeExceptionally(crash);
            return future;
        }
        StaticKeyCertificate cert = StaticKeyCertificate.decode(peer.encoded());
        if (!cert.isValid()) {
            future.completeExceptionally(new AuthenticationException("the certified key given for "
                    + peer.identity() + " has an invalid signature"));
            return future;
        }
        List<Candidate> copy = List.copyOf(candidates);
        execute(null, now -> {
            if (closing) {
                future.completeExceptionally(new ConnectionClosedException("the endpoint is closed",
                        ErrorCodes.ENDPOINT_CLOSING, false));
                return;
            }
            List<Connection> waiting = accepted.removeIf(c -> peer.identity().equals(c.peer()));
            if (!waiting.isEmpty()) {
                // the partner reached us before we started toward it: that connection is the result
                Connection first = waiting.get(0);
                ctx.callbacks.execute(() -> future.complete(first));
                for (Connection extra : waiting.subList(1, waiting.size())) {
                    extra.closeAsync();
                }
                return;
            }
            puncher.start(peer, copy, partnerHints, localNatHints, localAddresses, timeout.toNanos(), now)
                    .whenComplete((c, e) -> {
                        if (e == null) {
                            future.complete(c);
                        } else {
                            future.completeExceptionally(e);
                        }
                    });
            wakeup.run();
        });
        return future;
    }

    /**
     * What a running punch attempt toward this partner knows so far about why no pair has worked
     * (the NAT types of both sides, whether probes arrived): text that starts with "; ", or empty.
     */
    public CompletableFuture<String> punchProgress(CertifiedKey peer) {
        CompletableFuture<String> future = new CompletableFuture<>();
        execute(null, now -> future.complete(puncher.progress(peer.staticKey())));
        return future;
    }

    /** X25519 agreements done for probes from keys this endpoint did not punch toward (rate-limited). */
    public long probeKeyAgreements() {
        return puncher.derivations();
    }

    /** How the last punch attempts went (at most 16, oldest first). */
    public List<PunchStats> punchStats() {
        return puncher.recentStats();
    }

    private void startConnect(PeerAddress peer, byte[] pinned, CompletableFuture<Connection> future,
            long now, long handshakeTimeoutNanos, InetSocketAddress fromLocal) {
        if (closing) {
            future.completeExceptionally(new ConnectionClosedException("the endpoint is closed",
                    ErrorCodes.ENDPOINT_CLOSING, false));
            return;
        }
        if (byCid.size() >= ctx.config.maxConnections()) {
            future.completeExceptionally(new ConnectionClosedException("the endpoint has reached its limit of "
                    + ctx.config.maxConnections() + " connections", ErrorCodes.CONNECTION_REFUSED, false));
            return;
        }
        InetSocketAddress local = fromLocal != null ? fromLocal : chooseLocal(peer.address());
        ConnectionCore c = ConnectionCore.initiate(this, newConnectionId(), local, peer.address(),
                peer.identity().orElse(null), pinned, now, future, handshakeTimeoutNanos);
        if (c.state() == ConnectionState.CLOSED) {
            return;
        }
        byCid.put(c.localCid(), c);
        if (pinned != null) {
            initiatingByStaticKey.put(key(pinned), c);
        }
        touch(c);
    }

    private InetSocketAddress chooseLocal(InetSocketAddress remote) {
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        for (InetSocketAddress a : localAddresses) {
            if ((a.getAddress() instanceof Inet6Address) == v6) {
                return a;
            }
        }
        return localAddresses.get(0);
    }

    /** The next connection the acceptance policy admitted. */
    public Connection accept() throws java.io.IOException, InterruptedException {
        return accepted.take();
    }

    public CompletableFuture<Connection> acceptAsync() {
        return accepted.takeAsync();
    }

    /** An accepted connection if one is waiting, else null (for single-threaded drivers). */
    public Connection pollAccepted() throws java.io.IOException {
        return accepted.poll();
    }

    /** Closes every connection abortively with ENDPOINT_CLOSING and refuses new ones. */
    public void close() {
        execute(null, now -> {
            closing = true;
            stun.close();
            for (ConnectionCore c : new ArrayList<>(byCid.values())) {
                c.abort(ErrorCodes.ENDPOINT_CLOSING, "endpoint closing", now);
                touch(c);
            }
            accepted.fail(new ConnectionClosedException("the endpoint is closed", ErrorCodes.ENDPOINT_CLOSING,
                    false));
        });
    }

    /**
     * The loop that drove this engine died: fail every connection and every waiting call. Called on
     * the dead loop's thread, when nothing else touches the engine any more.
     */
    public void failAll(Throwable cause) {
        closing = true;
        stun.close();
        ConnectionClosedException e = new ConnectionClosedException("the endpoint's protocol loop failed: " + cause,
                ErrorCodes.INTERNAL_ERROR, false);
        for (ConnectionCore c : new ArrayList<>(byCid.values())) {
            c.failFromOutside(e, nowNanos);
        }
        accepted.fail(e);
        crash = e;
        commands.clear();
    }

    private volatile ConnectionClosedException crash;
    private volatile java.util.function.Predicate<Connection> acceptInterceptor;

    /**
     * Takes connections that wait for {@link #accept} and match out of that queue (a partner being
     * followed connected before the endpoint knew to follow it). A connection the accept
     * interceptor claims does not go there at all; the interceptor runs on the loop and must be
     * quick.
     */
    public java.util.List<Connection> claimAccepted(java.util.function.Predicate<Connection> match) {
        // on the loop, so no connection can be between the interceptor's check and the queue
        CompletableFuture<java.util.List<Connection>> claimed = new CompletableFuture<>();
        execute(null, now -> claimed.complete(accepted.removeIf(match)));
        try {
            return claimed.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.List.of();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return java.util.List.of();
        }
    }

    /** Installs a test run on the loop for every newly accepted connection (see {@link #claimAccepted}). */
    public void setAcceptInterceptor(java.util.function.Predicate<Connection> interceptor) {
        this.acceptInterceptor = interceptor;
    }

    /** A future completed by the owner thread once every command queued before it has run. */
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        execute(null, now -> f.complete(null));
        return f;
    }

    /** Whether every connection has finished closing (for an orderly shutdown of the loop). */
    public boolean isQuiescent() {
        for (ConnectionCore c : byCid.values()) {
            if (c.state() != ConnectionState.CLOSED && c.wantsToSend(nowNanos)) {
                return false;
            }
        }
        return true;
    }

    // ================================================================ Engine

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    @Override
    public void onDatagram(long now, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        enter(now);
        if (!datagram.hasRemaining()) {
            countDropped();
            return;
        }
        int first = datagram.get(datagram.position()) & 0xff;
        switch (Packets.kind(first)) {
            case DATA -> {
                if (datagram.remaining() < Packets.DATA_HEADER_LENGTH) {
                    dropped(from, "truncated packet");
                    return;
                }
                ConnectionCore c = byCid.get(datagram.getLong(datagram.position() + 1));
                if (c == null) {
                    dropped(from, "unknown connection");
                    return;
                }
                c.onDataPacket(now, local, from, datagram);
                after(c);
            }
            case INIT_IK, INIT_XX -> onInit(now, local, from, datagram);
            case RESPONSE, FINISH -> {
                Packets.Handshake packet;
                try {
                    packet = Packets.Handshake.decode(datagram);
                } catch (WireFormatException e) {
                    dropped(from, "malformed handshake: " + e.getMessage());
                    return;
                }
                ConnectionCore c = byCid.get(packet.receiverId());
                if (c == null) {
                    dropped(from, "handshake for an unknown connection");
                    return;
                }
                c.onHandshakePacket(now, local, from, packet);
                after(c);
            }
            case COOKIE -> {
                try {
                    Packets.Cookie cookie = Packets.Cookie.decode(datagram);
                    ConnectionCore c = byCid.get(cookie.receiverId());
                    if (c == null || !c.isInitiator() || !from.equals(c.remoteAddress())) {
                        dropped(from, "cookie for an unknown connection");
                        return;
                    }
                    c.onCookie(now, cookie);
                    after(c);
                } catch (WireFormatException e) {
                    dropped(from, "malformed cookie");
                }
            }
            case REJECT -> {
                try {
                    Packets.Reject reject = Packets.Reject.decode(datagram);
                    ConnectionCore c = byCid.get(reject.receiverId());
                    if (c == null || !c.isInitiator() || !from.equals(c.remoteAddress())) {
                        dropped(from, "reject for an unknown connection");
                        return;
                    }
                    c.onReject(now, reject);
                    after(c);
                } catch (WireFormatException e) {
                    dropped(from, "malformed reject");
                }
            }
            case PROBE -> {
                String problem = puncher.onProbe(now, local, from, datagram);
                if (problem != null) {
                    dropped(from, problem);
                }
            }
            case STUN -> {
                String problem = stun.onDatagram(now, local, from, datagram);
                if (problem != null) {
                    dropped(from, problem);
                }
            }
            default -> dropped(from, "unknown packet type 0x" + Integer.toHexString(first));
        }
    }

    private void onInit(long now, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        if (datagram.remaining() < Packets.MIN_INIT_LENGTH) {
            dropped(from, "first message below " + Packets.MIN_INIT_LENGTH + " bytes");
            return;
        }
        Packets.Handshake init;
        try {
            init = Packets.Handshake.decode(datagram);
        } catch (WireFormatException e) {
            dropped(from, "malformed handshake: " + e.getMessage());
            return;
        }
        if (init.version() != Packets.VERSION_1) {
            reject(local, from, init.senderId(), Packets.REJECT_VERSION);
            return;
        }
        ConnectionCore existing = respondingByInitiatorCid.get(init.senderId());
        if (existing != null && existing.answers(init)) {
            existing.onHandshakePacket(now, local, from, init);
            after(existing);
            return;
        }
        if (closing || byCid.size() >= ctx.config.maxConnections()) {
            reject(local, from, init.senderId(), Packets.REJECT_BUSY);
            return;
        }
        // Under load, or when one source has many handshakes in progress, no state is kept and
        // no key agreement is computed for a source that has not proven it receives at its address.
        boolean validated = init.token().hasRemaining() && cookies.isValid(init.token(), from, init.senderId(), now);
        int fromSource = responding.fromSource(from.getAddress());
        if (!validated && (responding.size() >= ctx.config.handshakeLoadThreshold()
                || fromSource >= ctx.config.maxHandshakesPerSource())) {
            sendCookie(local, from, init.senderId(), now);
            return;
        }
        if (fromSource >= ctx.config.maxHandshakesPerSource()) {
            dropped(from, "too many handshakes in progress from " + from.getAddress().getHostAddress());
            return;
        }
        NoisePattern pattern = init.type() == Packets.TYPE_INIT_IK ? NoisePattern.IK : NoisePattern.XX;
        DhKeyPair ephemeral = DhKeyPair.generate(ctx.random);
        NoiseHandshake handshake = NoiseHandshake.responder(pattern, NoiseCipher.AESGCM, EndpointContext.PROLOGUE,
                ctx.staticKey, ephemeral, null, null);
        byte[] payloadBytes;
        try {
            payloadBytes = handshake.readMessage(bytes(init.noiseMessage()));
        } catch (HandshakeException e) {
            if (pattern == NoisePattern.IK) {
                // most likely the initiator pinned an old key of ours: tell it to fall back to XX
                reject(local, from, init.senderId(), Packets.REJECT_UNKNOWN_KEY);
            }
            dropped(from, "first handshake message failed: " + e.getMessage());
            return;
        }
        HandshakePayload payload = null;
        PeerId initiatorId = null;
        CompletableFuture<Connection> adopted = null;
        if (pattern == NoisePattern.IK) {
            try {
                payload = HandshakePayload.decode(payloadBytes);
            } catch (WireFormatException e) {
                dropped(from, "malformed handshake payload: " + e.getMessage());
                return;
            }
            byte[] remoteStatic = handshake.remoteStaticKey();
            String problem = ConnectionCore.checkCertificate(payload, remoteStatic);
            if (problem != null) {
                dropped(from, problem);
                ctx.listener.handshakeFailed(from, problem);
                return;
            }
            initiatorId = PeerId.of(StaticKeyCertificate.decode(payload.certificate()).identityKey());
            if (initiatorId.equals(ctx.localId)) {
                dropped(from, "handshake from this endpoint itself (reflected)");
                return;
            }
            // WireGuard's rule, section 5.1 of its paper: a first message is accepted only if its
            // timestamp is greater than that of the last one accepted from the same peer.
            byte[] last = lastTimestamps.get(initiatorId);
            if (payload.timestamp() == null || (last != null && Tai64n.compare(payload.timestamp(), last) <= 0)) {
                dropped(from, "replayed or stale first handshake message");
                return;
            }
            ConnectionCore ours = initiatingByStaticKey.get(key(remoteStatic));
            if (ours != null && ours.state() == ConnectionState.INITIATING) {
                // Both sides initiated at once (after a hole punch). The initiation of the side with
                // the larger static key wins: that side ignores the other's first message, and the
                // other abandons its own attempt and answers, its pending connect completing with
                // the answered connection.
                if (Arrays.compareUnsigned(ctx.staticKey.publicKey(), remoteStatic) > 0) {
                    dropped(from, "simultaneous open: this side's initiation takes precedence");
                    return;
                }
                adopted = ours.takeConnectFuture();
                discard(ours, now);
            }
            if (adopted == null) {
                // the partner we punch toward started the handshake over a pair: it ends the punch
                adopted = puncher.adoptIncoming(remoteStatic, local, from, now);
            }
            lastTimestamps.put(initiatorId, payload.timestamp());
        }
        ConnectionCore c = ConnectionCore.respond(this, newConnectionId(), local, from, handshake, ephemeral, init,
                payload, now);
        if (c == null) {
            dropped(from, "handshake response could not be written");
            if (adopted != null) {
                CompletableFuture<Connection> f = adopted;
                ctx.callbacks.execute(() -> f.completeExceptionally(new AuthenticationException(
                        "the simultaneous handshake with " + from + " failed")));
            }
            return;
        }
        byCid.put(c.localCid(), c);
        respondingByInitiatorCid.put(init.senderId(), c);
        responding.add(c, from.getAddress());
        if (pattern == NoisePattern.IK) {
            if (adopted != null) {
                c.adoptConnectFuture(adopted);
            }
            if (!ctx.config.acceptPolicy().admits(initiatorId)) {
                ctx.listener.handshakeFailed(from, "peer " + initiatorId + " is not admitted by the policy");
                c.abort(ErrorCodes.AUTHENTICATION_FAILED, "connection refused", now);
            }
        }
        after(c);
    }

    private void sendCookie(InetSocketAddress local, InetSocketAddress to, long receiverId, long now) {
        byte[] token = cookies.issue(to, receiverId, now);
        ByteBuffer b = ByteBuffer.allocate(11 + token.length);
        new Packets.Cookie(Packets.VERSION_1, receiverId, token).encode(b);
        outgoing.add(new Outgoing(local, to, b.array()));
    }

    private void reject(InetSocketAddress local, InetSocketAddress to, long receiverId, int reason) {
        ByteBuffer b = ByteBuffer.allocate(16);
        new Packets.Reject(Packets.VERSION_1, receiverId, reason, new byte[] {Packets.VERSION_1}).encode(b);
        outgoing.add(new Outgoing(local, to, Arrays.copyOf(b.array(), b.position())));
    }

    @Override
    public Transmit pollTransmit(long now, ByteBuffer out) {
        enter(now);
        Outgoing o = outgoing.poll();
        if (o != null) {
            out.put(o.bytes());
            return new Transmit(o.local(), o.remote());
        }
        Puncher.Outgoing probe = puncher.poll();
        if (probe != null) {
            out.put(probe.bytes());
            return new Transmit(probe.local(), probe.remote());
        }
        ConnectionCore c;
        while ((c = active.poll()) != null) {
            Transmit t = null;
            if (c.wantsToSend(now)) {
                t = c.poll(now, out);
            }
            after(c);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    @Override
    public long nextTimeoutNanos() {
        long deadline = Math.min(puncher.nextTimeoutNanos(), stun.nextTimeoutNanos());
        while (!timers.isEmpty()) {
            Timer t = timers.peek();
            long[] state = timerState.get(t.connection());
            if (state != null && state[1] == t.generation()) {
                return Math.min(t.deadlineNanos(), deadline);
            }
            timers.poll();
        }
        return deadline;
    }

    @Override
    public void onTimeout(long now) {
        enter(now);
        // collect first: a connection whose timer is still due after running re-arms it, and must
        // not be run again in the same call
        List<ConnectionCore> due = new ArrayList<>();
        while (!timers.isEmpty() && timers.peek().deadlineNanos() <= now) {
            Timer t = timers.poll();
            long[] state = timerState.get(t.connection());
            if (state != null && state[1] == t.generation()) {
                state[0] = Long.MAX_VALUE;
                due.add(t.connection());
            }
        }
        for (ConnectionCore c : due) {
            c.onTimeout(now);
            after(c);
        }
        if (puncher.nextTimeoutNanos() <= now) {
            puncher.onTimeout(now);
        }
        if (stun.nextTimeoutNanos() <= now) {
            stun.onTimeout(now);
        }
    }

    // ================================================================ bookkeeping

    private void enter(long now) {
        owner = Thread.currentThread();
        nowNanos = now;
        Runnable r;
        while ((r = commands.poll()) != null) {
            r.run();
        }
    }

    /** After any event on a connection: schedule its sending and its timer. */
    private void after(ConnectionCore c) {
        if (c.state() == ConnectionState.CLOSED) {
            return;
        }
        c.afterEvent(nowNanos);
        touch(c);
    }

    private void touch(ConnectionCore c) {
        if (c.state() == ConnectionState.CLOSED) {
            active.remove(c);
            timerState.remove(c);
            return;
        }
        if (c.wantsToSend(nowNanos)) {
            active.add(c);
        }
        long deadline = c.nextTimeoutNanos();
        long[] state = timerState.computeIfAbsent(c, k -> new long[] {Long.MAX_VALUE, 0});
        // A later deadline keeps the armed timer: when it fires early the connection finds nothing
        // due and is armed again. Moving it on every packet sent would queue a timer per packet.
        if (deadline < state[0]) {
            state[0] = deadline;
            state[1]++;
            if (deadline != Long.MAX_VALUE) {
                timers.add(new Timer(deadline, c, state[1]));
            }
        }
    }

    /** Forgets a connection (closed, refused or abandoned). */
    void discard(ConnectionCore c, long now) {
        byCid.remove(c.localCid());
        respondingByInitiatorCid.values().remove(c);
        responding.remove(c);
        initiatingByStaticKey.values().remove(c);
        active.remove(c);
        timerState.remove(c);
        if (!extraReleased.isEmpty()) {
            closeIfUnused(c.localAddress());
        }
    }

    /** An IK initiation fell back to XX: its pinned key no longer identifies it for simultaneous open. */
    void forgetPinned(ConnectionCore c, byte[] pinned) {
        if (pinned != null) {
            initiatingByStaticKey.remove(key(pinned), c);
        }
    }

    void deliverAccepted(ConnectionCore c) {
        respondingByInitiatorCid.values().remove(c);
        responding.remove(c);
        CompletableFuture<Connection> adopted = c.takeConnectFuture();
        if (adopted != null) {
            ConnectionHandle h = c.handle();
            ctx.callbacks.execute(() -> adopted.complete(h));
            return;
        }
        java.util.function.Predicate<Connection> claim = acceptInterceptor;
        if (claim != null && claim.test(c.handle())) {
            return;
        }
        if (!accepted.offer(c.handle())) {
            c.abort(ErrorCodes.CONNECTION_REFUSED, "accept backlog full", nowNanos);
        }
    }

    void deliverStream(ConnectionHandle connection, StreamHandle stream) {
        connection.streamArrived(stream);
    }

    void deliverDatagram(ConnectionHandle connection, byte[] data) {
        connection.datagramArrived(data);
    }

    byte[] nextTimestamp() {
        long wall = ctx.wallClockNanos.getAsLong();
        lastTimestampNanos = Math.max(wall, lastTimestampNanos + 1);
        return Tai64n.fromEpochNanos(lastTimestampNanos);
    }

    void countDropped() {
        datagramsDropped++;
    }

    private void dropped(InetSocketAddress from, String reason) {
        datagramsDropped++;
        ctx.listener.datagramDropped(from, reason);
    }

    private long newConnectionId() {
        long id;
        do {
            id = ctx.random.nextLong();
        } while (id == 0 || byCid.containsKey(id));
        return id;
    }

    private static String key(byte[] staticKey) {
        return java.util.HexFormat.of().formatHex(staticKey);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
