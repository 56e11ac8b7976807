package dev.srudp.discovery.autonomi;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose clock moves only when a test advances it; tasks run on the test thread. */
final class ManualScheduler implements Scheduler {
    private record Task(long dueMillis, long order, Runnable body, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
            ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.order, b.order));
    private long nowMillis;
    private long order;
    private boolean shutdown;

    ManualScheduler(long startMillis) {
        this.nowMillis = startMillis;
    }

    @Override
    public synchronized long nowMillis() {
        return nowMillis;
    }

    @Override
    public synchronized Runnable schedule(Runnable task, long delayMillis) {
        boolean[] cancelled = {false};
        if (!shutdown) {
            tasks.add(new Task(nowMillis + Math.max(0, delayMillis), order++, task, cancelled));
        }
        return () -> cancelled[0] = true;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    /** Runs every task due by now + {@code d}, in order, moving the clock to each task's time. */
    void advance(Duration d) {
        long until = nowMillis() + d.toMillis();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueMillis > until) {
                    nowMillis = until;
                    return;
                }
                tasks.poll();
                nowMillis = Math.max(nowMillis, next.dueMillis);
            }
            if (!next.cancelled[0]) {
                next.body.run();
            }
        }
    }

    /**
     * A scheduler on the same clock and queue whose {@code shutdown} drops only its own tasks, so
     * two directories can share one timeline and close independently.
     */
    Scheduler view() {
        boolean[] closed = {false};
        ManualScheduler shared = this;
        return new Scheduler() {
            @Override
            public long nowMillis() {
                return shared.nowMillis();
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                if (closed[0]) {
                    throw new java.util.concurrent.RejectedExecutionException("closed");
                }
                return shared.schedule(() -> {
                    if (!closed[0]) {
                        task.run();
                    }
                }, delayMillis);
            }

            @Override
            public void shutdown() {
                closed[0] = true;
            }
        };
    }

    /** Runs what is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Milliseconds until the next live task, or -1. */
    synchronized long nextDelayMillis() {
        return tasks.stream().filter(t -> !t.cancelled[0]).mapToLong(t -> t.dueMillis - nowMillis).min().orElse(-1);
    }
}
