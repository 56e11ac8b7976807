package dev.srudp.core.congestion;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic packet-level model of one sender behind one bottleneck, in virtual time (no
 * threads, no sleeps). The sender always has data; it sends a datagram whenever the controller's
 * window and the {@link Pacer} allow. Each datagram queues at a drop-tail bottleneck of
 * {@code rateBitsPerSecond} (dropped if the queue would exceed {@code bufferBytes}), is then lost
 * at random with probability {@code lossRate} (a lossy last hop), and otherwise is delivered and
 * acknowledged, the acknowledgement reaching the sender one base RTT after the datagram left
 * the bottleneck. Every datagram is acknowledged on its own, with no ACK delay.
 *
 * <p>Loss detection approximates RFC 9002, section 6.1: acknowledgements return in send order,
 * so a missing datagram is declared lost when an acknowledgement for a later one arrives (about
 * one RTT after it was sent), or, if none does, by a timeout three RTTs after it was sent. The
 * RTT is estimated as in RFC 9002, section 5.3 and reported to the controller through
 * {@link CongestionController#onRttSample}.
 */
final class BottleneckModel {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    /**
     * The outcome of one run: bytes delivered to the receiver, the largest queueing delay any
     * datagram met over the whole run and from the measurement start on, datagrams sent and
     * dropped (by the queue or at random).
     */
    record Result(long deliveredBytes, long durationNanos, long maxQueueDelayOverallNanos, long maxQueueDelayNanos,
            long sent, long dropped) {
        double goodputMbps() {
            return deliveredBytes * 8.0 * SECOND / durationNanos / 1e6;
        }
    }

    private static final int ACK = 0;
    private static final int LOSS_TIMEOUT = 1;
    private static final int WAKE = 2;

    private record Event(long at, long seq, int kind, Packet packet) {
    }

    private static final class Packet {
        final long number;
        final long sentNanos;
        final int size;
        boolean settled;

        Packet(long number, long sentNanos, int size) {
            this.number = number;
            this.sentNanos = sentNanos;
            this.size = size;
        }
    }

    private final long bytesPerSecond;
    private final long baseRttNanos;
    private final long bufferBytes;
    private final double lossRate;
    private final int datagramSize;
    private final SplittableRandom random;

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final ArrayDeque<Packet> outstanding = new ArrayDeque<>();
    private long seq;
    private long packetNumber;
    private long linkFreeAtNanos;
    private long wakeAtNanos = Long.MAX_VALUE;

    private long smoothedRtt;
    private long rttVar;
    private long minRtt = Long.MAX_VALUE;

    BottleneckModel(long rateBitsPerSecond, long baseRttNanos, long bufferBytes, double lossRate, int datagramSize,
            long seed) {
        this.bytesPerSecond = rateBitsPerSecond / 8;
        this.baseRttNanos = baseRttNanos;
        this.bufferBytes = bufferBytes;
        this.lossRate = lossRate;
        this.datagramSize = datagramSize;
        this.random = new SplittableRandom(seed);
    }

    /** The standard scenario: 100 Mbit/s, 50 ms, a buffer of {@code bufferBdps} bandwidth-delay products. */
    static BottleneckModel standard(double lossRate, double bufferBdps, long seed) {
        long rate = 100_000_000L;
        long rtt = 50 * MS;
        long bdp = rate / 8 * rtt / SECOND;
        return new BottleneckModel(rate, rtt, (long) (bdp * bufferBdps), lossRate, 1200, seed);
    }

    Result run(CongestionController cc, long durationNanos) {
        return run(cc, durationNanos, 0);
    }

    /** Runs for {@code durationNanos}; the maximum queue delay is recorded from {@code measureQueueFromNanos}. */
    Result run(CongestionController cc, long durationNanos, long measureQueueFromNanos) {
        return run(cc, durationNanos, measureQueueFromNanos, now -> { });
    }

    /** As {@link #run(CongestionController, long, long)}, calling {@code afterEvent} with the time after each event. */
    Result run(CongestionController cc, long durationNanos, long measureQueueFromNanos,
            java.util.function.LongConsumer afterEvent) {
        Pacer pacer = new Pacer(datagramSize);
        long now = 0;
        long delivered = 0;
        long sent = 0;
        long dropped = 0;
        long maxQueueDelay = 0;
        long maxQueueDelayOverall = trySend(cc, pacer, now)[2];
        while (!events.isEmpty()) {
            Event e = events.poll();
            now = e.at;
            if (now > durationNanos) {
                break;
            }
            switch (e.kind) {
                case ACK -> {
                    Packet p = e.packet;
                    // everything sent before p and still unsettled was dropped
                    long lostBytes = 0;
                    long newestLost = Long.MIN_VALUE;
                    while (!outstanding.isEmpty() && outstanding.peekFirst().number <= p.number) {
                        Packet q = outstanding.pollFirst();
                        if (q != p && !q.settled) {
                            q.settled = true;
                            lostBytes += q.size;
                            newestLost = q.sentNanos;
                        }
                    }
                    if (p.settled) {
                        throw new IllegalStateException("acknowledged after declared lost");
                    }
                    p.settled = true;
                    delivered += p.size;
                    cc.onPacketAcked(now, p.sentNanos, p.size, smoothedRtt);
                    onRttSample(cc, now, now - p.sentNanos);
                    if (lostBytes > 0) {
                        cc.onPacketsLost(now, newestLost, lostBytes);
                    }
                }
                case LOSS_TIMEOUT -> {
                    long lostBytes = 0;
                    long newestLost = Long.MIN_VALUE;
                    while (!outstanding.isEmpty() && outstanding.peekFirst().number <= e.packet.number) {
                        Packet q = outstanding.pollFirst();
                        if (!q.settled) {
                            q.settled = true;
                            lostBytes += q.size;
                            newestLost = q.sentNanos;
                        }
                    }
                    if (lostBytes > 0) {
                        cc.onPacketsLost(now, newestLost, lostBytes);
                    }
                }
                default -> wakeAtNanos = Long.MAX_VALUE;
            }
            afterEvent.accept(now);
            long[] counters = trySend(cc, pacer, now);
            sent += counters[0];
            dropped += counters[1];
            maxQueueDelayOverall = Math.max(maxQueueDelayOverall, counters[2]);
            if (now >= measureQueueFromNanos) {
                maxQueueDelay = Math.max(maxQueueDelay, counters[2]);
            }
        }
        return new Result(delivered, durationNanos, maxQueueDelayOverall, maxQueueDelay, sent, dropped);
    }

    private void onRttSample(CongestionController cc, long now, long rtt) {
        minRtt = Math.min(minRtt, rtt);
        if (smoothedRtt == 0) {
            smoothedRtt = rtt;
            rttVar = rtt / 2;
        } else {
            rttVar = (3 * rttVar + Math.abs(smoothedRtt - rtt)) / 4;
            smoothedRtt = (7 * smoothedRtt + rtt) / 8;
        }
        cc.onRttSample(now, rtt, minRtt);
    }

    /** Sends what may be sent at {@code now}; returns {sent, dropped, max queue delay seen}. */
    private long[] trySend(CongestionController cc, Pacer pacer, long now) {
        long sent = 0;
        long dropped = 0;
        long maxQueueDelay = 0;
        while (cc.canSend(datagramSize)) {
            long rate = cc.pacingRateBytesPerSecond();
            long at = pacer.nextSendTimeNanos(now, datagramSize, rate);
            if (at > now) {
                if (at < wakeAtNanos) {
                    wakeAtNanos = at;
                    events.add(new Event(at, seq++, WAKE, null));
                }
                break;
            }
            cc.onPacketSent(now, datagramSize);
            pacer.onPacketSent(now, datagramSize, rate);
            sent++;
            Packet p = new Packet(packetNumber++, now, datagramSize);
            outstanding.addLast(p);
            long queueDelay = Math.max(0, linkFreeAtNanos - now);
            long queuedBytes = queueDelay * bytesPerSecond / SECOND;
            maxQueueDelay = Math.max(maxQueueDelay, queueDelay);
            boolean delivered;
            long departure = 0;
            if (queuedBytes + datagramSize > bufferBytes) {
                delivered = false; // drop-tail
            } else {
                departure = Math.max(now, linkFreeAtNanos) + datagramSize * SECOND / bytesPerSecond;
                linkFreeAtNanos = departure;
                delivered = random.nextDouble() >= lossRate;
            }
            if (delivered) {
                events.add(new Event(departure + baseRttNanos, seq++, ACK, p));
            } else {
                dropped++;
                events.add(new Event(now + 3 * baseRttNanos + queueDelay, seq++, LOSS_TIMEOUT, p));
            }
        }
        return new long[] {sent, dropped, maxQueueDelay};
    }
}
