package dev.srudp.core.punch;

import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.core.crypto.ProbeKey;
import dev.srudp.core.record.NatHints;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to punch through to one partner: its candidate pairs, their checks, and which pair
 * carries the handshake. Runs on the endpoint's loop; {@link Puncher} drives it.
 */
final class PunchAttempt {
    /** States of an attempt; an attempt only moves forward. */
    enum State {
        /** Checking pairs. */
        CHECKING,
        /** A handshake runs on the nominated pair (checks have stopped). */
        HANDSHAKING,
        /** Connected or failed; the attempt is forgotten. */
        DONE
    }

    final CertifiedKey peer;
    final byte[] peerStaticKey;
    final ProbeKey key;
    final long punchId;
    final boolean controlling;
    /** The partner's NAT hints as last known: its record may name them only after the attempt started. */
    NatHints partnerHints;
    /** This side's NAT hints as last known: discovery may finish after the attempt started. */
    NatHints ownHints = NatHints.UNKNOWN;
    /** When a pair that just worked is to be considered for the handshake: after the datagrams read with it. */
    long evaluateAtNanos = Long.MAX_VALUE;
    /** The partner's candidates and this side's sockets the attempt was planned with. */
    List<dev.srudp.core.record.Candidate> candidates = List.of();
    List<java.net.InetSocketAddress> locals = List.of();
    final List<CandidatePair> pairs;
    final CompletableFuture<Connection> result;
    final long startNanos;
    final long deadlineNanos;
    /** Probes sent and not answered yet, by sequence number. */
    final Map<Integer, Sent> outstanding = new HashMap<>();
    State state = State.CHECKING;
    int nextSequence;
    int probesSent;
    int peerReflexiveLearned;
    long nextSendNanos;
    /** When the first pair succeeded on the side that starts the handshake: better pairs get until then. */
    long graceEndNanos = Long.MAX_VALUE;
    /** When the controlled side stops waiting for the partner's handshake and starts its own. */
    long controlledWaitEndNanos = Long.MAX_VALUE;
    boolean partnerPunching;
    boolean partnerSeen;
    boolean requestSeen;
    boolean responseSeen;
    String handshakeProblem;
    CandidatePair chosen;
    InetSocketAddress reflexiveSeenByPartner;
    /** Extra local sockets this attempt opened (the birthday technique, this side symmetric). */
    final List<InetSocketAddress> extraSockets = new ArrayList<>();
    /** Pairs from extra sockets still to be probed once, in the fast lane. */
    final java.util.ArrayDeque<CandidatePair> opening = new java.util.ArrayDeque<>();
    /** Where guessed ports go (the birthday technique, the partner symmetric with random ports), or null. */
    InetSocketAddress sprayFrom;
    java.net.InetAddress sprayTo;
    final java.util.Set<Integer> sprayed = new java.util.HashSet<>();
    int sprayLimit;
    long fastNextNanos = Long.MAX_VALUE;

    PunchAttempt(CertifiedKey peer, ProbeKey key, long punchId, boolean controlling, NatHints partnerHints,
            List<CandidatePair> pairs, CompletableFuture<Connection> result, long startNanos, long deadlineNanos) {
        this.peer = peer;
        this.peerStaticKey = peer.staticKey();
        this.key = key;
        this.punchId = punchId;
        this.controlling = controlling;
        this.partnerHints = partnerHints;
        this.pairs = new ArrayList<>(pairs);
        this.result = result;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.nextSendNanos = startNanos;
    }

    CandidatePair find(InetSocketAddress local, InetSocketAddress remote) {
        for (CandidatePair p : pairs) {
            if (p.matches(local, remote)) {
                return p;
            }
        }
        return null;
    }

    /** The succeeded pair of highest priority (earliest success among equals), or null. */
    CandidatePair bestSucceeded() {
        CandidatePair best = null;
        for (CandidatePair p : pairs) {
            if (p.succeeded() && !p.failed && (best == null || p.kind.priority() > best.kind.priority())) {
                best = p;
            }
        }
        return best;
    }

    /** A probe sent: on a pair, or (pair null) to a guessed port of the partner's NAT. */
    record Sent(CandidatePair pair, InetSocketAddress local, InetSocketAddress remote, long atNanos) {
    }

    /**
     * Whether some pair that has not answered yet outranks {@code pair} and could still answer:
     * it was not probed yet, or its first probe went out less than {@code pair}'s round trip ago.
     * A pair whose first probe has gone unanswered for longer is taken as not working, even when
     * it was probed again since: waiting for it would delay every connection whose better pair
     * cannot work (a partner's private address on another network).
     */
    boolean betterPairPending(CandidatePair pair, long now) {
        for (CandidatePair p : pairs) {
            if (!p.succeeded() && !p.failed && p.kind.priority() > pair.kind.priority()
                    && (p.probesSent == 0 || now - p.firstSentNanos < pair.rttNanos)) {
                return true;
            }
        }
        return false;
    }

    /** The pair to check next at {@code now}: the highest priority one that is due, or null. */
    CandidatePair due(long now) {
        CandidatePair next = null;
        for (CandidatePair p : pairs) {
            if (!p.succeeded() && !p.failed && !p.birthday && p.nextDueNanos <= now
                    && (next == null || p.kind.priority() > next.kind.priority())) {
                next = p;
            }
        }
        return next;
    }

    /** The earliest time a pair becomes due, or {@code Long.MAX_VALUE}. */
    long earliestDue() {
        long t = Long.MAX_VALUE;
        for (CandidatePair p : pairs) {
            if (!p.succeeded() && !p.failed && !p.birthday) {
                t = Math.min(t, p.nextDueNanos);
            }
        }
        return t;
    }

    long nextTimeoutNanos() {
        if (state == State.DONE) {
            return Long.MAX_VALUE;
        }
        long t = deadlineNanos;
        if (state == State.CHECKING) {
            t = Math.min(t, Math.max(nextSendNanos, earliestDue()));
            t = Math.min(t, graceEndNanos);
            t = Math.min(t, controlledWaitEndNanos);
            t = Math.min(t, fastNextNanos);
            t = Math.min(t, evaluateAtNanos);
        }
        return t;
    }
}
