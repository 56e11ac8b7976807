package dev.srudp.core.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands items from the loop to application threads: accepted connections, accepted streams,
 * received datagrams. Bounded; blocking takers wait on a condition, asynchronous takers get futures
 * completed on the callback executor, never on the loop.
 */
final class Handoff<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    // small to start with: an idle connection holds two of these and usually nothing in them
    private final ArrayDeque<T> items = new ArrayDeque<>(2);
    private final ArrayDeque<CompletableFuture<T>> waiters = new ArrayDeque<>(2);
    private final int capacity;
    private final boolean dropOldest;
    private final Executor callbacks;
    private IOException failure;

    /**
     * @param dropOldest when full: true drops the oldest item (datagrams), false refuses the new one
     */
    Handoff(int capacity, boolean dropOldest, Executor callbacks) {
        this.capacity = capacity;
        this.dropOldest = dropOldest;
        this.callbacks = callbacks;
    }

    /** Offers an item; false when it was refused because the handoff is full or failed. */
    boolean offer(T item) {
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            CompletableFuture<T> waiter;
            while ((waiter = waiters.poll()) != null) {
                if (!waiter.isDone()) {
                    CompletableFuture<T> w = waiter;
                    callbacks.execute(() -> w.complete(item));
                    return true;
                }
            }
            if (items.size() >= capacity) {
                if (!dropOldest) {
                    return false;
                }
                items.poll();
            }
            items.add(item);
            available.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    T take() throws IOException, InterruptedException {
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                available.await();
            }
            return items.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes an item if one is ready, else null; throws the failure once empty and failed. */
    T poll() throws IOException {
        lock.lock();
        try {
            T item = items.poll();
            if (item == null && failure != null) {
                throw failure;
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    CompletableFuture<T> takeAsync() {
        lock.lock();
        try {
            CompletableFuture<T> f = new CompletableFuture<>();
            T item = items.poll();
            if (item != null) {
                f.complete(item);
            } else if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                waiters.add(f);
            }
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the queued items that match. */
    java.util.List<T> removeIf(java.util.function.Predicate<T> match) {
        lock.lock();
        try {
            java.util.List<T> removed = new java.util.ArrayList<>();
            items.removeIf(item -> {
                if (match.test(item)) {
                    removed.add(item);
                    return true;
                }
                return false;
            });
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Items already queued can still be taken; then takers get {@code e}. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            available.signalAll();
            CompletableFuture<T> waiter;
            while ((waiter = waiters.poll()) != null) {
                CompletableFuture<T> w = waiter;
                callbacks.execute(() -> w.completeExceptionally(e));
            }
        } finally {
            lock.unlock();
        }
    }

    static InterruptedIOException interrupted(String what) {
        return new InterruptedIOException("interrupted while waiting for " + what);
    }
}
