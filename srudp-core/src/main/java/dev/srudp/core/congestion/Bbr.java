package dev.srudp.core.congestion;

import java.util.SplittableRandom;

/**
 * A loss-tolerant congestion controller after BBR version 1, as described in
 * draft-cardwell-iccrg-bbr-congestion-control-00 (cited below as "the draft"; section numbers of
 * -00), with delivery-rate sampling after draft-cheng-iccrg-delivery-rate-estimation-00.
 *
 * <p>BBR models the path by two numbers: the bottleneck bandwidth (a windowed maximum of
 * delivery-rate samples) and the round-trip propagation time (a windowed minimum of RTT samples),
 * and sends at about their product. Packet loss is not an input to that model, so random loss
 * on a wireless or otherwise lossy link does not shrink the window: lost packets are merely not
 * counted as delivered.
 *
 * <p>Deviations from the draft, all deliberate:
 * <ul>
 *   <li>Random loss never reduces the window. The draft's loss recovery (section 4.2.3.4,
 *       "packet conservation" on the first round of recovery) is replaced by an overload rule:
 *       when more than {@value #OVERLOAD_LOSS_PERCENT}% of the bytes settled (acknowledged or
 *       lost) in a round of at least {@value #OVERLOAD_MIN_DATAGRAMS} datagrams were lost, the
 *       window is cut to the bytes then in flight, but never below the estimated
 *       bandwidth-delay product plus quanta ({@code BBRInflight(1.0)}) nor the
 *       4-datagram floor. So at worst the sender stops keeping a standing queue for a while; the
 *       path model itself (delivery rate, minimum RTT) is what limits sending, and a real
 *       bandwidth reduction lowers the delivery-rate samples and thus the estimate within
 *       {@value #BTL_BW_FILTER_ROUNDS} rounds. Startup ends, as in the draft, only on a
 *       bandwidth plateau: random loss scales delivery-rate samples down but does not stop them
 *       from growing while the pipe is not full.</li>
 *   <li>Delivery-rate samples are not marked application-limited (the controller cannot see
 *       the application); the max filter keeps such low samples from lowering the estimate
 *       until they are the only ones in the window.</li>
 *   <li>No idle-restart handling; the {@link Pacer}'s bounded burst limits sending after idle.</li>
 *   <li>Before the first bandwidth sample the pacing rate is the initial window over the
 *       minimum RTT, or over RFC 9002's initial RTT of 333 ms before any RTT sample (the draft
 *       uses 1 ms when no RTT is known).</li>
 * </ul>
 *
 * <p>Loop-owned, not thread-safe; time is passed in, no clock is read.
 */
public final class Bbr implements CongestionController {

    /** The controller's modes (the draft, section 4.3). */
    public enum State {
        STARTUP, DRAIN, PROBE_BW, PROBE_RTT
    }

    /** Gains are in thousandths. */
    static final int GAIN_UNIT = 1000;
    /** Section 4.3.2.1: "BBRHighGain = 2/ln(2) ~= 2.89, the minimum gain value that will allow the sending rate to double each round". */
    static final int HIGH_GAIN = 2885;
    /** Section 4.3.3: Drain "uses a pacing_gain that is the inverse of the value used during Startup". */
    static final int DRAIN_GAIN = 347;
    /** Section 4.3.4.1: "during ProbeBW the cwnd_gain stays constant at two". */
    static final int PROBE_BW_CWND_GAIN = 2000;
    /** Section 4.3.4.1: "It uses an eight-phase cycle with the following pacing_gain values: 5/4, 3/4, 1, 1, 1, 1, 1, 1." */
    private static final int[] PACING_GAIN_CYCLE = {1250, 750, 1000, 1000, 1000, 1000, 1000, 1000};

