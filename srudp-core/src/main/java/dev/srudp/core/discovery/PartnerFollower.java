package dev.srudp.core.discovery;

import dev.srudp.Connection;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.PartnerLink;
import dev.srudp.PeerAddress;
import dev.srudp.PeerId;
import dev.srudp.core.record.EndpointRecord;
import dev.srudp.core.record.Expectation;
import dev.srudp.core.record.Fingerprint;
import dev.srudp.core.record.RecordCheck;
import dev.srudp.core.record.RecordVerifier;
import dev.srudp.spi.PeerDirectory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Follows one partner through a peer directory: verifies each record the directory delivers
 * (once, here: the directory is untrusted), reaches the partner described by the newest valid one,
 * and reaches it again whenever the connection is lost (its path died: idle timeout, the partner
 * moved or went away), always with the newest record. The first valid record pins the partner's
 * identity; later records must carry the same identity and a newer sequence number.
 *
 * <p>How a record is turned into a connection is the {@link Reach} given: an endpoint punches on
 * all the record's candidates at once ({@code EndpointCore.punch}); {@link #sequential} tries them
 * one after the other with a plain handshake.
 */
public final class PartnerFollower implements PartnerLink {
    /** How often the follower checks that its connection is alive. */
    static final Duration TICK = Duration.ofMillis(500);
    static final Duration MIN_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(10);
    /** How long one candidate address gets before the next is tried ({@link #sequential}). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    /** Reaches the partner a record describes. */
    @FunctionalInterface
    public interface Reach {
        /**
         * Tries to reach the partner; the future completes with the connection, or exceptionally
         * with an exception whose message says why it could not.
         */
        CompletableFuture<Connection> reach(EndpointRecord record);

        /**
         * A newer record with other NAT hints arrived while {@link #reach} runs: an implementation
         * that can use them in the running attempt does so. Does nothing by default.
         */
        default void refresh(EndpointRecord record) {
        }

        /**
         * What the attempt that {@link #reach} started for this record knows so far about why it
         * has not succeeded, for a caller whose deadline ends first: text that starts with "; ",
         * or empty. Empty by default.
         */
        default CompletableFuture<String> progress(EndpointRecord record) {
            return CompletableFuture.completedFuture("");
        }
    }

    /** How long a timed-out wait asks the running attempt what it knows. */
    static final Duration PROGRESS_WAIT = Duration.ofSeconds(1);

    private final URI partner;
    private final PeerDirectory directory;
    private final RecordVerifier verifier;
    private final Reach reach;
    private final ScheduledExecutorService scheduler;
    private final Function<PeerId, List<Connection>> queuedFrom;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<CompletableFuture<Connection>> waiters = new ArrayList<>();

    private EndpointRecord latest;
    private PeerId peer;
    private Connection current;
    private boolean attempting;
    private int failures;
    private EndpointRecord attemptRecord;
    private long nextAttemptNanos;
    private Duration retry = MIN_RETRY;
    private String lastProblem = "no record of the partner has been seen yet";
    private boolean closed;
    private AutoCloseable watch;
    private ScheduledFuture<?> ticker;

    /** A follower that connects to the record's addresses one at a time ({@link #sequential}). */
    public PartnerFollower(URI partner, PeerDirectory directory, RecordVerifier verifier,
            Function<PeerAddress, CompletableFuture<Connection>> connector, ScheduledExecutorService scheduler,
            Function<PeerId, List<Connection>> queuedFrom) {
        this(partner, directory, verifier, sequential(connector), scheduler, queuedFrom);
    }

    /**
     * @param reach      how a record becomes a connection (an endpoint punches)
     * @param queuedFrom takes the connections from a peer that wait to be accepted (the partner
     *                   connected before its record was seen)
     */
    public PartnerFollower(URI partner, PeerDirectory directory, RecordVerifier verifier, Reach reach,
            ScheduledExecutorService scheduler, Function<PeerId, List<Connection>> queuedFrom) {
        this.queuedFrom = queuedFrom;
        this.partner = partner;
        this.directory = directory;
        this.verifier = verifier;
        this.reach = reach;
        this.scheduler = scheduler;
    }

