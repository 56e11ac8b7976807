package dev.srudp.testkit;

import java.util.function.LongSupplier;

/**
 * The virtual time of one {@link SimNetwork}, in monotonic nanoseconds.
 *
 * <p>Only the simulator advances it, one event at a time; nothing in it reads the wall clock. It
 * starts at {@link #START_NANOS} rather than zero, so a component that mistakes zero for "not set"
 * is caught. Pass it wherever a component asks for a {@link LongSupplier} of nanoseconds.
 */
public final class VirtualClock implements LongSupplier {

    /** The virtual time at which every simulation starts: one second, so that 0 is never a valid time. */
    public static final long START_NANOS = 1_000_000_000L;

    private long nowNanos = START_NANOS;

    VirtualClock() {
    }

    /** The current virtual time. */
    public long nowNanos() {
        return nowNanos;
    }

    /** Same as {@link #nowNanos()}. */
    @Override
    public long getAsLong() {
        return nowNanos;
    }

    void advanceTo(long timeNanos) {
        if (timeNanos < nowNanos) {
            throw new IllegalStateException("virtual time cannot go back from " + nowNanos + " to " + timeNanos);
        }
        nowNanos = timeNanos;
    }

    @Override
    public String toString() {
        return "VirtualClock[" + nowNanos + " ns]";
    }
}