    /** Section 4.1.1.2: "BtlBwFilterLen = 10 round trips". */
    static final int BTL_BW_FILTER_ROUNDS = 10;
    /** Section 4.1.2.2: "RTpropFilterLen = 10 secs". */
    static final long RTPROP_FILTER_NANOS = 10_000_000_000L;
    /** Section 4.3.5: "ProbeRTTDuration (200 ms)". */
    static final long PROBE_RTT_DURATION_NANOS = 200_000_000L;
    /**
     * Section 4.3.2.2: "If BBR notices that there are several (three) rounds where attempts to
     * double the delivery rate actually result in little increase (less than 25 percent), then it
     * estimates that it has reached BBR.BtlBw".
     */
    static final int FULL_BW_ROUNDS = 3;
    static final int FULL_BW_GROWTH_PERCENT = 125;
    /** Loss above this share of a round's settled bytes is treated as overload, not noise. */
    static final int OVERLOAD_LOSS_PERCENT = 20;
    /** Rounds settling fewer datagrams than this are too small to judge a loss rate from. */
    static final int OVERLOAD_MIN_DATAGRAMS = 20;
    /** RFC 9002, section 6.2.2: "When no previous RTT is available, the initial RTT SHOULD be set to 333 milliseconds." */
    static final long INITIAL_RTT_NANOS = 333_000_000L;
    /** Send snapshots kept at most (grows from the initial size while entries are recent). */
    static final int MAX_SNAPSHOTS = 1 << 18;
    private static final int INITIAL_SNAPSHOTS = 1 << 10;

    private final int maxDatagramSize;
    private final long initialWindow;
    /** Section 4.2.3.3: "a floor of BBRMinPipeCwnd (4 packets, i.e. 4 * MSSS)". */
    private final long minimumWindow;
    private final SplittableRandom random;

    // connection delivery state (delivery-rate estimation draft, section 3)
    private long bytesInFlight;
    private long delivered;
    private long deliveredTimeNanos;
    private long firstSentTimeNanos;
    private long newestAckedSentNanos = Long.MIN_VALUE;

    // per-packet send snapshots, a ring ordered by send time
    private long[] snapSent = new long[INITIAL_SNAPSHOTS];
    private long[] snapDelivered = new long[INITIAL_SNAPSHOTS];
    private long[] snapDeliveredTime = new long[INITIAL_SNAPSHOTS];
    private long[] snapFirstSent = new long[INITIAL_SNAPSHOTS];
    private int snapHead;
    private int snapCount;

    // round counting (section 4.1.1.3)
    private long roundCount;
    private long nextRoundDelivered;
    private boolean roundStart;

    // bottleneck bandwidth: per-round maxima over the last BTL_BW_FILTER_ROUNDS rounds
    private final long[] bwByRound = new long[BTL_BW_FILTER_ROUNDS];
    private final long[] roundOfSlot = new long[BTL_BW_FILTER_ROUNDS];
    private long btlBw;

    // round-trip propagation time (section 4.1.2)
    private long rtProp = Long.MAX_VALUE;
    private long rtPropStampNanos;
    private boolean rtPropExpired;

    // state machine
    private State state = State.STARTUP;
    private int pacingGain = HIGH_GAIN;
    private int cwndGain = HIGH_GAIN;
    private boolean filledPipe;
    private long fullBw;
    private int fullBwCount;
    private int cycleIndex;
    private long cycleStampNanos;
    private long probeRttDoneStampNanos;
    private boolean probeRttRoundDone;
    private long priorCwnd;

    // loss accounting for the overload rule
    private boolean lossSinceLastAck;
    private long lostInRound;
    private long deliveredAtRoundStart;

    private long cwnd;
    private long pacingRate;

    /** A controller for datagrams of at most {@code maxDatagramSize} bytes. */
    public Bbr(int maxDatagramSize) {
        this(maxDatagramSize, 0x5eed_bb5L);
    }