    /**
     * A {@link Reach} that connects to one candidate address at a time, in the record's order:
     * two sessions to the same partner at once would leave each side holding a different one.
     */
    public static Reach sequential(Function<PeerAddress, CompletableFuture<Connection>> connector) {
        return record -> {
            CompletableFuture<Connection> result = new CompletableFuture<>();
            List<PeerAddress> addresses = record.peerAddresses();
            if (addresses.isEmpty()) {
                result.completeExceptionally(new ConnectionTimeoutException("the partner's record lists no address"));
            } else {
                tryInTurn(connector, addresses, 0, result);
            }
            return result;
        };
    }

    private static void tryInTurn(Function<PeerAddress, CompletableFuture<Connection>> connector,
            List<PeerAddress> addresses, int index, CompletableFuture<Connection> result) {
        connector.apply(addresses.get(index)).whenComplete((c, e) -> {
            if (e == null) {
                result.complete(c);
            } else if (index + 1 < addresses.size()) {
                tryInTurn(connector, addresses, index + 1, result);
            } else {
                result.completeExceptionally(new ConnectionTimeoutException("the partner did not answer at "
                        + addresses.stream().map(PeerAddress::address).toList() + ": " + unwrap(e).getMessage()));
            }
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Starts watching the directory. */
    public void start() {
        watch = directory.watch(partner, this::onRecord);
        ticker = scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A periodic check; an exception must not end the schedule (it would stop all reconnecting). */
    private void tick() {
        try {
            maintain();
        } catch (RuntimeException e) {
            lock.lock();
            try {
                attempting = false;
                lastProblem = "reaching the partner failed: " + e;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A record (untrusted bytes) from the directory. */
    void onRecord(byte[] bytes) {
        Expectation expectation;
        lock.lock();
        try {
            expectation = peer == null ? Expectation.ANY : Expectation.of(peer);
        } finally {
            lock.unlock();
        }
        RecordCheck check = verifier.check(bytes, expectation);
        boolean firstRecord = false;
        EndpointRecord refresh = null;
        lock.lock();
        try {
            if (!check.isAccepted()) {
                lastProblem = "the partner's record was refused: " + check.message();
                return;
            }
            EndpointRecord record = check.orElseThrow();
            if (record.publishedAt().isPresent() && !slot(record.publishedAt().get()).equals(slot(partner))) {
                // a record names the address it was published at: one copied into another slot is refused
                lastProblem = "the partner's record was refused: it was published at " + record.publishedAt().get()
                        + ", not at " + partner;
                return;
            }
            if (latest != null && Long.compareUnsigned(record.sequence(), latest.sequence()) <= 0) {
                return;
            }
            if (attempting && attemptRecord != null && !record.natHints().equals(attemptRecord.natHints())) {
                // the partner's NAT discovery finished after it published: the running attempt can use it
                refresh = record;
            }
            latest = record;
            firstRecord = peer == null;
            peer = record.identity();
            // a new record (the partner moved or came back): try at once
            nextAttemptNanos = 0;
            retry = MIN_RETRY;
        } finally {
            lock.unlock();
        }
        if (refresh != null) {
            reach.refresh(refresh);
        }
        if (firstRecord) {
            // the partner may have connected before we knew whom to follow
            for (Connection c : queuedFrom.apply(peer)) {
                adopt(c);
            }
        }
        maintain();
    }

    /** A directory address without its query (which only carries hints such as the identity). */
    private static String slot(URI address) {
        String text = address.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    /** The partner connected to us; this becomes the current connection. */
    public void offerIncoming(Connection c) {
        adopt(c);
    }

    private void maintain() {
        EndpointRecord record;
        lock.lock();
        try {
            if (closed || attempting || (current != null && current.isOpen()) || latest == null
                    || System.nanoTime() < nextAttemptNanos) {
                return;
            }
            record = latest;
            if (record.candidates().isEmpty()) {
                lastProblem = "the partner's record lists no address";
                return;
            }
            attempting = true;
            attemptRecord = record;
        } finally {
            lock.unlock();
        }
        reach.reach(record).whenComplete((c, e) -> {
            if (e == null) {
                // adopted first: a tick in between must not see neither an attempt nor a connection
                adopt(c);
                lock.lock();
                try {
                    attempting = false;
                } finally {
                    lock.unlock();
                }
            } else {
                failed(unwrap(e));
            }
        });
    }

    private void failed(Throwable cause) {
        boolean newerRecord;
        lock.lock();
        try {
            attempting = false;
            failures++;
            lastProblem = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            newerRecord = latest != attemptRecord;
            if (newerRecord) {
                // the partner published a new record meanwhile: try it at once
                nextAttemptNanos = 0;
                retry = MIN_RETRY;
            } else {
                nextAttemptNanos = System.nanoTime() + retry.toNanos();
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            }
        } finally {
            lock.unlock();
        }
        if (newerRecord) {
            scheduler.execute(this::maintain);
        }
    }

    private void adopt(Connection c) {
        List<CompletableFuture<Connection>> ready;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (current != null && current != c && current.isOpen()) {
                // A second session with the partner: both sides connected, outside the handshake's
                // own simultaneous-open window. The one that came first is kept, as the application
                // may already use it; the partner sees the same order (the second session's first
                // packets arrive after the first session's) and closes the same one.
                c.closeAsync();
                return;
            }
            current = c;
            retry = MIN_RETRY;
            ready = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        for (CompletableFuture<Connection> w : ready) {
            w.complete(c);
        }
    }

    @Override
    public URI partner() {
        return partner;
    }

    @Override
    public Optional<PeerId> peer() {
        lock.lock();
        try {
            return Optional.ofNullable(peer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Connection awaitConnection(Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Connection> next;
        lock.lock();
        try {
            if (current != null && current.isOpen()) {
                return current;
            }
            next = new CompletableFuture<>();
            waiters.add(next);
        } finally {
            lock.unlock();
        }
        scheduler.execute(this::maintain);
        try {
            return next.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String problem;
            String who;
            EndpointRecord running = null;
            lock.lock();
            try {
                waiters.remove(next);
                if (attempting && failures == 0) {
                    problem = "no candidate pair answered within " + timeout.toSeconds() + " s";
                    running = attemptRecord;
                } else {
                    problem = lastProblem;
                }
                who = peer != null ? Fingerprint.of(peer) : partner.toString();
            } finally {
                lock.unlock();
            }
            if (running != null) {
                problem += progress(running);
            }
            throw new ConnectionTimeoutException("cannot reach " + who + ": " + problem);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted while waiting for the partner");
        }
    }

    /** What the running attempt knows, or empty if it does not answer within {@link #PROGRESS_WAIT}. */
    private String progress(EndpointRecord running) throws InterruptedException {
        try {
            String text = reach.progress(running).get(PROGRESS_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            return text == null ? "" : text;
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    @Override
    public CompletableFuture<Connection> nextConnection() {
        CompletableFuture<Connection> next = new CompletableFuture<>();
        lock.lock();
        try {
            waiters.add(next);
        } finally {
            lock.unlock();
        }
        return next;
    }

    /** Whether this follower waits for connections from {@code id}. */
    public boolean follows(PeerId id) {
        lock.lock();
        try {
            return !closed && id.equals(peer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        try {
            if (watch != null) {
                watch.close();
            }
            directory.close();
        } catch (Exception e) {
            // the directory's own problem; following has stopped either way
        }
    }
}
