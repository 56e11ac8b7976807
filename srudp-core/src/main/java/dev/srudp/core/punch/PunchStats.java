package dev.srudp.core.punch;

import dev.srudp.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * How one punch attempt went.
 *
 * @param peer       the partner
 * @param pairs      candidate pairs formed (including peer-reflexive ones learned on the way)
 * @param probesSent probe requests this side sent
 * @param elapsed    from the start of the attempt to the connection (or the failure)
 * @param local      the local socket of the chosen pair (null on failure)
 * @param remote     the partner address of the chosen pair (null on failure)
 * @param kind       the chosen pair's kind (null on failure)
 * @param failure    why the attempt failed (null on success)
 */
public record PunchStats(PeerId peer, int pairs, int probesSent, Duration elapsed, InetSocketAddress local,
        InetSocketAddress remote, PairKind kind, String failure) {

    public boolean succeeded() {
        return failure == null;
    }

    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }
}
