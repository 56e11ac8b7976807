package dev.srudp.testkit;

import dev.srudp.core.net.Engine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A deterministic virtual network that drives real {@link Engine}s with a virtual clock.
 *
 * <p>Nodes are {@linkplain #attach attached} with the addresses they own. Datagrams travel over
 * per-direction links whose {@link LinkConditions} decide loss, duplication, reordering, delay,
 * bandwidth and MTU. Nothing happens between events: {@link #runFor}, {@link #runUntil} and
 * {@link #step} take the earliest event from the queue, move the {@link #clock() clock} to its
 * time and run it. Given the same seed, the same nodes and the same calls, every run produces the
 * same events at the same virtual times; see the package documentation for how to reproduce a
 * failure.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(seed, LinkConditions.builder().lossProbability(0.02).build());
 * net.attach(clientEngine, CLIENT);
 * net.attach(serverEngine, SERVER);
 * net.runUntilOrFail(client::isConnected, Duration.ofSeconds(10), "client connected");
 * }</pre>
 *
 * <p>Not thread-safe: everything, including the engines' wakeups, must happen on the thread that
 * created the network. Code that plays the application schedules itself with {@link #schedule}.
 */
public final class SimNetwork {

    /** Default limit of datagrams one node may emit in one service: 100,000. */
    public static final int DEFAULT_MAX_DATAGRAMS_PER_SERVICE = 100_000;
    /** Default limit of events run without the virtual clock advancing: 10,000,000. */
    public static final long DEFAULT_MAX_EVENTS_WITHOUT_TIME_ADVANCE = 10_000_000L;

    /** Larger than any UDP payload. */
    private static final int BUFFER_BYTES = 64 * 1024;

    private final long seed;
    private final LinkConditions defaultConditions;
    private final int maxDatagramsPerService;
    private final long maxEventsWithoutTimeAdvance;
    private final Thread ownerThread = Thread.currentThread();

    private final VirtualClock clock = new VirtualClock();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long nextEventSequence;
    private long eventsAtCurrentTime;
    private boolean running;

    private final Map<InetSocketAddress, SimNode> owners = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<Link.Key, Link> links = new HashMap<>();
    private final Counters offLink = new Counters();
    private final List<Tap> taps = new ArrayList<>();
    private final List<Middlebox> middleboxes = new ArrayList<>();
    private final Injector injector = this::inject;

    private final ByteBuffer transmitBuffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(BUFFER_BYTES);

    /**
     * A network with the default guards.
     *
     * @param seed              the seed of all randomness; the same seed replays the same run
     * @param defaultConditions the conditions of every link not set with {@link #link}
     */
    public SimNetwork(long seed, LinkConditions defaultConditions) {
        this(builder(seed).defaultConditions(defaultConditions));
    }

    private SimNetwork(Builder b) {
        this.seed = b.seed;
        this.defaultConditions = b.defaultConditions;
        this.maxDatagramsPerService = b.maxDatagramsPerService;
        this.maxEventsWithoutTimeAdvance = b.maxEventsWithoutTimeAdvance;
    }

    /** A builder for a network with the given seed. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The seed this network was made with; print it with any failure. */
    public long seed() {
        return seed;
    }

    /** The virtual clock. */
    public VirtualClock clock() {
        return clock;
    }

    /** The current virtual time in nanoseconds. */
    public long nowNanos() {
        return clock.nowNanos();
    }

    // ---------------------------------------------------------------- topology

    /**
     * Attaches an engine that owns the given local addresses, installs its wakeup, and schedules a
     * first service at the current virtual time (so an engine that has something to send from
     * the start sends it).
     *
     * @throws IllegalArgumentException if no address is given, an address is unresolved, or an
     *                                  address already belongs to a node
     */
    public SimNode attach(Engine engine, InetSocketAddress... localAddresses) {
        Objects.requireNonNull(engine, "engine");
        if (localAddresses.length == 0) {
            throw new IllegalArgumentException("attach needs at least one local address for the engine");
        }
        for (InetSocketAddress address : localAddresses) {
            Objects.requireNonNull(address, "local address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("local address " + address
                        + " is unresolved; use an IP literal such as new InetSocketAddress(\"10.0.0.1\", 4433)");
            }
            if (owners.containsKey(address)) {
                throw new IllegalArgumentException("address " + address + " already belongs to " + owners.get(address));
            }
        }
        if (Arrays.stream(localAddresses).distinct().count() != localAddresses.length) {
            throw new IllegalArgumentException("duplicate local address in " + Arrays.toString(localAddresses));
        }
        SimNode node = new SimNode(this, engine, List.of(localAddresses));
        for (InetSocketAddress address : localAddresses) {
            owners.put(address, node);
        }
        nodes.add(node);
        engine.setWakeup(() -> wakeup(node));
        wakeup(node);
        return node;
    }

    /**
     * Gives {@code node} one more local address (an extra socket its engine opened); datagrams to
     * it reach the node, and the node may send from it.
     *
     * @throws IllegalArgumentException if the address is unresolved or already owned
     */
    public void addAddress(SimNode node, InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved() || owners.containsKey(address)) {
            throw new IllegalArgumentException("address " + address + " is unresolved or already owned");
        }
        owners.put(address, node);
    }

    /** Takes away an address {@link #addAddress} gave (a closed socket); returns whether it was owned. */
    public boolean removeAddress(InetSocketAddress address) {
        return owners.remove(address) != null;
    }

    /** Whether some node owns {@code address}. */
    public boolean isOwned(InetSocketAddress address) {
        return owners.containsKey(address);
    }

    /**
     * Sets the conditions of the direction {@code from -> to}. May be called during a run: the
     * link keeps its queue, its FIFO state and its random stream.
     */
    public void link(InetSocketAddress from, InetSocketAddress to, LinkConditions conditions) {
        Objects.requireNonNull(conditions, "conditions");
        linkFor(from, to).conditions = conditions;
    }

    /** Sets the same conditions for both directions between {@code a} and {@code b}. */
    public void linkBothWays(InetSocketAddress a, InetSocketAddress b, LinkConditions conditions) {
        link(a, b, conditions);
        link(b, a, conditions);
    }

    /** Adds a tap that sees, and may drop, every datagram a node sends; see {@link Tap}. */
    public void addTap(Tap tap) {
        taps.add(Objects.requireNonNull(tap, "tap"));
    }

    /** Removes a tap added earlier; returns whether it was present. */
    public boolean removeTap(Tap tap) {
        return taps.remove(tap);
    }

    /** Adds a middlebox that may rewrite or drop datagrams as they leave senders and reach receivers. */
    public void addMiddlebox(Middlebox middlebox) {
        middleboxes.add(Objects.requireNonNull(middlebox, "middlebox"));
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Puts a datagram on the network at {@code atNanos}, as described in {@link Injector}; this is
     * the injector handed to taps.
     */
    public void inject(Datagram datagram, long atNanos) {
        Objects.requireNonNull(datagram, "datagram");
        requireNotPast(atNanos);
        schedule(new Injection(datagram), atNanos);
    }

    /** Runs {@code action} on the simulator's thread after {@code delay} of virtual time. */
    public void schedule(Duration delay, Runnable action) {
        scheduleAt(addSaturated(clock.nowNanos(), nanos("delay", delay)), action);
    }

    /** Runs {@code action} on the simulator's thread at virtual time {@code atNanos}. */
    public void scheduleAt(long atNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        requireNotPast(atNanos);
        schedule(new Action(action), atNanos);
    }

    void wakeup(SimNode node) {
        if (Thread.currentThread() != ownerThread) {
            throw new IllegalStateException("wakeup of " + node + " from thread " + Thread.currentThread().getName()
                    + ": the simulated network is single-threaded; run application code with SimNetwork.schedule");
        }
        if (!node.wakeupPending) {
            node.wakeupPending = true;
            schedule(new Wakeup(node), clock.nowNanos());
        }
    }

    // ---------------------------------------------------------------- running

    /** Runs the earliest event, if any; returns whether there was one. */
    public boolean step() {
        enter();
        try {
            Event event = events.poll();
            if (event == null) {
                return false;
            }
            run(event);
            return true;
        } finally {
            running = false;
        }
    }

    /** Runs every event due within {@code duration} of virtual time, then moves the clock to its end. */
    public void runFor(Duration duration) {
        long deadline = addSaturated(clock.nowNanos(), nanos("duration", duration));
        enter();
        try {
            for (Event next = events.peek(); next != null && next.timeNanos <= deadline; next = events.peek()) {
                run(events.poll());
            }
            clock.advanceTo(deadline);
        } finally {
            running = false;
        }
    }

    /**
     * Runs events until {@code condition} holds (checked before the first event and after each
     * one) or until {@code maxVirtualTime} has passed. Returns whether the condition holds; if not,
     * the clock stands at the end of {@code maxVirtualTime}.
     */
    public boolean runUntil(BooleanSupplier condition, Duration maxVirtualTime) {
        Objects.requireNonNull(condition, "condition");
        long deadline = addSaturated(clock.nowNanos(), nanos("maxVirtualTime", maxVirtualTime));
        if (condition.getAsBoolean()) {
            return true;
        }
        enter();
        try {
            for (Event next = events.peek(); next != null && next.timeNanos <= deadline; next = events.peek()) {
                run(events.poll());
                if (condition.getAsBoolean()) {
                    return true;
                }
            }
            clock.advanceTo(deadline);
        } finally {
            running = false;
        }
        return condition.getAsBoolean();
    }

    /**
     * Like {@link #runUntil}, but throws an {@link AssertionError} naming {@code what}, the seed,
     * the virtual time and the statistics when the condition is not reached in time.
     */
    public void runUntilOrFail(BooleanSupplier condition, Duration maxVirtualTime, String what) {
        if (!runUntil(condition, maxVirtualTime)) {
            throw new AssertionError("expected " + what + " within " + maxVirtualTime + " of virtual time, but it did not happen; "
                    + describe());
        }
    }

    /** The seed, the virtual time and the statistics, for failure messages. */
    public String describe() {
        return "seed " + seed + " (reproduce with the same seed), virtual time " + clock.nowNanos() + " ns ("
                + (clock.nowNanos() - VirtualClock.START_NANOS) + " ns after start), " + stats();
    }

    /** Counters of the whole network, summed over all links. */
    public SimStats stats() {
        Counters total = new Counters();
        offLink.addTo(total);
        for (Link link : links.values()) {
            link.counters.addTo(total);
        }
        return new SimStats(total);
    }

    /** Counters of the direction {@code from -> to} (all zero if nothing used it). */
    public SimStats linkStats(InetSocketAddress from, InetSocketAddress to) {
        Link link = links.get(new Link.Key(from, to));
        return new SimStats(link == null ? new Counters() : link.counters);
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", now=" + clock.nowNanos() + " ns, nodes=" + nodes.size()
                + ", pending events=" + events.size() + "]";
    }

    // ---------------------------------------------------------------- the event loop

    private void enter() {
        if (running) {
            throw new IllegalStateException("the simulated network is already running; do not run it from inside an event");
        }
        if (Thread.currentThread() != ownerThread) {
            throw new IllegalStateException("the simulated network must be run on the thread that created it");
        }
        running = true;
    }

    private void run(Event event) {
        if (event.timeNanos != clock.nowNanos()) {
            clock.advanceTo(event.timeNanos);
            eventsAtCurrentTime = 0;
        }
        if (++eventsAtCurrentTime > maxEventsWithoutTimeAdvance) {
            throw new IllegalStateException("virtual time is stuck at " + clock.nowNanos() + " ns after "
                    + maxEventsWithoutTimeAdvance + " events; " + busiestNodeNow()
                    + " keeps asking to be served again at the same time (a timer that is always due, or a wakeup on"
                    + " every poll); seed " + seed);
        }
        event.fire();
    }

    private String busiestNodeNow() {
        SimNode busiest = null;
        for (SimNode node : nodes) {
            if (node.servicesAtNanos == clock.nowNanos()
                    && (busiest == null || node.servicesAtTime > busiest.servicesAtTime)) {
                busiest = node;
            }
        }
        return busiest == null ? "no node (scheduled actions or injections)"
                : busiest + ", served " + busiest.servicesAtTime + " times at this instant,";
    }

    private void schedule(Event event, long atNanos) {
        event.timeNanos = atNanos;
        event.sequence = nextEventSequence++;
        events.add(event);
    }

    /** Runs the node's due timers, sends everything it has to send, and re-arms its timer. */
    private void service(SimNode node) {
        long now = clock.nowNanos();
        if (node.servicesAtNanos != now) {
            node.servicesAtNanos = now;
            node.servicesAtTime = 0;
        }
        node.servicesAtTime++;
        Engine engine = node.engine();
        if (engine.nextTimeoutNanos() <= now) {
            engine.onTimeout(now);
        }
        int emitted = 0;
        ByteBuffer out = transmitBuffer;
        for (;;) {
            out.clear();
            Engine.Transmit transmit = engine.pollTransmit(now, out);
            if (transmit == null) {
                break;
            }
            if (++emitted > maxDatagramsPerService) {
                throw new IllegalStateException(node + " emitted more than " + maxDatagramsPerService
                        + " datagrams in one service at virtual time " + now + " ns; its pollTransmit never returns null;"
                        + " seed " + seed);
            }
            emit(node, transmit, Arrays.copyOf(out.array(), out.position()));
        }
        rearmTimer(node, now);
    }

    /**
     * Keeps one live timer event per node, at the earliest deadline the engine asked for. A later
     * deadline does not move the queued event: it fires early, the service finds nothing due, and
     * re-arms; this keeps the queue free of stale timers when an engine pushes its deadline on
     * every packet.
     */
    private void rearmTimer(SimNode node, long now) {
        long deadline = node.engine().nextTimeoutNanos();
        if (deadline == Engine.NO_TIMEOUT || deadline >= node.armedTimerNanos) {
            return;
        }
        long at = Math.max(deadline, now);
        node.armedTimerNanos = at;
        node.timerGeneration++;
        schedule(new Timer(node, node.timerGeneration), at);
    }

    private void emit(SimNode node, Engine.Transmit transmit, byte[] payload) {
        long now = clock.nowNanos();
        if (transmit.local() == null || transmit.remote() == null || owners.get(transmit.local()) != node) {
            offLink.droppedNoRoute++;
            return;
        }
        Datagram datagram = new Datagram(transmit.local(), transmit.remote(), payload);
        for (Middlebox middlebox : middleboxes) {
            datagram = middlebox.outbound(datagram, now);
            if (datagram == null) {
                offLink.droppedByMiddlebox++;
                return;
            }
        }
        Link link = linkFor(datagram.from(), datagram.to());
        for (Tap tap : taps) {
            if (!tap.onDatagram(now, datagram, injector)) {
                link.counters.droppedByTap++;
                return;
            }
        }
        transmit(link, datagram, now);
    }

    /** Applies the link's conditions, in the order documented in {@link LinkConditions}. */
    private void transmit(Link link, Datagram datagram, long now) {
        Counters counters = link.counters;
        LinkConditions conditions = link.conditions;
        int length = datagram.length();
        counters.sent++;
        counters.bytesSent += length;
        int packetBytes = length + link.headerOverheadBytes;
        if (packetBytes > conditions.mtuBytes()) {
            counters.droppedMtu++;
            return;
        }
        long departure = now;
        long bandwidth = conditions.bandwidthBitsPerSecond();
        if (bandwidth > 0) {
            // The queue holds what is not yet serialized; compared in time, so the arithmetic is exact.
            long backlogNanos = Math.max(0, link.busyUntilNanos - now);
            long packetNanos = serializationNanos(packetBytes, bandwidth);
            if (backlogNanos + packetNanos > serializationNanos(conditions.queueLimitBytes(), bandwidth)) {
                counters.droppedQueueFull++;
                return;
            }
            departure = Math.max(now, link.busyUntilNanos) + packetNanos;
            link.busyUntilNanos = departure;
        }
        var random = link.random;
        if (conditions.lossProbability() > 0 && random.nextDouble() < conditions.lossProbability()) {
            counters.lost++;
            return;
        }
        long arrival;
        if (conditions.reorderProbability() > 0 && random.nextDouble() < conditions.reorderProbability()) {
            counters.reordered++;
            long extra = conditions.reorderExtraDelayNanos > 0 ? 1 + random.nextLong(conditions.reorderExtraDelayNanos) : 0;
            arrival = departure + conditions.delayNanos + extra;
        } else {
            arrival = inOrderArrival(link, conditions, departure);
        }
        schedule(new Delivery(link, datagram), arrival);
        if (conditions.duplicationProbability() > 0 && random.nextDouble() < conditions.duplicationProbability()) {
            counters.duplicated++;
            schedule(new Delivery(link, datagram), inOrderArrival(link, conditions, departure));
        }
    }

    private static long inOrderArrival(Link link, LinkConditions conditions, long departure) {
        long arrival = departure + conditions.delayNanos;
        if (conditions.jitterNanos > 0) {
            arrival += link.random.nextLong(-conditions.jitterNanos, conditions.jitterNanos + 1);
        }
        arrival = Math.max(arrival, Math.max(departure, link.lastInOrderArrivalNanos));
        link.lastInOrderArrivalNanos = arrival;
        return arrival;
    }

    private static long serializationNanos(long packetBytes, long bitsPerSecond) {
        long bitNanos = packetBytes * 8L * 1_000_000_000L;
        long nanos = bitNanos / bitsPerSecond;
        return bitNanos % bitsPerSecond == 0 ? nanos : nanos + 1;
    }

    private void deliver(Link link, Datagram arriving) {
        long now = clock.nowNanos();
        Datagram datagram = arriving;
        for (Middlebox middlebox : middleboxes) {
            datagram = middlebox.inbound(datagram, now);
            if (datagram == null) {
                link.counters.droppedByMiddlebox++;
                return;
            }
        }
        SimNode node = owners.get(datagram.to());
        if (node == null) {
            link.counters.droppedNoRoute++;
            return;
        }
        link.counters.delivered++;
        link.counters.bytesDelivered += datagram.length();
        byte[] payload = datagram.payloadView();
        // A fresh copy per delivery: an engine may decrypt in place, and a duplicate shares the payload.
        ByteBuffer in = payload.length <= receiveBuffer.capacity() ? receiveBuffer.clear() : ByteBuffer.allocate(payload.length);
        in.put(payload).flip();
        node.engine().onDatagram(now, datagram.to(), datagram.from(), in);
        service(node);
    }

    private Link linkFor(InetSocketAddress from, InetSocketAddress to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Link.Key key = new Link.Key(from, to);
        Link link = links.get(key);
        if (link == null) {
            link = new Link(key, defaultConditions, seed);
            links.put(key, link);
        }
        return link;
    }

    private void requireNotPast(long atNanos) {
        if (atNanos < clock.nowNanos()) {
            throw new IllegalArgumentException("cannot schedule at " + atNanos + " ns: virtual time is already "
                    + clock.nowNanos() + " ns");
        }
    }

    private static long nanos(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, not " + duration);
        }
        return duration.toNanos();
    }

    private static long addSaturated(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    // ---------------------------------------------------------------- events

    /** An event, ordered by time and then by the order it was scheduled in. */
    private abstract static class Event implements Comparable<Event> {
        long timeNanos;
        long sequence;

        abstract void fire();

        @Override
        public final int compareTo(Event other) {
            int byTime = Long.compare(timeNanos, other.timeNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final class Delivery extends Event {
        private final Link link;
        private final Datagram datagram;

        Delivery(Link link, Datagram datagram) {
            this.link = link;
            this.datagram = datagram;
        }

        @Override
        void fire() {
            deliver(link, datagram);
        }
    }

    private final class Injection extends Event {
        private final Datagram datagram;

        Injection(Datagram datagram) {
            this.datagram = datagram;
        }

        @Override
        void fire() {
            Link link = linkFor(datagram.from(), datagram.to());
            link.counters.injected++;
            transmit(link, datagram, clock.nowNanos());
        }
    }

    private final class Timer extends Event {
        private final SimNode node;
        private final long generation;

        Timer(SimNode node, long generation) {
            this.node = node;
            this.generation = generation;
        }

        @Override
        void fire() {
            if (generation == node.timerGeneration) {
                node.armedTimerNanos = Engine.NO_TIMEOUT;
                service(node);
            }
        }
    }

    private final class Wakeup extends Event {
        private final SimNode node;

        Wakeup(SimNode node) {
            this.node = node;
        }

        @Override
        void fire() {
            node.wakeupPending = false;
            service(node);
        }
    }

    private static final class Action extends Event {
        private final Runnable action;

        Action(Runnable action) {
            this.action = action;
        }

        @Override
        void fire() {
            action.run();
        }
    }

    /** Builds a {@link SimNetwork}; every setter validates its value. */
    public static final class Builder {
        private final long seed;
        private LinkConditions defaultConditions = LinkConditions.PERFECT;
        private int maxDatagramsPerService = DEFAULT_MAX_DATAGRAMS_PER_SERVICE;
        private long maxEventsWithoutTimeAdvance = DEFAULT_MAX_EVENTS_WITHOUT_TIME_ADVANCE;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** Conditions of every link not set with {@link SimNetwork#link}; default {@link LinkConditions#PERFECT}. */
        public Builder defaultConditions(LinkConditions conditions) {
            defaultConditions = Objects.requireNonNull(conditions, "defaultConditions");
            return this;
        }

        /**
         * Most datagrams a node may emit in one service before the network declares it a runaway;
         * default {@value SimNetwork#DEFAULT_MAX_DATAGRAMS_PER_SERVICE}.
         */
        public Builder maxDatagramsPerService(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxDatagramsPerService must be positive, not " + max);
            }
            maxDatagramsPerService = max;
            return this;
        }

        /**
         * Most events run at one virtual instant before the network declares time stuck; default
         * {@value SimNetwork#DEFAULT_MAX_EVENTS_WITHOUT_TIME_ADVANCE}.
         */
        public Builder maxEventsWithoutTimeAdvance(long max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxEventsWithoutTimeAdvance must be positive, not " + max);
            }
            maxEventsWithoutTimeAdvance = max;
            return this;
        }

        /** The network. */
        public SimNetwork build() {
            return new SimNetwork(this);
        }
    }
}
