package dev.srudp.core.connection;

import java.util.ArrayDeque;

/**
 * The connections that want to send, in the order they asked, each at most once. A flag on the
 * connection stands for membership, so adding, removing and taking the next one allocate nothing
 * (a {@code LinkedHashSet} allocates a node per add and an iterator per look at its head). A
 * removed connection stays in the queue until it comes up, and is skipped then.
 */
final class ActiveConnections {
    private final ArrayDeque<ConnectionCore> queue = new ArrayDeque<>();
    private int members;

    void add(ConnectionCore c) {
        if (!c.wantsTurn) {
            c.wantsTurn = true;
            members++;
            queue.add(c);
        }
    }

    void remove(ConnectionCore c) {
        if (c.wantsTurn) {
            c.wantsTurn = false;
            members--;
        }
    }

    /** The next connection that wants to send, taken out of the set; null if none. */
    ConnectionCore poll() {
        ConnectionCore c;
        while ((c = queue.poll()) != null) {
            if (c.wantsTurn) {
                c.wantsTurn = false;
                members--;
                return c;
            }
        }
        return null;
    }

    /** Whether no connection wants to send. */
    boolean isEmpty() {
        return members == 0;
    }
}
