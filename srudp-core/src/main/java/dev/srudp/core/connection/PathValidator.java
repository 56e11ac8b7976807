package dev.srudp.core.connection;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * Which path a connection uses, and the validation of a new one when the peer's packets start
 * arriving from another address (a NAT rebinding, a change of network).
 *
 * <p>RFC 9000, section 9.3: "An endpoint only changes the address to which it sends packets in
 * response to the highest-numbered non-probing packet." srudp goes further than QUIC: it keeps
 * sending on the old path until the new one is validated by a PATH_CHALLENGE echoed in a
 * PATH_RESPONSE. An attacker who replays or redirects a packet from a spoofed address therefore
 * cannot move the connection: nobody at that address can read the challenge. Data sent meanwhile
 * on a dead old path is recovered by loss recovery once the new path takes over.
 */
final class PathValidator {
    /** A path: our socket and the peer's address. */
    record Path(InetSocketAddress local, InetSocketAddress remote) {
    }

    /** A challenge to answer, and the path it came on (the answer goes back there). */
    record Response(long data, Path path) {
    }

    /** Challenges sent before a candidate path is abandoned. */
    static final int MAX_CHALLENGES = 4;
    /** Responses waiting to be sent; a flood of challenges only keeps the newest. */
    static final int MAX_PENDING_RESPONSES = 4;
    /**
     * RFC 9000, section 8.1: "Prior to validating the client address, servers MUST NOT send more
     * than three times as many bytes as the number of bytes they have received." srudp applies
     * the same limit to every address not yet validated.
     */
    static final int AMPLIFICATION_FACTOR = 3;
    /** The smallest packet that carries a PATH_CHALLENGE: header, frame, tag. */
    static final int MIN_CHALLENGE_BYTES = 17 + 9 + 16;

    private Path current;
    private Path candidate;
    private long challenge;
    private int challengesSent;
    private boolean challengeDue;
    private long nextChallengeNanos = Long.MAX_VALUE;
    private long retryNanos;
    private long candidateBytesReceived;
    private long candidateBytesSent;
    private final ArrayDeque<Response> responses = new ArrayDeque<>();

    PathValidator(InetSocketAddress local, InetSocketAddress remote) {
        this.current = new Path(local, remote);
    }

    Path current() {
        return current;
    }

    /** Moves the current path without validation (during the handshake, which proves the address). */
    void reset(InetSocketAddress local, InetSocketAddress remote) {
        current = new Path(local, remote);
        candidate = null;
        challengeDue = false;
        nextChallengeNanos = Long.MAX_VALUE;
    }

    /**
     * An authenticated packet arrived on {@code path}. Returns true when it starts the validation
     * of a new path.
     */
    boolean onPacket(Path path, boolean highestSoFar, int bytes, long nowNanos, RandomGenerator random) {
        if (path.equals(current)) {
            return false;
        }
        if (path.equals(candidate)) {
            candidateBytesReceived += bytes;
            return false;
        }
        if (!highestSoFar) {
            return false;
        }
        candidate = path;
        challenge = random.nextLong();
        challengesSent = 0;
        challengeDue = true;
        candidateBytesReceived = bytes;
        candidateBytesSent = 0;
        nextChallengeNanos = nowNanos;
        return true;
    }

    void onChallenge(long data, Path path) {
        if (responses.size() >= MAX_PENDING_RESPONSES) {
            responses.poll();
        }
        responses.add(new Response(data, path));
    }

    /** A PATH_RESPONSE arrived; returns the old path if it validated the candidate (now current). */
    Path onResponse(long data) {
        if (candidate == null || data != challenge) {
            return null;
        }
        Path old = current;
        current = candidate;
        candidate = null;
        challengeDue = false;
        nextChallengeNanos = Long.MAX_VALUE;
        return old;
    }

    /** The next response to send, or null. */
    Response pollResponse() {
        return responses.poll();
    }

    boolean hasResponses() {
        return !responses.isEmpty();
    }

    /** The candidate path, if a challenge is due on it now and the amplification limit allows one. */
    Path challengeDue() {
        return challengeDue && candidateAllowance() >= MIN_CHALLENGE_BYTES ? candidate : null;
    }

    long challengeData() {
        return challenge;
    }

    /** How many bytes the amplification limit still allows on the candidate path. */
    long candidateAllowance() {
        return AMPLIFICATION_FACTOR * candidateBytesReceived - candidateBytesSent;
    }

    /** A challenge of {@code bytes} went out; the next is due after {@code retryNanos}. */
    void onChallengeSent(int bytes, long nowNanos, long retryAfterNanos) {
        challengeDue = false;
        candidateBytesSent += bytes;
        challengesSent++;
        retryNanos = retryAfterNanos;
        nextChallengeNanos = nowNanos + retryAfterNanos;
    }

    /** Bytes sent on a path: counted against the candidate's amplification limit. */
    void onSent(Path path, int bytes) {
        if (path.equals(candidate)) {
            candidateBytesSent += bytes;
        }
    }

    long nextTimeoutNanos() {
        return candidate == null || challengeDue() != null ? Long.MAX_VALUE : nextChallengeNanos;
    }

    void onTimeout(long nowNanos) {
        if (candidate == null || challengeDue() != null || nowNanos < nextChallengeNanos) {
            return;
        }
        if (challengeDue) {
            // a retry was due but the amplification limit forbade it: that counts as a try
            challengesSent++;
        }
        if (challengesSent >= MAX_CHALLENGES) {
            // nobody answered at the new address: it was spoofed, or it died again
            candidate = null;
            challengeDue = false;
            nextChallengeNanos = Long.MAX_VALUE;
        } else {
            challengeDue = true;
            nextChallengeNanos = nowNanos + Math.max(retryNanos, 100_000_000L);
        }
    }
}
