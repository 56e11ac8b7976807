package dev.srudp.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How one direction of a path between two addresses behaves: loss, duplication, reordering,
 * delay and jitter, bandwidth with a drop-tail queue, and MTU. Immutable; made by {@link #builder()}.
 *
 * <p>The model, per datagram, in this order:
 * <ol>
 *   <li><b>MTU.</b> A datagram whose IP packet (payload plus 28 bytes of IPv4 and UDP headers,
 *       or 48 for IPv6) exceeds {@link #mtuBytes()} is dropped, as on a path that does not
 *       fragment.</li>
 *   <li><b>Bandwidth.</b> With a limit, each direction has one transmit queue: the packet waits
 *       for the packets before it and then takes {@code packetBytes * 8 / bandwidth} seconds to
 *       serialize. If the bytes still waiting plus this packet would exceed
 *       {@link #queueLimitBytes()}, the packet is dropped (drop-tail). A packet lost in the next
 *       step has still used the link.</li>
 *   <li><b>Loss</b> with probability {@link #lossProbability()}, independently per datagram.</li>
 *   <li><b>Delay.</b> The packet arrives {@link #delay()} after it was serialized, plus a jitter
 *       drawn uniformly from {@code [-jitter, +jitter]}. Jitter never reorders: an arrival is never
 *       earlier than the arrival of the packet before it on the same link.</li>
 *   <li><b>Reordering</b> with probability {@link #reorderProbability()}: the packet is instead
 *       held back by an extra delay drawn uniformly from {@code (0, reorderExtraDelay]}, so the
 *       packets after it may overtake it.</li>
 *   <li><b>Duplication</b> with probability {@link #duplicationProbability()}: a second copy
 *       arrives as well, with its own jitter.</li>
 * </ol>
 */
public final class LinkConditions {

    /** Default one-way delay: 1 ms. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(1);
    /** Default upper bound of the extra delay of a reordered datagram: 10 ms. */
    public static final Duration DEFAULT_REORDER_EXTRA_DELAY = Duration.ofMillis(10);
    /** Default drop-tail queue limit, used when a bandwidth is set: 256 KiB. */
    public static final int DEFAULT_QUEUE_LIMIT_BYTES = 256 * 1024;
    /** The largest queue limit accepted: 1 GiB. */
    public static final int MAX_QUEUE_LIMIT_BYTES = 1 << 30;
    /** Default MTU: 1500 bytes, Ethernet's. */
    public static final int DEFAULT_MTU_BYTES = 1500;
    /** The smallest MTU accepted: IPv4's minimum, 68 bytes. */
    public static final int MIN_MTU_BYTES = 68;
    /** The largest MTU accepted: 65,535 bytes. */
    public static final int MAX_MTU_BYTES = 65_535;

    /**
     * A link that loses, duplicates and reorders nothing, with the defaults: 1 ms delay, no
     * jitter, unlimited bandwidth, MTU 1500.
     */
    public static final LinkConditions PERFECT = builder().build();

    private final double lossProbability;
    private final double duplicationProbability;
    private final double reorderProbability;
    private final Duration reorderExtraDelay;
    private final Duration delay;
    private final Duration jitter;
    private final long bandwidthBitsPerSecond;
    private final int queueLimitBytes;
    private final int mtuBytes;

    final long reorderExtraDelayNanos;
    final long delayNanos;
    final long jitterNanos;

    private LinkConditions(Builder b) {
        lossProbability = b.lossProbability;
        duplicationProbability = b.duplicationProbability;
        reorderProbability = b.reorderProbability;
        reorderExtraDelay = b.reorderExtraDelay;
        delay = b.delay;
        jitter = b.jitter;
        bandwidthBitsPerSecond = b.bandwidthBitsPerSecond;
        queueLimitBytes = b.queueLimitBytes;
        mtuBytes = b.mtuBytes;
        reorderExtraDelayNanos = reorderExtraDelay.toNanos();
        delayNanos = delay.toNanos();
        jitterNanos = jitter.toNanos();
    }

    /** A builder with the defaults of {@link #PERFECT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these conditions. */
    public Builder toBuilder() {
        return new Builder()
                .lossProbability(lossProbability)
                .duplicationProbability(duplicationProbability)
                .reorderProbability(reorderProbability)
                .reorderExtraDelay(reorderExtraDelay)
                .delay(delay)
                .jitter(jitter)
                .bandwidthBitsPerSecond(bandwidthBitsPerSecond)
                .queueLimitBytes(queueLimitBytes)
                .mtuBytes(mtuBytes);
    }

    /** Probability that a datagram is lost; default 0. */
    public double lossProbability() {
        return lossProbability;
    }

    /** Probability that a datagram arrives twice; default 0. */
    public double duplicationProbability() {
        return duplicationProbability;
    }

    /** Probability that a datagram is held back so later ones overtake it; default 0. */
    public double reorderProbability() {
        return reorderProbability;
    }

    /** Upper bound of the extra delay of a reordered datagram; default 10 ms. */
    public Duration reorderExtraDelay() {
        return reorderExtraDelay;
    }

    /** One-way propagation delay; default 1 ms. */
    public Duration delay() {
        return delay;
    }

    /** Half-width of the uniform jitter added to the delay; default 0. */
    public Duration jitter() {
        return jitter;
    }

    /** Bandwidth in bits per second, counting IP and UDP headers; 0 (the default) means unlimited. */
    public long bandwidthBitsPerSecond() {
        return bandwidthBitsPerSecond;
    }

    /** Limit of the transmit queue in bytes when a bandwidth is set; default 256 KiB. */
    public int queueLimitBytes() {
        return queueLimitBytes;
    }

    /** Largest IP packet (payload plus IP and UDP headers) the path carries; default 1500. */
    public int mtuBytes() {
        return mtuBytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkConditions c
                && lossProbability == c.lossProbability
                && duplicationProbability == c.duplicationProbability
                && reorderProbability == c.reorderProbability
                && reorderExtraDelay.equals(c.reorderExtraDelay)
                && delay.equals(c.delay)
                && jitter.equals(c.jitter)
                && bandwidthBitsPerSecond == c.bandwidthBitsPerSecond
                && queueLimitBytes == c.queueLimitBytes
                && mtuBytes == c.mtuBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lossProbability, duplicationProbability, reorderProbability, reorderExtraDelay,
                delay, jitter, bandwidthBitsPerSecond, queueLimitBytes, mtuBytes);
    }

    @Override
    public String toString() {
        return "LinkConditions[loss=" + lossProbability + ", duplication=" + duplicationProbability
                + ", reorder=" + reorderProbability + " (up to " + reorderExtraDelay + ")"
                + ", delay=" + delay + " +/- " + jitter
                + ", bandwidth=" + (bandwidthBitsPerSecond == 0 ? "unlimited" : bandwidthBitsPerSecond + " bit/s")
                + ", queueLimit=" + queueLimitBytes + " B, mtu=" + mtuBytes + " B]";
    }

    /** Builds {@link LinkConditions}; every setter validates its value and says what it expects. */
    public static final class Builder {
        private double lossProbability;
        private double duplicationProbability;
        private double reorderProbability;
        private Duration reorderExtraDelay = DEFAULT_REORDER_EXTRA_DELAY;
        private Duration delay = DEFAULT_DELAY;
        private Duration jitter = Duration.ZERO;
        private long bandwidthBitsPerSecond;
        private int queueLimitBytes = DEFAULT_QUEUE_LIMIT_BYTES;
        private int mtuBytes = DEFAULT_MTU_BYTES;

        private Builder() {
        }

        /** Probability in [0, 1] that a datagram is lost. */
        public Builder lossProbability(double probability) {
            lossProbability = probability("lossProbability", probability);
            return this;
        }

        /** Probability in [0, 1] that a datagram arrives twice. */
        public Builder duplicationProbability(double probability) {
            duplicationProbability = probability("duplicationProbability", probability);
            return this;
        }

        /** Probability in [0, 1] that a datagram is held back by up to {@link #reorderExtraDelay}. */
        public Builder reorderProbability(double probability) {
            reorderProbability = probability("reorderProbability", probability);
            return this;
        }

        /** Upper bound (not negative) of the extra delay of a reordered datagram. */
        public Builder reorderExtraDelay(Duration extraDelay) {
            reorderExtraDelay = nonNegative("reorderExtraDelay", extraDelay);
            return this;
        }

        /** One-way delay, not negative. */
        public Builder delay(Duration oneWayDelay) {
            delay = nonNegative("delay", oneWayDelay);
            return this;
        }

        /** Half-width (not negative) of the uniform jitter; jitter alone never reorders. */
        public Builder jitter(Duration halfWidth) {
            jitter = nonNegative("jitter", halfWidth);
            return this;
        }

        /** Bandwidth in bits per second, counting IP and UDP headers; 0 for unlimited. */
        public Builder bandwidthBitsPerSecond(long bitsPerSecond) {
            if (bitsPerSecond < 0) {
                throw new IllegalArgumentException("bandwidthBitsPerSecond must be 0 (unlimited) or positive, not "
                        + bitsPerSecond);
            }
            bandwidthBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** Limit of the transmit queue in bytes, from 1 to 1 GiB; matters only with a bandwidth. */
        public Builder queueLimitBytes(int limitBytes) {
            if (limitBytes <= 0 || limitBytes > MAX_QUEUE_LIMIT_BYTES) {
                throw new IllegalArgumentException("queueLimitBytes must be between 1 and " + MAX_QUEUE_LIMIT_BYTES
                        + ", not " + limitBytes);
            }
            queueLimitBytes = limitBytes;
            return this;
        }

        /** Largest IP packet the path carries, from {@value #MIN_MTU_BYTES} to {@value #MAX_MTU_BYTES}. */
        public Builder mtuBytes(int mtu) {
            if (mtu < MIN_MTU_BYTES || mtu > MAX_MTU_BYTES) {
                throw new IllegalArgumentException("mtuBytes must be between " + MIN_MTU_BYTES + " and "
                        + MAX_MTU_BYTES + ", not " + mtu);
            }
            mtuBytes = mtu;
            return this;
        }

        /** The conditions. */
        public LinkConditions build() {
            return new LinkConditions(this);
        }

        private static double probability(String name, double p) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1, not " + p);
            }
            return p;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, not " + d);
            }
            if (d.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException(name + " must be at most a year of virtual time, not " + d);
            }
            return d;
        }
    }
}
