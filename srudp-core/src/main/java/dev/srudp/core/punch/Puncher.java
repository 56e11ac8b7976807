package dev.srudp.core.punch;

import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.EventListener;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.ProbeKey;
import dev.srudp.core.crypto.X25519;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.wire.Probe;
import dev.srudp.core.wire.WireFormatException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * The sans-I/O hole-punching engine of one endpoint (docs/protocol.md, "Hole punching"): runs
 * punch attempts toward partners, answers every authenticated probe, and hands the nominated pair
 * to the handshake. The endpoint's loop is its only caller; it never touches a socket or a clock.
 *
 * <p>An attempt forms candidate pairs (each local socket with each partner candidate of the same
 * address family), checks them with probes paced {@link #PACE} apart ({@link #FIRST_PACE} after a
 * pair's first probe), highest priority first, each
 * pair again after 100, 200, 400, 800 ms and then every second, and answers the partner's probes
 * at once to where they came from, learning addresses no candidate named (peer-reflexive).
 * Roles follow ICE (RFC 8445, section 6.1.1): the side with the larger static key is controlling
 * and starts the handshake on the best pair that answered, waiting {@link #GRACE} for a better one
 * to answer; the controlled side waits for that handshake, and starts one itself when none comes
 * within {@link #CONTROLLED_WAIT}, or at once when the partner said it is not punching (a plain
 * listener). Either side starts the handshake at once on a pair over which the partner's request
 * arrived from an address its record names (docs/protocol.md, "Hole punching"). An attempt fails
 * with a reason at its deadline.
 *
 * <p>Bounds against hostile probes (docs/limits.md): a probe costs a decode and one HMAC, like any
 * datagram; one from a static key neither punched toward nor cached costs an X25519 agreement,
 * and those are limited to {@link #DERIVATIONS_PER_SECOND} a second (the rest are dropped unread);
 * derived keys are cached for {@link #KEY_CACHE} partners (least recently used evicted, a key is
 * cached only once a probe under it verified); at most {@link #RESPONSES_PER_SECOND} responses
 * a second are sent, each the size of its request.
 */
public final class Puncher {
    /** How long an attempt runs unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Gap between two probes of one attempt (triggered checks excepted). */
    public static final Duration PACE = Duration.ofMillis(20);
    /**
     * Spacing after a pair's first probe: the first round goes out quickly, since a partner
     * waiting behind its NAT for our first probe waits for all of it (RFC 8445, section 14, never
     * paces checks closer than 5 ms).
     */
    public static final Duration FIRST_PACE = Duration.ofMillis(5);
    /** How long a better pair may still answer after the first one did. */
    public static final Duration GRACE = Duration.ofMillis(25);
    /** How long the controlled side waits for the partner's handshake over a working pair. */
    public static final Duration CONTROLLED_WAIT = Duration.ofSeconds(1);
    /** Most candidate pairs of one attempt. */
    public static final int MAX_PAIRS = 64;
    /** Most peer-reflexive pairs one attempt learns. */
    public static final int MAX_PEER_REFLEXIVE = 8;
    /** Most attempts at once (one per partner). */
    public static final int MAX_ATTEMPTS = 64;
    /** Probe responses sent per second at most (burst {@link #RESPONSE_BURST}); requests beyond go unanswered. */
    public static final int RESPONSES_PER_SECOND = 2_000;
    public static final int RESPONSE_BURST = 200;
    /** Key agreements for probes from static keys not in the cache, per second (burst the same). */
    public static final int DERIVATIONS_PER_SECOND = 32;
    /** Partners whose probe key is kept. */
    public static final int KEY_CACHE = 256;
    /** Probes waiting to be sent; beyond this, responses are dropped. */
    public static final int MAX_QUEUED = 256;

    /** Ports after each of a sequential symmetric NAT's reflexive ports that are probed (step 1). */
    public static final int PREDICTION_WINDOW = 32;
    /** Extra sockets the symmetric (random ports) side opens toward a partner behind a cone NAT. */
    public static final int BIRTHDAY_SOCKETS = 256;
    /** Guessed ports the other side probes at most per attempt. */
    public static final int BIRTHDAY_PROBES = 2048;
    /** Gap between two probes of the birthday technique (250 a second). */
    public static final Duration BIRTHDAY_PACE = Duration.ofMillis(4);

    static final long PACE_NANOS = PACE.toNanos();
    static final long FIRST_PACE_NANOS = FIRST_PACE.toNanos();
    static final long BIRTHDAY_PACE_NANOS = BIRTHDAY_PACE.toNanos();
    static final long GRACE_NANOS = GRACE.toNanos();
    static final long CONTROLLED_WAIT_NANOS = CONTROLLED_WAIT.toNanos();
    static final long MIN_TRIGGER_GAP_NANOS = 20_000_000L;
    static final int RECENT_STATS = 16;

    /** What the punch engine needs from its endpoint. */
    public interface Host {
        /** Starts an IK handshake to {@code peer} on the path; the future completes off the loop. */
        CompletableFuture<Connection> handshake(CertifiedKey peer, InetSocketAddress local, InetSocketAddress remote,
                long timeoutNanos, long nowNanos);

        /** Runs {@code task} on the loop soon, with the loop's time. */
        void later(LongConsumer task);

        /** Opens up to {@code count} extra sockets on the address of {@code like}; returns those opened. */
        List<InetSocketAddress> openSockets(InetSocketAddress like, int count);

        /** Gives extra sockets back: each is closed once no connection uses it. */
        void releaseSockets(List<InetSocketAddress> sockets);
    }

    /** A probe to send. */
    public record Outgoing(InetSocketAddress local, InetSocketAddress remote, byte[] bytes) {
    }

    private final DhKeyPair staticKey;
    private final byte[] ownPublicKey;
    private final SecureRandom random;
    private final EventListener listener;
    private final Executor callbacks;
    private final Host host;
    private final Map<String, PunchAttempt> attempts = new LinkedHashMap<>();
    private final Map<String, ProbeKey> keys = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProbeKey> eldest) {
            return size() > KEY_CACHE;
        }
    };
    private final TokenBucket responseBudget = new TokenBucket(RESPONSES_PER_SECOND, RESPONSE_BURST);
    private final TokenBucket derivationBudget = new TokenBucket(DERIVATIONS_PER_SECOND, DERIVATIONS_PER_SECOND);
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final ArrayDeque<PunchStats> recent = new ArrayDeque<>();
    private long derivations;
    private long probesAnswered;

    public Puncher(DhKeyPair staticKey, SecureRandom random, EventListener listener, Executor callbacks, Host host) {
        this.staticKey = staticKey;
        this.ownPublicKey = staticKey.publicKey();
        this.random = random;
        this.listener = listener;
        this.callbacks = callbacks;
        this.host = host;
    }

    // ================================================================ attempts

    /**
     * Starts punching toward {@code peer} (on the loop). The future completes (off the loop) with
     * the connection, or with a {@link ConnectionTimeoutException} whose message is the reason.
     * An attempt already running toward the same partner is joined rather than doubled.
     */
    public CompletableFuture<Connection> start(CertifiedKey peer, List<Candidate> candidates, NatHints hints,
            NatHints ownHints, List<InetSocketAddress> locals, long timeoutNanos, long now) {
        String id = key(peer.staticKey());
        PunchAttempt running = attempts.get(id);
        if (running != null) {
            // the partner's record may name its NAT hints only now (its discovery finished after it
            // published): the running attempt takes up what they call for instead of timing out first
            replan(running, candidates, hints, ownHints, locals, now);
            return running.result;
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (attempts.size() >= MAX_ATTEMPTS) {
            fail(result, "this endpoint already punches toward " + MAX_ATTEMPTS + " partners");
            return result;
        }
        ProbeKey probeKey;
        try {
            probeKey = ProbeKey.derive(staticKey, peer.staticKey());
        } catch (X25519.LowOrderPointException e) {
            fail(result, "the partner's handshake key is invalid (a low-order point)");
            return result;
        }
        keys.put(id, probeKey);
        List<CandidatePair> pairs = formPairs(locals, candidates);
        boolean controlling = Arrays.compareUnsigned(ownPublicKey, peer.staticKey()) > 0;
        PunchAttempt a = new PunchAttempt(peer, probeKey, random.nextLong(), controlling, hints, pairs, result, now,
                now + timeoutNanos);
        a.ownHints = ownHints;
        a.candidates = List.copyOf(candidates);
        a.locals = List.copyOf(locals);
        if (!pairs.isEmpty()) {
            planForSymmetricNats(a, candidates, hints, ownHints, locals, now);
        }
        listener.punchStarted(peer.identity(), a.pairs.size());
        if (pairs.isEmpty()) {
            finishFailed(a, "no candidate of the partner " + (candidates.isEmpty() ? "is usable"
                    : "shares an address family with this endpoint's sockets " + locals), now);
            return result;
        }
        attempts.put(id, a);
        return result;
    }

    /**
     * This endpoint's NAT hints changed (its RFC 5780 discovery finished while attempts ran): each
     * attempt still checking adds what the new hints call for (the birthday technique's extra
     * sockets, for one) within its own deadline.
     */
    public void ownHintsChanged(NatHints own, long now) {
        for (PunchAttempt a : new ArrayList<>(attempts.values())) {
            replan(a, a.candidates, a.partnerHints, own, a.locals, now);
        }
    }

    /** Adds to a checking attempt what hints learned after its start call for; each technique joins once. */
    private void replan(PunchAttempt a, List<Candidate> candidates, NatHints partner, NatHints own,
            List<InetSocketAddress> locals, long now) {
        if (a.state != PunchAttempt.State.CHECKING || a.pairs.isEmpty()
                || (partner.equals(a.partnerHints) && own.equals(a.ownHints))) {
            return;
        }
        a.partnerHints = partner;
        a.ownHints = own;
        planForSymmetricNats(a, candidates, partner, own, locals, now);
    }

    static boolean symmetric(NatHints h) {
        return h.mapping() == NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT
                || h.mapping() == NatHints.Mapping.ADDRESS_DEPENDENT;
    }

    /**
     * Adds what symmetric NATs need (issue 7; docs/protocol.md, "Symmetric NATs"): predicted ports
     * for a partner whose NAT allocates sequentially; for random allocation the birthday
     * technique, guessed ports toward a symmetric partner from this side behind a cone NAT, and
     * many extra sockets from this side behind a symmetric NAT toward a partner behind a cone NAT.
     */
    private void planForSymmetricNats(PunchAttempt a, List<Candidate> candidates, NatHints partner, NatHints own,
            List<InetSocketAddress> locals, long now) {
        List<InetSocketAddress> reflexive = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.kind() == CandidateKind.REFLEXIVE) {
                reflexive.add(c.address());
            }
        }
        if (reflexive.isEmpty()) {
            return;
        }
        InetSocketAddress target = reflexive.get(0);
        InetSocketAddress local = null;
        for (InetSocketAddress l : locals) {
            if (reaches(l, target)) {
                local = l;
                break;
            }
        }
        if (local == null) {
            return;
        }
        boolean partnerSymmetric = symmetric(partner);
        boolean ownSymmetric = symmetric(own);
        if (partnerSymmetric && partner.portAllocation() == NatHints.PortAllocation.SEQUENTIAL) {
            // the partner's next mappings take the ports after the one its STUN server saw, a
            // step apart (1 unless discovery measured another)
            int step = partner.portStep() == 0 ? 1 : partner.portStep();
            // Both NATs sequential: each probe to a new guessed port also takes this side's next
            // port, so the k-th probe of one side must meet the j-th of the other with each aimed
            // at the port the other's probe came from. With both sides guessing one port apart the
            // two unknown offsets (ports taken before the guessing began) would have to cancel,
            // which they never do; with the controlling side guessing two ports apart there is a
            // meeting point at k = dA + dB, j = 2 dA + dB (docs/protocol.md, "Symmetric NATs").
            int stride = a.controlling && ownSymmetric && own.portAllocation() == NatHints.PortAllocation.SEQUENTIAL
                    ? 2 : 1;
            for (InetSocketAddress r : reflexive) {
                for (int k = 1; k <= PREDICTION_WINDOW; k++) {
                    int port = r.getPort() + k * stride * step;
                    if (port < 1 || port > 65_535) {
                        break;
                    }
                    InetSocketAddress guess = new InetSocketAddress(r.getAddress(), port);
                    if (reaches(local, guess) && a.find(local, guess) == null) {
                        a.pairs.add(new CandidatePair(local, guess, PairKind.PREDICTED));
                    }
                }
            }
        } else if (partnerSymmetric && partner.portAllocation() == NatHints.PortAllocation.RANDOM && !ownSymmetric
                && a.sprayFrom == null) {
            a.sprayFrom = local;
            a.sprayTo = target.getAddress();
            a.sprayLimit = BIRTHDAY_PROBES;
            a.fastNextNanos = now;
        }
        if (ownSymmetric && own.portAllocation() == NatHints.PortAllocation.RANDOM && !partnerSymmetric
                && a.extraSockets.isEmpty()) {
            for (InetSocketAddress extra : host.openSockets(local, BIRTHDAY_SOCKETS)) {
                a.extraSockets.add(extra);
                CandidatePair p = new CandidatePair(extra, target, PairKind.REFLEXIVE);
                p.birthday = true;
                a.pairs.add(p);
                a.opening.add(p);
            }
            if (!a.opening.isEmpty()) {
                a.fastNextNanos = now;
            }
        }
    }

    /** The fast lane of the birthday technique: one extra socket opened, or one guessed port probed. */
    private void birthdayStep(PunchAttempt a, long now) {
        if (now < a.fastNextNanos) {
            return;
        }
        CandidatePair p = a.opening.poll();
        if (p != null) {
            sendRequest(a, p, now);
            p.nextDueNanos = Long.MAX_VALUE;
        } else if (a.sprayTo != null && a.sprayed.size() < a.sprayLimit) {
            int port;
            do {
                port = 1024 + random.nextInt(65_536 - 1024);
            } while (!a.sprayed.add(port));
            InetSocketAddress guess = new InetSocketAddress(a.sprayTo, port);
            int seq = a.nextSequence++;
            Probe probe = new Probe(Probe.FLAG_PUNCHING, ownPublicKey, a.punchId, seq, guess);
            if (enqueue(a.sprayFrom, guess, probe, a.key, true)) {
                a.outstanding.put(seq, new PunchAttempt.Sent(null, a.sprayFrom, guess, now));
                a.probesSent++;
            }
        } else {
            a.fastNextNanos = Long.MAX_VALUE;
            return;
        }
        a.fastNextNanos = now + BIRTHDAY_PACE_NANOS;
    }

    /** Candidate pairs in priority order: each local socket with each partner candidate it can reach. */
    static List<CandidatePair> formPairs(List<InetSocketAddress> locals, List<Candidate> candidates) {
        List<CandidatePair> pairs = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.kind() == CandidateKind.GATE || c.kind() == CandidateKind.RELAY) {
                continue;
            }
            for (InetSocketAddress local : locals) {
                if (!reaches(local, c.address()) || pairs.size() >= MAX_PAIRS) {
                    continue;
                }
                boolean duplicate = false;
                for (CandidatePair p : pairs) {
                    duplicate |= p.matches(local, c.address());
                }
                if (!duplicate) {
                    pairs.add(new CandidatePair(local, c.address(), kindOf(c)));
                }
            }
        }
        pairs.sort((x, y) -> Integer.compare(y.kind.priority(), x.kind.priority()));
        return pairs;
    }

    /** Whether a socket bound to {@code local} can send to {@code remote}. */
    static boolean reaches(InetSocketAddress local, InetSocketAddress remote) {
        InetAddress l = local.getAddress();
        boolean remoteV6 = remote.getAddress() instanceof Inet6Address;
        if (l.isAnyLocalAddress()) {
            // a wildcard IPv6 socket is dual-stack; a wildcard IPv4 one is not
            return l instanceof Inet6Address || !remoteV6;
        }
        if ((l instanceof Inet6Address) != remoteV6) {
            return false;
        }
        // a loopback socket reaches only loopback
        return !l.isLoopbackAddress() || remote.getAddress().isLoopbackAddress();
    }

    static PairKind kindOf(Candidate c) {
        InetAddress a = c.address().getAddress();
        if (isLan(a)) {
            return PairKind.HOST_LAN;
        }
        if (a instanceof Inet6Address) {
            return PairKind.IPV6;
        }
        return c.kind() == CandidateKind.HOST ? PairKind.HOST_PUBLIC : PairKind.REFLEXIVE;
    }

    static boolean isLan(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
            return true;
        }
        // RFC 4193 unique local addresses, fc00::/7
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    // ================================================================ timers and sending

    public long nextTimeoutNanos() {
        long t = Long.MAX_VALUE;
        for (PunchAttempt a : attempts.values()) {
            t = Math.min(t, a.nextTimeoutNanos());
        }
        return t;
    }

    public void onTimeout(long now) {
        for (PunchAttempt a : new ArrayList<>(attempts.values())) {
            if (a.state == PunchAttempt.State.DONE) {
                continue;
            }
            if (now >= a.deadlineNanos && a.state == PunchAttempt.State.CHECKING) {
                finishFailed(a, failureReason(a, now), now);
                continue;
            }
            if (a.state != PunchAttempt.State.CHECKING) {
                continue;
            }
            if (now >= a.nextSendNanos) {
                CandidatePair p = a.due(now);
                if (p != null) {
                    sendRequest(a, p, now);
                    a.nextSendNanos = now + (p.probesSent == 1 ? FIRST_PACE_NANOS : PACE_NANOS);
                }
            }
            birthdayStep(a, now);
            a.evaluateAtNanos = Long.MAX_VALUE;
            evaluate(a, now);
        }
    }

    /** The next probe to send, or null. */
    public Outgoing poll() {
        return queue.poll();
    }

    private void sendRequest(PunchAttempt a, CandidatePair p, long now) {
        int seq = a.nextSequence++;
        Probe probe = new Probe(Probe.FLAG_PUNCHING, ownPublicKey, a.punchId, seq, p.remote);
        if (!enqueue(p.local, p.remote, probe, a.key, true)) {
            return;
        }
        a.outstanding.put(seq, new PunchAttempt.Sent(p, p.local, p.remote, now));
        if (p.probesSent == 0) {
            p.firstSentNanos = now;
        }
        a.probesSent++;
        p.probesSent++;
        p.lastSentNanos = now;
        // RFC 8445 section 14.3 paces checks; our per-pair backoff doubles from 100 ms up to 1 s
        p.nextDueNanos = now + Math.min(1_000_000_000L, 100_000_000L << Math.min(p.probesSent - 1, 4));
    }

    private boolean enqueue(InetSocketAddress local, InetSocketAddress remote, Probe probe, ProbeKey key,
            boolean own) {
        if (queue.size() >= MAX_QUEUED && !own) {
            return false;
        }
        byte[] bytes = probe.encodeUntagged();
        byte[] tag = key.tag(bytes, 0, Probe.TAG_OFFSET);
        System.arraycopy(tag, 0, bytes, Probe.TAG_OFFSET, ProbeKey.TAG_LENGTH);
        queue.add(new Outgoing(local, remote, bytes));
        return true;
    }

    // ================================================================ receiving

    /**
     * A PROBE datagram arrived. Returns null when it was taken, else why it was dropped. Nothing is
     * changed by a probe whose tag does not verify.
     */
    public String onProbe(long now, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        if (datagram.remaining() != Probe.LENGTH) {
            return "probe of " + datagram.remaining() + " bytes, not " + Probe.LENGTH;
        }
        byte[] bytes = new byte[Probe.LENGTH];
        datagram.duplicate().get(bytes);
        Probe probe;
        try {
            probe = Probe.decode(bytes);
        } catch (WireFormatException e) {
            return "malformed probe: " + e.getMessage();
        }
        if (Arrays.equals(probe.senderKey(), ownPublicKey)) {
            return "probe from this endpoint itself (reflected)";
        }
        String id = key(probe.senderKey());
        PunchAttempt attempt = attempts.get(id);
        ProbeKey probeKey = attempt != null ? attempt.key : keys.get(id);
        if (probeKey == null) {
            if (!derivationBudget.tryTake(now)) {
                return "probe from an unknown key: key agreement rate limit";
            }
            derivations++;
            try {
                probeKey = ProbeKey.derive(staticKey, probe.senderKey());
            } catch (X25519.LowOrderPointException e) {
                return "probe with a low-order key";
            }
            if (!probeKey.verify(bytes, 0, Probe.TAG_OFFSET, Probe.TAG_OFFSET)) {
                // not cached: a flood of random keys must not evict the keys of real partners
                return "probe authentication failed";
            }
            keys.put(id, probeKey);
        } else if (!probeKey.verify(bytes, 0, Probe.TAG_OFFSET, Probe.TAG_OFFSET)) {
            return "probe authentication failed";
        }
        if (probe.isResponse()) {
            return onResponse(attempt, probe, local, from, now);
        }
        if (!responseBudget.tryTake(now)) {
            return "probe response rate limit";
        }
        // answer to where the request came from, from the socket it arrived on, the same size
        int flags = Probe.FLAG_RESPONSE | (attempt != null && attempt.state != PunchAttempt.State.DONE
                ? Probe.FLAG_PUNCHING : 0);
        if (!enqueue(local, from, new Probe(flags, ownPublicKey, probe.punchId(), probe.sequence(), from), probeKey,
                false)) {
            return "probe queue full";
        }
        probesAnswered++;
        if (attempt != null && attempt.state == PunchAttempt.State.CHECKING) {
            onRequest(attempt, probe, local, from, now);
        }
        return null;
    }

    private void onRequest(PunchAttempt a, Probe probe, InetSocketAddress local, InetSocketAddress from, long now) {
        a.partnerSeen = true;
        a.requestSeen = true;
        a.partnerPunching |= probe.senderIsPunching();
        CandidatePair p = learn(a, local, from);
        if (p != null && probe.senderIsPunching() && !p.failed && listedByPartner(p) && !a.betterPairPending(p, now)) {
            // The partner's authenticated probe came from an address its signed record names, so
            // the path from there is open through both NATs now, and our answer (already queued)
            // and the handshake take the same path back through the mappings it just used.
            // Starting the handshake here saves the round trip of our own check, which matters
            // when our first probes reached the partner's NAT before it had sent any and were
            // dropped. Either role does it: the side whose probes were dropped is the first to
            // see such a request, and if both start, simultaneous open (docs/protocol.md 5.9)
            // keeps one. A replayed probe sent from elsewhere arrives from an unlisted address and
            // goes through the ordinary check.
            handshake(a, p, now);
            return;
        }
        // a triggered check (RFC 8445 section 7.3.1.4): the partner's probe just opened this path
        // in its NAT, so ours should go out now rather than at its turn
        if (p != null && !p.succeeded() && !p.failed && now - p.lastSentNanos >= MIN_TRIGGER_GAP_NANOS) {
            sendRequest(a, p, now);
        }
        evaluate(a, now);
    }

    private String onResponse(PunchAttempt a, Probe probe, InetSocketAddress local, InetSocketAddress from, long now) {
        if (a == null || a.state == PunchAttempt.State.DONE || probe.punchId() != a.punchId) {
            return "probe response to no current attempt";
        }
        PunchAttempt.Sent out = a.outstanding.get(probe.sequence());
        if (out == null || !out.local().equals(local)) {
            return "probe response to no outstanding probe";
        }
        a.outstanding.remove(probe.sequence());
        CandidatePair sent = out.pair();
        if (sent == null) {
            // a guessed port answered: it becomes a pair of its own
            if (!out.remote().equals(from)) {
                return "probe response from another address than a guessed port";
            }
            sent = a.find(local, from);
            if (sent == null) {
                sent = new CandidatePair(local, from, PairKind.PREDICTED);
                a.pairs.add(sent);
            }
        }
        a.partnerSeen = true;
        a.responseSeen = true;
        a.partnerPunching = probe.senderIsPunching();
        a.reflexiveSeenByPartner = probe.address();
        if (a.state != PunchAttempt.State.CHECKING) {
            return null;
        }
        if (sent.remote.equals(from)) {
            if (!sent.succeeded()) {
                sent.succeededAtNanos = now;
                sent.rttNanos = now - out.atNanos();
            }
            // decided after the datagrams read with this one: the partner's handshake may be
            // among them, and answering it beats starting one of our own
            a.evaluateAtNanos = now;
            return null;
        } else {
            // RFC 8445 section 7.2.5.2.1: a response from another address than the request went to
            // does not make the pair work; that address is checked on its own
            CandidatePair p = learn(a, local, from);
            if (p != null && !p.succeeded() && now - p.lastSentNanos >= MIN_TRIGGER_GAP_NANOS) {
                sendRequest(a, p, now);
            }
        }
        evaluate(a, now);
        return null;
    }

    /** Whether the pair's partner address is one the partner's record lists (not learned or guessed). */
    private static boolean listedByPartner(CandidatePair p) {
        return p.kind != PairKind.PEER_REFLEXIVE && p.kind != PairKind.PREDICTED;
    }

    /** The pair (local, from), added as peer-reflexive when new (bounded), or null when full. */
    private static CandidatePair learn(PunchAttempt a, InetSocketAddress local, InetSocketAddress from) {
        CandidatePair p = a.find(local, from);
        if (p == null && a.peerReflexiveLearned < MAX_PEER_REFLEXIVE) {
            p = new CandidatePair(local, from, PairKind.PEER_REFLEXIVE);
            a.pairs.add(p);
            a.peerReflexiveLearned++;
        }
        return p;
    }

    // ================================================================ nomination

    private void evaluate(PunchAttempt a, long now) {
        if (a.state != PunchAttempt.State.CHECKING) {
            return;
        }
        CandidatePair best = a.bestSucceeded();
        if (best == null) {
            return;
        }
        if (a.controlling || !a.partnerPunching) {
            if (a.graceEndNanos == Long.MAX_VALUE) {
                a.graceEndNanos = now + GRACE_NANOS;
            }
            if (!a.betterPairPending(best, now) || now >= a.graceEndNanos) {
                handshake(a, best, now);
            }
        } else {
            if (a.controlledWaitEndNanos == Long.MAX_VALUE) {
                a.controlledWaitEndNanos = now + CONTROLLED_WAIT_NANOS;
            }
            if (now >= a.controlledWaitEndNanos) {
                handshake(a, best, now);
            }
        }
    }

    private void handshake(PunchAttempt a, CandidatePair pair, long now) {
        a.state = PunchAttempt.State.HANDSHAKING;
        a.chosen = pair;
        // the handshake may run a little past the punch deadline, never more than two seconds
        long timeout = Math.max(1_000_000_000L, a.deadlineNanos - now) + 2_000_000_000L;
        CompletableFuture<Connection> f = host.handshake(a.peer, pair.local, pair.remote,
                Math.min(timeout, 10_000_000_000L), now);
        f.whenComplete((c, e) -> host.later(t -> handshakeDone(a, c, e, t)));
    }

    /**
     * The partner's first handshake message arrived from {@code from} on {@code local} while an
     * attempt toward it runs: the returned future (given to the answering connection) finishes the
     * attempt. Null when no attempt runs toward that key.
     */
    public CompletableFuture<Connection> adoptIncoming(byte[] remoteStaticKey, InetSocketAddress local,
            InetSocketAddress from, long now) {
        PunchAttempt a = attempts.get(key(remoteStaticKey));
        if (a == null || a.state == PunchAttempt.State.DONE) {
            return null;
        }
        CandidatePair p = a.find(local, from);
        if (p == null) {
            p = new CandidatePair(local, from, PairKind.PEER_REFLEXIVE);
            a.pairs.add(p);
        }
        a.state = PunchAttempt.State.HANDSHAKING;
        a.chosen = p;
        CompletableFuture<Connection> f = new CompletableFuture<>();
        f.whenComplete((c, e) -> host.later(t -> handshakeDone(a, c, e, t)));
        return f;
    }

    private void handshakeDone(PunchAttempt a, Connection c, Throwable error, long now) {
        if (a.state == PunchAttempt.State.DONE) {
            if (c != null) {
                // the attempt ended meanwhile: the connection still reaches whoever waits on it
                callbacks.execute(() -> a.result.complete(c));
            }
            return;
        }
        if (c != null) {
            a.state = PunchAttempt.State.DONE;
            attempts.remove(key(a.peerStaticKey));
            host.releaseSockets(a.extraSockets);
            PunchStats stats = new PunchStats(a.peer.identity(), a.pairs.size(), a.probesSent,
                    Duration.ofNanos(now - a.startNanos), a.chosen.local, a.chosen.remote, a.chosen.kind, null);
            remember(stats);
            listener.punchSucceeded(a.peer.identity(), a.chosen.local, a.chosen.remote, a.chosen.kind.label(),
                    stats.elapsed().toMillis(), a.probesSent);
            callbacks.execute(() -> a.result.complete(c));
            return;
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        a.handshakeProblem = cause.getMessage();
        a.chosen.failed = true;
        a.chosen = null;
        a.graceEndNanos = Long.MAX_VALUE;
        a.controlledWaitEndNanos = Long.MAX_VALUE;
        a.state = PunchAttempt.State.CHECKING;
        if (now >= a.deadlineNanos) {
            finishFailed(a, failureReason(a, now), now);
        } else {
            evaluate(a, now);
        }
    }

    private void finishFailed(PunchAttempt a, String reason, long now) {
        a.state = PunchAttempt.State.DONE;
        attempts.remove(key(a.peerStaticKey), a);
        host.releaseSockets(a.extraSockets);
        PunchStats stats = new PunchStats(a.peer.identity(), a.pairs.size(), a.probesSent,
                Duration.ofNanos(now - a.startNanos), null, null, null, reason);
        remember(stats);
        listener.punchFailed(a.peer.identity(), reason, stats.elapsed().toMillis(), a.probesSent);
        fail(a.result, reason);
    }

    private void fail(CompletableFuture<Connection> result, String reason) {
        callbacks.execute(() -> result.completeExceptionally(new ConnectionTimeoutException(reason)));
    }

    /** What is known about why no pair worked. */
    static String failureReason(PunchAttempt a, long now) {
        if (a.handshakeProblem != null) {
            return handshakeFailure(a);
        }
        long seconds = Math.max(1, Math.round((now - a.startNanos) / 1e9));
        return "no candidate pair answered in " + seconds + " s" + diagnosis(a);
    }

    /**
     * What the NAT hints of both sides and the probes seen so far say about an attempt that has
     * not found a pair: empty, or text that starts with "; ". Both NATs symmetric, or the
     * partner's with random ports, leaves no direct path this endpoint can rely on, so the text
     * then names the way out.
     */
    static String diagnosis(PunchAttempt a) {
        NatHints partner = a.partnerHints;
        NatHints own = a.ownHints;
        StringBuilder s = new StringBuilder();
        if (symmetric(partner) && symmetric(own)) {
            s.append("; both NATs are symmetric (this side's ").append(allocation(own)).append(", the partner's ")
                    .append(allocation(partner)).append("): a gate or relay is needed");
        } else if (symmetric(partner) && partner.portAllocation() == NatHints.PortAllocation.RANDOM) {
            s.append("; the partner's NAT is symmetric (random ports): a gate or relay is needed");
        } else if (symmetric(partner)) {
            s.append("; the partner's NAT is symmetric").append(partner.portAllocation() == NatHints.PortAllocation.SEQUENTIAL
                    ? " (sequential ports)" : "").append(": a gate or relay may be needed");
        } else if (symmetric(own)) {
            s.append("; this side's NAT is symmetric (").append(allocation(own))
                    .append("): against a partner whose NAT filters by port as well, a gate or relay is needed");
        } else if (a.requestSeen) {
            s.append("; the partner's probes arrived but ours were not answered"
                    + " (a NAT or firewall on the way drops them; symmetric NAT on this side?)");
        } else if (!a.partnerSeen) {
            s.append("; nothing came back on ").append(a.pairs.size()).append(a.pairs.size() == 1 ? " pair" : " pairs")
                    .append(": the partner is not punching toward this endpoint, a NAT on the way drops the probes"
                            + " (a symmetric NAT on either side?), or UDP is blocked");
        }
        return s.toString();
    }

    private static String allocation(NatHints h) {
        return switch (h.portAllocation()) {
            case RANDOM -> "random ports";
            case SEQUENTIAL -> "sequential ports";
            case PRESERVING -> "preserved ports";
            default -> "port allocation unknown";
        };
    }

    /**
     * What the running attempt toward this static key knows so far about why no pair has worked
     * (see {@link #diagnosis}), for a caller whose own deadline ends first; empty when no attempt
     * runs or it knows nothing yet.
     */
    public String progress(byte[] staticKey) {
        PunchAttempt a = attempts.get(key(staticKey));
        if (a == null) {
            return "";
        }
        if (a.handshakeProblem != null) {
            return "; " + handshakeFailure(a);
        }
        return diagnosis(a);
    }

    private static String handshakeFailure(PunchAttempt a) {
        return "a candidate pair answered but the handshake failed: " + a.handshakeProblem;
    }

    private synchronized void remember(PunchStats stats) {
        if (recent.size() >= RECENT_STATS) {
            recent.removeFirst();
        }
        recent.addLast(stats);
    }

    // ================================================================ observation

    /** The last attempts that ended, oldest first. */
    public synchronized List<PunchStats> recentStats() {
        return List.copyOf(recent);
    }

    /** Whether an attempt toward this static key runs. */
    public boolean isPunching(byte[] staticKey) {
        return attempts.containsKey(key(staticKey));
    }

    /** Key agreements done for probes from keys not punched toward (bounded by the rate limit). */
    public long derivations() {
        return derivations;
    }

    /** Probe requests answered. */
    public long probesAnswered() {
        return probesAnswered;
    }

    private static String key(byte[] staticKey) {
        return HexFormat.of().formatHex(staticKey);
    }
}