    /**
     * As {@link #Bbr(int)}, with the seed of the random choice of the first PROBE_BW phase
     * (section 4.3.4.2: BBR randomizes "by randomly picking an initial phase, from among all but
     * the 3/4 phase, when entering ProbeBW").
     */
    public Bbr(int maxDatagramSize, long randomSeed) {
        if (maxDatagramSize <= 0) {
            throw new IllegalArgumentException("max datagram size " + maxDatagramSize);
        }
        this.maxDatagramSize = maxDatagramSize;
        // the same initial window as NewReno (RFC 9002, section 7.2)
        this.initialWindow = Math.min(10L * maxDatagramSize, Math.max(14_720L, 2L * maxDatagramSize));
        this.minimumWindow = 4L * maxDatagramSize;
        this.random = new SplittableRandom(randomSeed);
        this.cwnd = initialWindow;
        this.pacingRate = nominalPacingRate();
    }

    // ------------------------------------------------------------------ callbacks

    @Override
    public void onPacketSent(long nowNanos, int bytes) {
        // delivery-rate estimation draft, section 3: when nothing is in flight, the sending and the
        // delivery clocks both restart now, so that idle time does not dilute the next sample
        if (bytesInFlight == 0) {
            firstSentTimeNanos = nowNanos;
            deliveredTimeNanos = nowNanos;
        }
        recordSnapshot(nowNanos);
        bytesInFlight += bytes;
    }

    @Override
    public void onPacketAcked(long nowNanos, long sentNanos, int bytes, long smoothedRttNanos) {
        long priorInflight = bytesInFlight;
        bytesInFlight = Math.max(0, bytesInFlight - bytes);
        delivered += bytes;
        deliveredTimeNanos = nowNanos;
        roundStart = false;

        int snap = findSnapshot(sentNanos);
        if (snap >= 0) {
            long priorDelivered = snapDelivered[snap];
            // section 4.1.1.3: "if (packet.delivered >= BBR.next_round_delivered)" a new round starts
            if (priorDelivered >= nextRoundDelivered) {
                nextRoundDelivered = delivered;
                roundCount++;
                roundStart = true;
            }
            // the delivery-rate sample of this packet (delivery-rate estimation draft, section 3): the
            // data delivered since the packet was sent, over the longer of the sending interval and
            // the acknowledgement interval, since the bottleneck cannot deliver faster than the data
            // was sent, nor faster than acknowledgements reveal
            long sendElapsed = sentNanos - snapFirstSent[snap];
            long ackElapsed = nowNanos - snapDeliveredTime[snap];
            if (sentNanos >= newestAckedSentNanos) {
                newestAckedSentNanos = sentNanos;
                firstSentTimeNanos = sentNanos;
            }
            // an interval shorter than the minimum RTT gives no reliable sample (it would measure
            // ACK compression, not the path), as in that draft
            long interval = Math.max(sendElapsed, ackElapsed);
            if (interval > 0 && (rtProp == Long.MAX_VALUE || interval >= rtProp)) {
                updateBtlBw(Rates.bytesPerSecond(delivered - priorDelivered, interval));
            }
            // section 4.1.2.3: "packet.rtt = Now() - packet.send_time" (including the peer's ACK delay)
            updateRtProp(nowNanos, nowNanos - sentNanos);
        }
        if (roundStart) {
            checkOverload();
        }
        updateModelAndState(nowNanos, priorInflight);
        lossSinceLastAck = false;
        setPacingRate(pacingGain);
        setCwnd(bytes);
    }

    @Override
    public void onPacketsLost(long nowNanos, long largestLostSentNanos, long lostBytes) {
        bytesInFlight = Math.max(0, bytesInFlight - lostBytes);
        lostInRound += lostBytes;
        lossSinceLastAck = true;
        // Deliberately no window reduction: see the class comment and checkOverload().
    }

    @Override
    public void onPacketDiscarded(int bytes) {
        bytesInFlight = Math.max(0, bytesInFlight - bytes);
    }

    @Override
    public void onRttSample(long nowNanos, long latestRttNanos, long minRttNanos) {
        if (latestRttNanos > 0) {
            updateRtProp(nowNanos, latestRttNanos);
        }
    }

    @Override
    public long windowBytes() {
        return cwnd;
    }

    @Override
    public long bytesInFlight() {
        return bytesInFlight;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return pacingRate;
    }

