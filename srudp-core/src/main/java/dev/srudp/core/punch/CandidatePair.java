package dev.srudp.core.punch;

import java.net.InetSocketAddress;

/** One path to try: a local socket and a partner address, with its check state. */
final class CandidatePair {
    final InetSocketAddress local;
    final InetSocketAddress remote;
    final PairKind kind;
    int probesSent;
    long firstSentNanos = Long.MIN_VALUE;
    long lastSentNanos = Long.MIN_VALUE;
    long nextDueNanos;
    long succeededAtNanos = -1;
    long rttNanos;
    boolean failed;
    /** From an extra socket: probed once to open its mapping, then only in answer to the partner. */
    boolean birthday;

    CandidatePair(InetSocketAddress local, InetSocketAddress remote, PairKind kind) {
        this.local = local;
        this.remote = remote;
        this.kind = kind;
    }

    boolean succeeded() {
        return succeededAtNanos >= 0;
    }

    boolean matches(InetSocketAddress l, InetSocketAddress r) {
        return local.equals(l) && remote.equals(r);
    }

    @Override
    public String toString() {
        return local + " -> " + remote + " (" + kind.label() + ")";
    }
}
