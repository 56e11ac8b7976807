package dev.srudp.discovery.manual;

import dev.srudp.spi.PeerDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A peer directory with no network service. Records travel as {@code srudp:} URIs holding a
 * {@linkplain RendezvousCodec rendezvous string} that users pass by hand, or as files: each peer
 * writes its current string to its own file (for example in a folder both peers sync) and watches
 * the partner's, which updates the partner whenever this peer comes online with a new address.
 *
 * <ul>
 *   <li>{@link #publish} returns {@code srudp:<string>}; with an own file it also replaces that
 *       file's content with the string and a newline, atomically (a temporary file in the same
 *       folder, then a move), so a reader never sees half a string.
 *   <li>{@link #lookup} takes {@code srudp:<string>} (decoded on the spot) or {@code file:/path}
 *       (read, decoded; a missing file is an empty result).
 *   <li>{@link #watch} on a {@code file:} URI reads the file every poll interval, and at once when
 *       the file system reports a change to it, and delivers each
 *       new content, starting with the current one. A missing, unreadable or malformed file is
 *       reported (once per distinct problem) and polled again, never fatal. On an {@code srudp:}
 *       URI it delivers the one record once.
 * </ul>
 *
 * <p>One daemon thread per directory does all file I/O, polling and delivery; consumers run on it
 * and should hand work off rather than block. A consumer that throws is logged and keeps its watch.
 */
public final class ManualDirectory implements PeerDirectory {
    /** How often watched files are read unless configured otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** A watched or looked-up file larger than this is reported as too long without being read. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(ManualDirectory.class.getName());
    private static final Consumer<IOException> LOG_PROBLEM =
            problem -> LOG.log(System.Logger.Level.WARNING, problem.getMessage());

    private final Path ownFile;
    private final Duration pollInterval;
    private final boolean pollAutomatically;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ChangeNotifier notifier;
    private volatile boolean closed;

    /**
     * A directory that publishes only {@code srudp:} URIs.
     *
     * @param pollInterval how often watched files are read; positive
     */
    public static ManualDirectory withoutFile(Duration pollInterval) {
        return new ManualDirectory(null, pollInterval, true);
    }

    /**
     * A directory that also writes each published string to {@code ownFile}.
     *
     * @param pollInterval how often watched files are read; positive
     */
    public static ManualDirectory withFile(Path ownFile, Duration pollInterval) {
        return new ManualDirectory(Objects.requireNonNull(ownFile, "ownFile"), pollInterval, true);
    }

    /**
     * @param pollAutomatically false for tests: nothing is polled or delivered until
     *     {@link #pollNow()} is called
     */
    ManualDirectory(Path ownFile, Duration pollInterval, boolean pollAutomatically) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, not " + pollInterval);
        }
        this.ownFile = ownFile;
        this.pollInterval = pollInterval;
        this.pollAutomatically = pollAutomatically;
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "srudp-manual-directory");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.notifier = pollAutomatically ? new ChangeNotifier() : null;
    }

    /** The file each published string is written to, if any. */
    public Optional<Path> ownFile() {
        return Optional.ofNullable(ownFile);
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public CompletableFuture<URI> publish(byte[] signedRecord) {
        URI uri;
        String text;
        try {
            text = RendezvousCodec.encode(signedRecord);
            uri = URI.create("srudp:" + text);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (ownFile == null) {
            return closed ? CompletableFuture.failedFuture(closedException()) : CompletableFuture.completedFuture(uri);
        }
        return onDirectoryThread(() -> {
            writeAtomically(ownFile, (text + "\n").getBytes(StandardCharsets.US_ASCII));
            return uri;
        });
    }

    @Override
    public CompletableFuture<Optional<byte[]>> lookup(URI partner) {
        String scheme;
        try {
            scheme = scheme(partner);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (scheme.equals("srudp")) {
            try {
                return CompletableFuture.completedFuture(Optional.of(RendezvousCodec.decode(partner.getSchemeSpecificPart())));
            } catch (RendezvousFormatException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Path path;
        try {
            path = fileOf(partner);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onDirectoryThread(() -> {
            try {
                return Optional.of(RendezvousCodec.decode(readText(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        });
    }

    /** Watches {@code partner}, logging problems through {@link System.Logger} at WARNING. */
    @Override
    public AutoCloseable watch(URI partner, Consumer<byte[]> onRecord) {
        return watch(partner, onRecord, LOG_PROBLEM);
    }

    /**
     * Watches {@code partner} and reports each problem (a missing, unreadable or malformed file; a
     * malformed {@code srudp:} string) to {@code onProblem}, on the directory's thread. A file
     * problem is reported once until it changes or a valid record is seen; the file is polled on.
     *
     * @throws IllegalArgumentException if {@code partner} is neither {@code srudp:} nor a
     *     {@code file:} URI of this file system
     */
    public AutoCloseable watch(URI partner, Consumer<byte[]> onRecord, Consumer<? super IOException> onProblem) {
        Objects.requireNonNull(onRecord, "onRecord");
        Objects.requireNonNull(onProblem, "onProblem");
        Watch watch = scheme(partner).equals("srudp")
                ? new StringWatch(partner.getSchemeSpecificPart(), onRecord, onProblem)
                : new FileWatch(fileOf(partner), onRecord, onProblem);
        if (closed) {
            return watch;
        }
        watches.add(watch);
        if (pollAutomatically) {
            try {
                watch.task = watch instanceof FileWatch
                        ? executor.scheduleWithFixedDelay(watch::poll, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS)
                        : executor.schedule(watch::poll, 0, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                watches.remove(watch);
            }
            if (watch instanceof FileWatch fileWatch && notifier != null) {
                notifier.register(fileWatch.path);
            }
        }
        return watch;
    }

    /** A watched file changed (the notifier saw it): read it now instead of at the next poll. */
    private void changed(Path file) {
        for (Watch watch : watches) {
            if (watch instanceof FileWatch fileWatch && fileWatch.path.equals(file)) {
                try {
                    executor.execute(watch::poll);
                } catch (RejectedExecutionException e) {
                    return;
                }
            }
        }
    }

    /**
     * Tells the directory at once when a watched file is created, replaced or written, where the
     * file system reports changes (inotify on Linux): a partner's new record is then read within
     * milliseconds rather than at the next poll, which stays as the fallback (network file systems
     * and synced folders may report nothing). One daemon thread, started with the first file watch.
     */
    private final class ChangeNotifier {
        private java.nio.file.WatchService service;
        private final Set<Path> folders = ConcurrentHashMap.newKeySet();

        synchronized void register(Path file) {
            Path folder = file.getParent();
            if (folder == null || closed || !folders.add(folder)) {
                return;
            }
            try {
                if (service == null) {
                    service = folder.getFileSystem().newWatchService();
                    java.nio.file.WatchService started = service;
                    Thread thread = new Thread(() -> run(started), "srudp-manual-directory-changes");
                    thread.setDaemon(true);
                    thread.start();
                }
                folder.register(service, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                        java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (IOException | UnsupportedOperationException e) {
                // no notifications here (or the folder does not exist yet): polling alone
                folders.remove(folder);
            }
        }

        private void run(java.nio.file.WatchService watching) {
            try {
                while (!closed) {
                    java.nio.file.WatchKey key = watching.take();
                    Path folder = (Path) key.watchable();
                    for (java.nio.file.WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path name) {
                            changed(folder.resolve(name));
                        }
                    }
                    key.reset();
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                // the directory was closed
            }
        }

        synchronized void close() {
            if (service != null) {
                try {
                    service.close();
                } catch (IOException e) {
                    // nothing more to release
                }
            }
        }
    }

    /** Polls every watch once on the calling thread; with automatic polling off, the only trigger. */
    void pollNow() {
        for (Watch watch : watches) {
            watch.poll();
        }
    }

    /** Waits until the directory thread has ended after {@link #close()}; true if it has. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops every watch; a publish still being written finishes first. */
    @Override
    public void close() {
        closed = true;
        for (Watch watch : watches) {
            watch.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        executor.shutdown();
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private <T> CompletableFuture<T> onDirectoryThread(IoSupplier<T> work) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.get();
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(closedException());
        }
    }

    private static IOException closedException() {
        return new IOException("the manual peer directory is closed");
    }

    private static String scheme(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("srudp") && !scheme.equals("file")) {
            throw new IllegalArgumentException("the manual peer directory reads srudp: and file: URIs, not " + uri);
        }
        return scheme;
    }

    private static Path fileOf(URI uri) {
        try {
            return Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException("not a file URI of this file system (write file:/absolute/path): " + uri, e);
        }
    }

    /** The file as text, with a leading byte-order mark removed. */
    static String readText(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new RendezvousFormatException(RendezvousFormatException.Reason.TOO_LONG, MAX_FILE_BYTES + 1,
                    path + " is larger than " + MAX_FILE_BYTES + " bytes; it does not hold a rendezvous string");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Replaces the file's content in one step: readers and sync tools see the old string or the new
     * one, never a mixture. The temporary file is created with default permissions so a partner
     * sharing the folder can read the result.
     */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    private abstract class Watch implements AutoCloseable {
        final Consumer<byte[]> onRecord;
        final Consumer<? super IOException> onProblem;
        volatile ScheduledFuture<?> task;
        volatile boolean stopped;

        Watch(Consumer<byte[]> onRecord, Consumer<? super IOException> onProblem) {
            this.onRecord = onRecord;
            this.onProblem = onProblem;
        }

        abstract void poll();

        void deliver(byte[] record) {
            try {
                onRecord.accept(record);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a peer directory watcher threw; the watch goes on", e);
            }
        }

        void report(IOException problem) {
            try {
                onProblem.accept(problem);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a peer directory problem handler threw; the watch goes on", e);
            }
        }

        @Override
        public void close() {
            stopped = true;
            ScheduledFuture<?> scheduled = task;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            watches.remove(this);
        }
    }

    private final class StringWatch extends Watch {
        private final String text;
        private boolean delivered;

        StringWatch(String text, Consumer<byte[]> onRecord, Consumer<? super IOException> onProblem) {
            super(onRecord, onProblem);
            this.text = text;
        }

        @Override
        synchronized void poll() {
            if (stopped || delivered) {
                return;
            }
            delivered = true;
            watches.remove(this);
            try {
                deliver(RendezvousCodec.decode(text));
            } catch (RendezvousFormatException e) {
                report(e);
            }
        }
    }

    /**
     * Reads the whole file on every poll and compares its SHA-256 with the last content seen.
     * Modification times are not enough: file systems used for syncing keep them to 2 seconds, so
     * two records of equal length written within that time would look unchanged.
     */
    private final class FileWatch extends Watch {
        private final Path path;
        private byte[] lastHash;
        private String lastProblem;

        FileWatch(Path path, Consumer<byte[]> onRecord, Consumer<? super IOException> onProblem) {
            super(onRecord, onProblem);
            this.path = path;
        }

        @Override
        synchronized void poll() {
            if (stopped) {
                return;
            }
            String text;
            try {
                text = readText(path);
            } catch (NoSuchFileException e) {
                lastHash = null;
                problem(new NoSuchFileException(path.toString(), null,
                        "the partner's file does not exist (yet); still watching"), "missing");
                return;
            } catch (IOException e) {
                lastHash = null;
                problem(new IOException("the partner's file " + path + " cannot be read; still watching: " + e, e),
                        "unreadable " + e);
                return;
            }
            byte[] hash = sha256(text.getBytes(StandardCharsets.UTF_8));
            if (Arrays.equals(hash, lastHash)) {
                return;
            }
            lastHash = hash;
            byte[] record;
            try {
                record = RendezvousCodec.decode(text);
            } catch (RendezvousFormatException e) {
                problem(new IOException("the partner's file " + path
                        + " holds no valid rendezvous string; still watching: " + e.getMessage(), e),
                        "malformed " + Arrays.toString(hash));
                return;
            }
            lastProblem = null;
            if (!stopped) {
                deliver(record);
            }
        }

        private void problem(IOException problem, String key) {
            if (!key.equals(lastProblem)) {
                lastProblem = key;
                report(problem);
            }
        }
    }
}