    // ------------------------------------------------------------------ observers

    public State state() {
        return state;
    }

    /** The bottleneck bandwidth estimate in bytes per second, 0 before any sample. */
    public long bottleneckBandwidthBytesPerSecond() {
        return btlBw;
    }

    /** The round-trip propagation time estimate, or {@code Long.MAX_VALUE} before any sample. */
    public long minRttNanos() {
        return rtProp;
    }

    /** Rounds counted so far (section 4.1.1.3). */
    public long roundCount() {
        return roundCount;
    }

    /** The current pacing gain in thousandths. */
    public int pacingGainPermille() {
        return pacingGain;
    }

    // ------------------------------------------------------------------ send snapshots

    private void recordSnapshot(long nowNanos) {
        int capacity = snapSent.length;
        if (snapCount == capacity) {
            long oldest = snapSent[snapHead];
            long horizon = 4 * (rtProp == Long.MAX_VALUE ? INITIAL_RTT_NANOS : Math.max(rtProp, 1_000_000L));
            if (nowNanos - oldest < horizon && capacity < MAX_SNAPSHOTS) {
                growSnapshots();
            } else {
                snapHead = (snapHead + 1) % capacity;
                snapCount--;
            }
        }
        int at = (snapHead + snapCount) % snapSent.length;
        snapSent[at] = nowNanos;
        snapDelivered[at] = delivered;
        snapDeliveredTime[at] = deliveredTimeNanos;
        snapFirstSent[at] = firstSentTimeNanos;
        snapCount++;
    }

    private void growSnapshots() {
        int n = snapSent.length;
        snapSent = unroll(snapSent, n * 2);
        snapDelivered = unroll(snapDelivered, n * 2);
        snapDeliveredTime = unroll(snapDeliveredTime, n * 2);
        snapFirstSent = unroll(snapFirstSent, n * 2);
        snapHead = 0;
    }

    private long[] unroll(long[] ring, int newLength) {
        long[] out = new long[newLength];
        for (int i = 0; i < snapCount; i++) {
            out[i] = ring[(snapHead + i) % ring.length];
        }
        return out;
    }

    /** The ring index of the first snapshot taken at {@code sentNanos}, or -1 if none is kept. */
    private int findSnapshot(long sentNanos) {
        int n = snapSent.length;
        int lo = 0;
        int hi = snapCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (snapSent[(snapHead + mid) % n] - sentNanos < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < snapCount && snapSent[(snapHead + lo) % n] == sentNanos) {
            return (snapHead + lo) % n;
        }
        return -1;
    }

    // ------------------------------------------------------------------ model

    private void updateBtlBw(long sample) {
        // section 4.1.1.5: "BBR.BtlBw = update_windowed_max_filter(filter=BBR.BtlBwFilter,
        // value=rs.delivery_rate, time=BBR.round_count, window_length=BtlBwFilterLen)"; here the
        // filter keeps the largest sample of each of the last BtlBwFilterLen rounds
        int slot = (int) (roundCount % BTL_BW_FILTER_ROUNDS);
        if (roundOfSlot[slot] != roundCount) {
            roundOfSlot[slot] = roundCount;
            bwByRound[slot] = sample;
        } else if (sample > bwByRound[slot]) {
            bwByRound[slot] = sample;
        }
        long max = 0;
        for (int i = 0; i < BTL_BW_FILTER_ROUNDS; i++) {
            if (roundCount - roundOfSlot[i] < BTL_BW_FILTER_ROUNDS && bwByRound[i] > max) {
                max = bwByRound[i];
            }
        }
        btlBw = max;
    }

    private void updateRtProp(long nowNanos, long rttNanos) {
        // section 4.1.2.3, BBRUpdateRTprop: "BBR.rtprop_expired = Now() > BBR.rtprop_stamp +
        // RTpropFilterLen", then "if (packet.rtt >= 0 and (packet.rtt <= BBR.RTprop or
        // BBR.rtprop_expired))" the sample becomes the new estimate
        rtPropExpired = rtProp != Long.MAX_VALUE && nowNanos - rtPropStampNanos > RTPROP_FILTER_NANOS;
        if (rttNanos >= 0 && (rttNanos <= rtProp || rtPropExpired)) {
            rtProp = rttNanos;
            rtPropStampNanos = nowNanos;
        }
    }

