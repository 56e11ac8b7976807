package dev.srudp.discovery.autonomi;

import dev.srudp.discovery.autonomi.gateway.AntTpGateway;
import dev.srudp.discovery.autonomi.gateway.DwebGateway;
import dev.srudp.discovery.autonomi.gateway.Gateway;
import dev.srudp.discovery.autonomi.gateway.GatewayHttp;
import dev.srudp.discovery.autonomi.gateway.GatewayProbe;
import dev.srudp.discovery.autonomi.gateway.GatewayStatusException;
import dev.srudp.discovery.autonomi.gateway.OwnerSecret;
import dev.srudp.discovery.autonomi.gateway.PointerValue;
import dev.srudp.discovery.autonomi.gateway.ScratchpadValue;
import dev.srudp.spi.PeerDirectory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A {@link PeerDirectory} on the Autonomi Network (experimental). This peer's record lives in a
 * public scratchpad; a pointer targets the scratchpad and is the stable address partners are given,
 * {@code autonomi:<pointer-address>?id=<peer id>}. Every network operation goes through a gateway
 * on this machine (AntTP or dweb), chosen and checked by reading its OpenAPI document when the
 * directory opens.
 *
 * <p><b>Cost.</b> The pointer and the scratchpad are created once, on the first publish, and each
 * creation is paid from the gateway's wallet. That happens only with consent
 * ({@link AutonomiConfig.Builder#allowPaidCreate} or {@link #publish(byte[], boolean)}); otherwise
 * the first publish fails with a {@link PaidCreationRefusedException} that says what to do. Later
 * publishes rewrite the scratchpad (free); reads are free.
 *
 * <p><b>Polling.</b> A watched partner is read every {@link AutonomiConfig#idlePoll} (60 s), and
 * every {@link AutonomiConfig#fastPoll} (6 s, never less than the gateway's cache lifetime) for
 * {@link AutonomiConfig#fastWindow} after {@link #pollFast}. Errors and "not found" back off
 * exponentially with jitter, "not found" never sooner than the gateway's negative-cache lifetime.
 * A record is handed out only when its publish counter is larger than any handed out before for
 * that partner: stale reads, rolled-back values and forks (same counter, other bytes) are dropped.
 *
 * <p><b>Threads.</b> One worker thread owns all state and does every HTTP exchange; watchers are
 * called on a separate callback thread, one call at a time.
 */
public final class AutonomiDirectory implements PeerDirectory {
    private static final System.Logger LOG = System.getLogger(AutonomiDirectory.class.getName());

    /** Writes of one record (first write plus rewrites with a larger counter) before giving up. */
    static final int PUBLISH_ATTEMPTS = 3;
    /** Reads after an unconfirmed (AntTP) write before it is rewritten. */
    static final int CONFIRM_READS = 3;
    /** How long a partner's pointer→scratchpad resolution is reused. */
    static final Duration POINTER_REFRESH = Duration.ofMinutes(10);
    /** Exponents above this do not grow a backoff further (the cap applies first anyway). */
    private static final int MAX_DOUBLINGS = 10;

    private final AutonomiConfig config;
    private final Gateway gateway;
    private final Runnable closeHttp;
    private final Scheduler scheduler;
    private final Executor callbacks;
    private final Runnable closeCallbacks;
    private final Random random;

    // Owned by the worker thread.
    private String pointerAddress;
    private String scratchpadAddress;
    private long counterFloor = -1;
    private final ArrayDeque<PublishJob> publishQueue = new ArrayDeque<>();
    private PublishJob currentPublish;
    private final List<Watch> watches = new ArrayList<>();

    /** Futures handed to callers and not yet completed, failed by {@link #close()}. */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private AutonomiDirectory(AutonomiConfig config, Gateway gateway, Runnable closeHttp, Scheduler scheduler,
            Executor callbacks, Runnable closeCallbacks, Random random) {
        this.config = config;
        this.gateway = gateway;
        this.closeHttp = closeHttp;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.closeCallbacks = closeCallbacks;
        this.random = random;
    }

    /**
     * Opens a directory: probes the gateway and checks it supports pointers and public scratchpads.
     *
     * @throws GatewayUnsupportedException when the gateway lacks them (the message names what is
     *     missing) or is neither AntTP nor dweb
     * @throws IOException when the gateway cannot be reached or the owner secret file cannot be used
     */
    public static AutonomiDirectory open(AutonomiConfig config) throws IOException {
        ExecutorService callbackThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "srudp-autonomi-callbacks");
            t.setDaemon(true);
            return t;
        });
        Scheduler scheduler = Scheduler.system();
        try {
            return open(config, scheduler, callbackThread, callbackThread::shutdownNow, new Random());
        } catch (IOException | RuntimeException e) {
            scheduler.shutdown();
            callbackThread.shutdownNow();
            throw e;
        }
    }

    static AutonomiDirectory open(AutonomiConfig config, Scheduler scheduler, Executor callbacks,
            Runnable closeCallbacks, Random random) throws IOException {
        GatewayHttp http = new GatewayHttp(config.gateway(), config.timeout(), config.maxResponseBytes());
        try {
            OwnerSecret secret = config.ownerSecretFile().isPresent()
                    ? OwnerSecret.fromFile(config.ownerSecretFile().get()) : OwnerSecret.NONE;
            Gateway antTp = new AntTpGateway(http, config.antTpCacheTtl());
            Gateway dweb = new DwebGateway(http, secret);
            List<Gateway> candidates = switch (config.gatewayKind()) {
                case AUTO -> List.of(antTp, dweb);
                case ANTTP -> List.of(antTp);
                case DWEB -> List.of(dweb);
            };
            Gateway gateway = GatewayProbe.select(http, candidates);
            if (gateway != dweb && config.ownerSecretFile().isPresent()) {
                LOG.log(Level.INFO, "owner-secret-file is not used with " + gateway.kind()
                        + ": that gateway derives the owner key from its own app key");
            }
            LOG.log(Level.INFO, "Autonomi peer directory uses the " + gateway.kind() + " gateway at " + http.base()
                    + " (experimental: pointers exist only on the legacy network)");
            return new AutonomiDirectory(config, gateway, http::close, scheduler, callbacks, closeCallbacks, random);
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** The adapter the probe chose: {@code "AntTP"} or {@code "dweb"}. */
    public String gatewayKind() {
        return gateway.kind();
    }

    /**
     * Publishes with the consent to pay given in the settings ({@code allow-paid-create}).
     *
     * @see #publish(byte[], boolean)
     */
    @Override
    public CompletableFuture<URI> publish(byte[] signedRecord) {
        return publish(signedRecord, config.allowPaidCreate());
    }

    /**
     * Writes {@code signedRecord} into this peer's scratchpad, creating the scratchpad and its
     * pointer first if this gateway's owner key has none and {@code allowPaidCreate} is true. The
     * future completes with the pointer's address once the write is confirmed: by the gateway's
     * answer (dweb), or by reads after the gateway's cache expired that show it (AntTP). Publishes
     * run one after the other, in order.
     *
     * @param allowPaidCreate consent to two paid creations (one public scratchpad, one pointer) if
     *     they do not exist yet; never needed after that
     */
    public CompletableFuture<URI> publish(byte[] signedRecord, boolean allowPaidCreate) {
        CompletableFuture<URI> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IOException("the directory is closed"));
            return result;
        }
        byte[] record = signedRecord.clone();
        if (record.length > Envelope.MAX_BYTES - Envelope.HEADER_BYTES) {
            result.completeExceptionally(new IOException("a record of " + record.length
                    + " bytes does not fit a scratchpad"));
            return result;
        }
        track(result);
        run(() -> {
            publishQueue.add(new PublishJob(record, allowPaidCreate, result));
            startNextPublish();
        }, 0);
        return result;
    }

    /**
     * Reads the partner's current record once. Empty when the partner has published nothing.
     *
     * @throws IllegalArgumentException when {@code partner} is not an {@code autonomi:} address
     */
    @Override
    public CompletableFuture<Optional<byte[]>> lookup(URI partner) {
        AutonomiAddress address = AutonomiAddress.parse(partner);
        CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IOException("the directory is closed"));
            return result;
        }
        track(result);
        run(() -> {
            try {
                Optional<PointerValue> pointer = gateway.readPointer(address.pointerAddress());
                if (pointer.isEmpty()) {
                    result.complete(Optional.empty());
                    return;
                }
                Optional<ScratchpadValue> pad = gateway.readScratchpad(pointer.get().target());
                if (pad.isEmpty()) {
                    result.complete(Optional.empty());
                    return;
                }
                Optional<Envelope.Opened> opened = Envelope.open(pad.get().content());
                if (opened.isEmpty()) {
                    result.completeExceptionally(new IOException("the scratchpad behind " + partner
                            + " does not hold an srudp record"));
                    return;
                }
                result.complete(Optional.of(opened.get().record()));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, 0);
        return result;
    }

    /**
     * Polls the partner's record as described in the class documentation.
     *
     * @throws IllegalArgumentException when {@code partner} is not an {@code autonomi:} address
     */
    @Override
    public AutoCloseable watch(URI partner, Consumer<byte[]> onRecord) {
        Watch watch = new Watch(AutonomiAddress.parse(partner), onRecord);
        run(() -> {
            watches.add(watch);
            watch.poll();
        }, 0);
        return watch;
    }

    /**
     * Reads the partner every {@link AutonomiConfig#fastPoll} (but never faster than the gateway's
     * cache lets a change show) for {@link AutonomiConfig#fastWindow}, for example while a
     * connection to it is being set up. Affects the current watches of that partner.
     */
    public void pollFast(URI partner) {
        String pointer = AutonomiAddress.parse(partner).pointerAddress();
        run(() -> {
            long now = scheduler.nowMillis();
            for (Watch w : watches) {
                if (w.partner.pointerAddress().equals(pointer)) {
                    w.startFastWindow(now);
                }
            }
        }, 0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdown();
        closeHttp.run();
        closeCallbacks.run();
        IOException closedException = new IOException("the directory was closed");
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(closedException);
        }
    }

    private void track(CompletableFuture<?> future) {
        pending.add(future);
        future.whenComplete((v, e) -> pending.remove(future));
        if (closed) {
            future.completeExceptionally(new IOException("the directory was closed"));
        }
    }

    // ---- worker thread from here on ----

    private Runnable run(Runnable task, long delayMillis) {
        if (closed) {
            return () -> {};
        }
        Runnable guarded = () -> {
            if (closed) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Autonomi peer directory task failed; continuing", e);
            }
        };
        try {
            return scheduler.schedule(guarded, delayMillis);
        } catch (RejectedExecutionException e) {
            return () -> {}; // closed meanwhile
        }
    }

    private void startNextPublish() {
        if (currentPublish == null && !publishQueue.isEmpty()) {
            currentPublish = publishQueue.poll();
            currentPublish.write();
        }
    }

    private String pointerName() {
        return config.name() + "-pointer";
    }

    private long nextCounter() {
        return Math.max(counterFloor + 1, scheduler.nowMillis());
    }

    /** Learns the counters already in our scratchpad, so the next write is larger. */
    private void refreshCounterFloor() {
        if (scratchpadAddress == null) {
            return;
        }
        try {
            gateway.readScratchpad(scratchpadAddress).ifPresent(v -> {
                counterFloor = Math.max(counterFloor, v.counter());
                Envelope.open(v.content()).ifPresent(o -> counterFloor = Math.max(counterFloor, o.counter()));
            });
        } catch (IOException e) {
            // The time-based counter usually suffices; the write will tell.
        }
    }

    private long backoffMillis(long baseMillis, int doublings, long capMillis) {
        long delay = baseMillis << Math.min(Math.max(doublings, 0), MAX_DOUBLINGS);
        delay = Math.min(delay, Math.max(capMillis, baseMillis));
        // Jitter only lengthens a delay: shorter would poll faster than the gateway's cache allows.
        return delay + (long) (random.nextDouble() * delay / 5);
    }

    private long fastIntervalMillis() {
        return Math.max(config.fastPoll().toMillis(), gateway.cacheTtl().toMillis());
    }

    /** One record on its way into our scratchpad. */
    private final class PublishJob {
        final byte[] record;
        final boolean allowPaidCreate;
        final CompletableFuture<URI> result;
        int attempt;
        long counter;
        int confirmReads;

        PublishJob(byte[] record, boolean allowPaidCreate, CompletableFuture<URI> result) {
            this.record = record;
            this.allowPaidCreate = allowPaidCreate;
            this.result = result;
        }

        void write() {
            attempt++;
            try {
                if (!ensureSlot()) {
                    counter = nextCounter();
                    gateway.updateScratchpad(scratchpadAddress, config.name(), Envelope.seal(counter, record), counter);
                    counterFloor = counter;
                }
                if (gateway.writesAreSynchronous()) {
                    finish(null);
                } else {
                    confirmReads = 0;
                    run(this::confirm, gateway.cacheTtl().toMillis());
                }
            } catch (PaidCreationRefusedException | GatewayUnsupportedException e) {
                finish(e);
            } catch (GatewayStatusException e) {
                if (e.transientFailure()) {
                    retry(e);
                } else {
                    finish(new IOException("the " + gateway.kind() + " gateway refused to publish: " + e.getMessage(), e));
                }
            } catch (IOException e) {
                retry(e);
            }
        }

        /** Finds or (with consent, paid) creates the scratchpad and pointer; true if the record went in a creation. */
        private boolean ensureSlot() throws IOException {
            if (pointerAddress != null && scratchpadAddress != null) {
                return false;
            }
            Optional<PointerValue> own = gateway.findOwnPointer(pointerName());
            if (own.isPresent()) {
                pointerAddress = own.get().address();
                scratchpadAddress = own.get().target();
                refreshCounterFloor();
                return false;
            }
            if (!allowPaidCreate) {
                throw new PaidCreationRefusedException("cannot publish: the " + gateway.kind() + " gateway's owner key has"
                        + " no pointer named '" + pointerName() + "' yet. Creating it costs tokens, paid once from the"
                        + " gateway's wallet: one public scratchpad named '" + config.name() + "' holding the record and"
                        + " one pointer named '" + pointerName() + "' targeting it (later publishes and all reads are"
                        + " free). To allow this, set allow-paid-create=true or call publish(record, true).");
            }
            counter = nextCounter();
            byte[] sealed = Envelope.seal(counter, record);
            if (scratchpadAddress == null) {
                LOG.log(Level.INFO, "creating (paid, once) a public scratchpad named '" + config.name()
                        + "' through the " + gateway.kind() + " gateway");
                scratchpadAddress = gateway.createScratchpad(config.name(), sealed);
            } else {
                gateway.updateScratchpad(scratchpadAddress, config.name(), sealed, counter);
            }
            counterFloor = counter;
            LOG.log(Level.INFO, "creating (paid, once) a pointer named '" + pointerName() + "' to scratchpad "
                    + scratchpadAddress + " through the " + gateway.kind() + " gateway");
            pointerAddress = gateway.createPointer(pointerName(), scratchpadAddress);
            return true;
        }

        private void retry(IOException e) {
            if (attempt >= PUBLISH_ATTEMPTS) {
                finish(new IOException("publishing through the " + gateway.kind() + " gateway failed " + attempt
                        + " times; last: " + e.getMessage(), e));
                return;
            }
            LOG.log(Level.DEBUG, "publish attempt " + attempt + " failed, trying again: " + e.getMessage());
            refreshCounterFloor();
            run(this::write, backoffMillis(1000, attempt - 1, config.maxBackoff().toMillis()));
        }

        /**
         * AntTP answers a write before the network has it and serves its own copy from its cache:
         * "A read-back through the same AntTP therefore proves nothing about the network until that
         * cache entry expires." The first read after expiry still returns the old entry while it
         * refreshes it in the background, so only the reads after it count.
         */
        private void confirm() {
            confirmReads++;
            if (confirmReads > 1) {
                try {
                    Optional<Envelope.Opened> seen = gateway.readScratchpad(scratchpadAddress)
                            .flatMap(v -> Envelope.open(v.content()));
                    if (seen.isPresent() && seen.get().counter() >= counter) {
                        finish(null);
                        return;
                    }
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "confirmation read failed: " + e.getMessage());
                }
            } else {
                try {
                    gateway.readScratchpad(scratchpadAddress);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "confirmation read failed: " + e.getMessage());
                }
            }
            if (confirmReads <= CONFIRM_READS) {
                run(this::confirm, gateway.cacheTtl().toMillis());
            } else if (attempt < PUBLISH_ATTEMPTS) {
                LOG.log(Level.INFO, "the " + gateway.kind() + " gateway accepted the record but the network did not show it;"
                        + " writing it again with a larger counter");
                refreshCounterFloor();
                write();
            } else {
                finish(new IOException("the " + gateway.kind() + " gateway accepted the record " + attempt
                        + " times, but reads after its cache expired never showed it; it may still appear later"));
            }
        }

        private void finish(IOException failure) {
            currentPublish = null;
            if (failure == null) {
                result.complete(new AutonomiAddress(pointerAddress, config.identity()).toUri());
            } else {
                result.completeExceptionally(failure);
            }
            startNextPublish();
        }
    }

    /** One watched partner. Fields are owned by the worker thread except {@link #stopped}. */
    private final class Watch implements AutoCloseable {
        final AutonomiAddress partner;
        final Consumer<byte[]> consumer;
        String target;
        long resolvedAtMillis;
        long lastCounter = -1;
        byte[] lastRecord;
        int failures;
        int notFounds;
        long fastUntilMillis = Long.MIN_VALUE;
        long lastPollMillis;
        Runnable cancelNext = () -> {};
        volatile boolean stopped;

        Watch(AutonomiAddress partner, Consumer<byte[]> consumer) {
            this.partner = partner;
            this.consumer = consumer;
        }

        long intervalMillis(long now) {
            return now < fastUntilMillis ? fastIntervalMillis() : config.idlePoll().toMillis();
        }

        void startFastWindow(long now) {
            fastUntilMillis = now + config.fastWindow().toMillis();
            if (failures == 0 && notFounds == 0) {
                cancelNext.run();
                cancelNext = run(this::poll, Math.max(0, lastPollMillis + fastIntervalMillis() - now));
            }
        }

        void poll() {
            if (stopped) {
                return;
            }
            long now = scheduler.nowMillis();
            lastPollMillis = now;
            try {
                if (target == null || now - resolvedAtMillis >= POINTER_REFRESH.toMillis()) {
                    Optional<PointerValue> pointer = gateway.readPointer(partner.pointerAddress());
                    if (pointer.isEmpty()) {
                        notFound(now);
                        return;
                    }
                    target = pointer.get().target();
                    resolvedAtMillis = now;
                }
                Optional<ScratchpadValue> pad = gateway.readScratchpad(target);
                if (pad.isEmpty()) {
                    target = null;
                    notFound(now);
                    return;
                }
                Optional<Envelope.Opened> opened = Envelope.open(pad.get().content());
                if (opened.isEmpty()) {
                    failed(now, "the partner's scratchpad does not hold an srudp record");
                    return;
                }
                accept(opened.get());
                failures = 0;
                notFounds = 0;
                scheduleNext(intervalMillis(now));
            } catch (IOException e) {
                failed(now, e.getMessage());
            }
        }

        private void accept(Envelope.Opened opened) {
            if (opened.counter() > lastCounter) {
                lastCounter = opened.counter();
                lastRecord = opened.record();
                byte[] copy = lastRecord.clone();
                callbacks.execute(() -> {
                    if (stopped) {
                        return;
                    }
                    try {
                        consumer.accept(copy);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "a watcher of " + partner.toUri() + " threw; it keeps watching", e);
                    }
                });
            } else if (opened.counter() == lastCounter && !Arrays.equals(opened.record(), lastRecord)) {
                LOG.log(Level.DEBUG, "fork at " + partner.toUri() + ": counter " + lastCounter
                        + " with other bytes; waiting for a larger counter");
            }
            // A smaller counter is a stale or rolled-back read: nothing to hand out.
        }

        private void notFound(long now) {
            notFounds++;
            long base = Math.max(intervalMillis(now), gateway.notFoundTtl().toMillis());
            scheduleNext(backoffMillis(base, notFounds - 1, config.maxBackoff().toMillis()));
        }

        private void failed(long now, String why) {
            failures++;
            LOG.log(Level.DEBUG, "reading " + partner.toUri() + " failed (" + failures + " in a row): " + why);
            scheduleNext(backoffMillis(intervalMillis(now), failures, config.maxBackoff().toMillis()));
        }

        private void scheduleNext(long delayMillis) {
            if (!stopped) {
                cancelNext = run(this::poll, delayMillis);
            }
        }

        @Override
        public void close() {
            stopped = true;
            run(() -> {
                cancelNext.run();
                watches.remove(this);
            }, 0);
        }
    }
}
