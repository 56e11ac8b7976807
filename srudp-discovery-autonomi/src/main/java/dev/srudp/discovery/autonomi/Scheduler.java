package dev.srudp.discovery.autonomi;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The directory's one worker thread and its clock. Every task runs on it, one at a time, so the
 * directory's state needs no locks. Tests supply a manual implementation whose time only moves when
 * the test says so.
 */
interface Scheduler {

    /** Wall-clock time in milliseconds: it orders publish counters across runs and drives delays. */
    long nowMillis();

    /** Runs {@code task} after {@code delayMillis}; the handle cancels it. */
    Runnable schedule(Runnable task, long delayMillis);

    /** Stops running tasks. */
    void shutdown();

    /** A daemon thread and the system clock. */
    static Scheduler system() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "srudp-autonomi-directory");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return new Scheduler() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }
}