    /** The overload rule that replaces the draft's loss recovery (see the class comment). */
    private void checkOverload() {
        long deliveredInRound = delivered - deliveredAtRoundStart;
        long settled = deliveredInRound + lostInRound;
        if (settled >= (long) OVERLOAD_MIN_DATAGRAMS * maxDatagramSize
                && lostInRound * 100 > settled * OVERLOAD_LOSS_PERCENT) {
            cwnd = Math.max(Math.min(cwnd, bytesInFlight), Math.max(minimumWindow, inflight(GAIN_UNIT)));
        }
        lostInRound = 0;
        deliveredAtRoundStart = delivered;
    }

    private void updateModelAndState(long nowNanos, long priorInflight) {
        if (roundStart) {
            checkFullPipe();
        }
        checkDrain(nowNanos);
        if (state == State.PROBE_BW) {
            updateGainCyclePhase(nowNanos, priorInflight);
        }
        checkProbeRtt(nowNanos);
    }

    private void checkFullPipe() {
        // section 4.3.2.2, BBRCheckFullPipe: "if (BBR.BtlBw >= BBR.full_bw * 1.25)  // BBR.BtlBw still
        // growing?" records a new baseline; otherwise one more round without much growth
        if (filledPipe) {
            return;
        }
        if (btlBw * 100 >= fullBw * FULL_BW_GROWTH_PERCENT) {
            fullBw = btlBw;
            fullBwCount = 0;
            return;
        }
        fullBwCount++;
        if (fullBwCount >= FULL_BW_ROUNDS) {
            filledPipe = true;
        }
    }

    private void checkDrain(long nowNanos) {
        // section 4.3.3: leave Startup when the pipe is full, leave Drain when
        // "packets_in_flight <= BBRInflight(1.0)"
        if (state == State.STARTUP && filledPipe) {
            state = State.DRAIN;
            pacingGain = DRAIN_GAIN;
            cwndGain = HIGH_GAIN;
        }
        if (state == State.DRAIN && bytesInFlight <= inflight(GAIN_UNIT)) {
            enterProbeBw(nowNanos);
        }
    }

    private void enterProbeBw(long nowNanos) {
        // section 4.3.4.3: "BBR.cycle_index = BBRGainCycleLen - 1 - random_int_in_range(0..6)"
        state = State.PROBE_BW;
        cwndGain = PROBE_BW_CWND_GAIN;
        cycleIndex = PACING_GAIN_CYCLE.length - 1 - random.nextInt(PACING_GAIN_CYCLE.length - 1);
        advanceCyclePhase(nowNanos);
    }

    private void advanceCyclePhase(long nowNanos) {
        cycleStampNanos = nowNanos;
        cycleIndex = (cycleIndex + 1) % PACING_GAIN_CYCLE.length;
        pacingGain = PACING_GAIN_CYCLE[cycleIndex];
    }

    private void updateGainCyclePhase(long nowNanos, long priorInflight) {
        // section 4.3.4.3, BBRIsNextCyclePhase: each phase lasts about one RTprop; the probing
        // phase may run longer until inflight reaches its target (or loss shows the pipe is full),
        // the draining phase may end early once inflight is down to the estimated BDP
        boolean fullLength = rtProp != Long.MAX_VALUE && nowNanos - cycleStampNanos > rtProp;
        boolean next;
        if (pacingGain == GAIN_UNIT) {
            next = fullLength;
        } else if (pacingGain > GAIN_UNIT) {
            next = fullLength && (lossSinceLastAck || priorInflight >= inflight(pacingGain));
        } else {
            next = fullLength || priorInflight <= inflight(GAIN_UNIT);
        }
        if (next) {
            advanceCyclePhase(nowNanos);
        }
    }

