package dev.srudp.core.connection;

/**
 * Datagram Packetization Layer PMTU Discovery (RFC 8899) for one path: the connection starts at
 * 1200-byte datagrams, which cross practically every path, and probes for larger ones with padded
 * PING packets. A probe that is acknowledged raises the size; one lost {@link #MAX_PROBES} times
 * lowers the search ceiling. Nothing ever depends on IP fragmentation: data only travels in
 * datagrams of a size the path has carried.
 *
 * <p>The constants are RFC 8899's defaults: MAX_PROBES, the number of consecutive lost probes
 * of one size that end the attempt, is 3 (section 5.1.2), and the PMTU_RAISE_TIMER, after which a
 * completed search looks for a larger size again, "has a period of 600 seconds" (section 5.1.1).
 *
 * <p>The search tries the ceiling first (most paths carry a full Ethernet-sized datagram, so one
 * probe usually settles it), then bisects between the largest size known to work and the
 * smallest known to fail, down to {@link #GRANULARITY} bytes.
 */
final class PathMtuProber {
    /** The base PLPMTU: RFC 9000, section 14 requires paths to carry 1200-byte UDP payloads. */
    static final int BASE = 1200;
    static final int MAX_PROBES = 3;
    static final long RAISE_TIMER_NANOS = 600_000_000_000L;
    /** The search stops when the bounds are this close. */
    static final int GRANULARITY = 16;

    private final int ceiling;
    private int current = BASE;
    private int high;
    private int probeSize;
    private int failures;
    private boolean inFlight;
    private long nextSearchNanos;

    /** @param ceiling the largest UDP payload both sides allow; at or below {@link #BASE} disables probing */
    PathMtuProber(int ceiling) {
        this.ceiling = Math.max(ceiling, BASE);
        this.high = this.ceiling;
    }

    /** The largest UDP payload known to cross the path. */
    int current() {
        return current;
    }

    /** The size of the probe to send now, or 0 if none is due. */
    int probeDue(long nowNanos) {
        if (inFlight || nowNanos < nextSearchNanos) {
            return 0;
        }
        if (high - current < GRANULARITY) {
            // search complete: look again for a larger size after the raise timer
            nextSearchNanos = nowNanos + RAISE_TIMER_NANOS;
            high = ceiling;
            return 0;
        }
        probeSize = failures == 0 && high == ceiling ? high : (current + high + 1) / 2;
        return probeSize;
    }

    void onProbeSent(int size) {
        inFlight = true;
        probeSize = size;
    }

    void onProbeAcknowledged(int size) {
        inFlight = false;
        failures = 0;
        current = Math.max(current, size);
        if (high < current) {
            high = current;
        }
    }

    void onProbeLost(int size) {
        inFlight = false;
        if (++failures >= MAX_PROBES) {
            failures = 0;
            high = size - 1;
        }
    }

    /** A new path starts from the base size again (RFC 8899, section 5.2: the path changed). */
    void onPathChanged(long nowNanos) {
        current = BASE;
        high = ceiling;
        failures = 0;
        inFlight = false;
        nextSearchNanos = nowNanos;
    }
}