    private void checkProbeRtt(long nowNanos) {
        // section 4.3.5, BBRCheckProbeRTT (without idle restart, see the class comment)
        if (state != State.PROBE_RTT && rtPropExpired) {
            state = State.PROBE_RTT;
            pacingGain = GAIN_UNIT;
            cwndGain = GAIN_UNIT;
            priorCwnd = cwnd; // section 4.2.3.4, BBRSaveCwnd
            probeRttDoneStampNanos = 0;
            rtPropExpired = false;
        }
        if (state == State.PROBE_RTT) {
            handleProbeRtt(nowNanos);
        }
    }

    private void handleProbeRtt(long nowNanos) {
        // "if (BBR.probe_rtt_done_stamp == 0 and packets_in_flight <= BBRMinPipeCwnd)
        //    BBR.probe_rtt_done_stamp = Now() + ProbeRTTDuration ..."
        if (probeRttDoneStampNanos == 0) {
            if (bytesInFlight <= minimumWindow) {
                probeRttDoneStampNanos = nowNanos + PROBE_RTT_DURATION_NANOS;
                if (probeRttDoneStampNanos == 0) {
                    probeRttDoneStampNanos = 1;
                }
                probeRttRoundDone = false;
                nextRoundDelivered = delivered;
            }
            return;
        }
        if (roundStart) {
            probeRttRoundDone = true;
        }
        if (probeRttRoundDone && nowNanos - probeRttDoneStampNanos > 0) {
            // "BBR.rtprop_stamp = Now(); BBRRestoreCwnd(); BBRExitProbeRTT()"
            rtPropStampNanos = nowNanos;
            cwnd = Math.max(cwnd, priorCwnd);
            if (filledPipe) {
                enterProbeBw(nowNanos);
            } else {
                state = State.STARTUP;
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
            }
        }
    }

    // ------------------------------------------------------------------ control

    /**
     * Section 4.2.3.2, BBRInflight: {@code gain * BDP} plus "quanta = 3*BBR.send_quantum" (here
     * three full datagrams, since this transport sends one datagram at a time), or the initial
     * window before an RTT is known.
     */
    long inflight(int gain) {
        if (rtProp == Long.MAX_VALUE) {
            return initialWindow;
        }
        long bdp = Rates.bytesOver(btlBw, rtProp);
        return Rates.mulDiv(bdp, gain, GAIN_UNIT) + 3L * maxDatagramSize;
    }

    private void setPacingRate(int gain) {
        if (btlBw == 0) {
            pacingRate = Math.max(pacingRate, nominalPacingRate());
            return;
        }
        // section 4.2.1: "rate = pacing_gain * BBR.BtlBw; if (BBR.filled_pipe || rate > BBR.pacing_rate)"
        long rate = Rates.mulDiv(btlBw, gain, GAIN_UNIT);
        if (filledPipe || rate > pacingRate) {
            pacingRate = Math.max(rate, 1);
        }
    }

    private long nominalPacingRate() {
        long rtt = rtProp == Long.MAX_VALUE ? INITIAL_RTT_NANOS : Math.max(rtProp, 1_000_000L);
        return Rates.mulDiv(Rates.bytesPerSecond(initialWindow, rtt), pacingGain, GAIN_UNIT);
    }

    private void setCwnd(long ackedBytes) {
        // section 4.2.3.6, BBRSetCwnd (without the loss-recovery modulation, see class comment)
        long target = inflight(cwndGain);
        if (filledPipe) {
            cwnd = Math.min(cwnd + ackedBytes, target);
        } else if (cwnd < target || delivered < initialWindow) {
            cwnd += ackedBytes;
        }
        cwnd = Math.max(cwnd, minimumWindow);
        // section 4.2.3.5, BBRModulateCwndForProbeRTT
        if (state == State.PROBE_RTT) {
            cwnd = Math.min(cwnd, minimumWindow);
        }
    }
}
