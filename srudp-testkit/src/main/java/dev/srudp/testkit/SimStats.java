package dev.srudp.testkit;

/**
 * Counters of a simulated network, or of one direction of one link: a snapshot, not live.
 *
 * <p>{@link #sent()} counts datagrams that entered a link, including injected ones. Each of them,
 * and each extra copy counted in {@link #duplicated()}, ends as exactly one of: delivered, lost,
 * dropped for MTU, dropped for queue overflow, dropped for no route (at arrival), dropped by a
 * middlebox (at arrival), or still in flight. Datagrams stopped before they reach a link (by a tap, by an outbound
 * middlebox, or because the sender used a local address it does not own) are counted only in
 * {@link #droppedByTap()}, {@link #droppedByMiddlebox()} and {@link #droppedNoRoute()}.
 */
public final class SimStats {

    private final long sent;
    private final long delivered;
    private final long lost;
    private final long duplicated;
    private final long reordered;
    private final long droppedMtu;
    private final long droppedQueueFull;
    private final long droppedNoRoute;
    private final long droppedByTap;
    private final long droppedByMiddlebox;
    private final long injected;
    private final long bytesSent;
    private final long bytesDelivered;

    SimStats(Counters c) {
        sent = c.sent;
        delivered = c.delivered;
        lost = c.lost;
        duplicated = c.duplicated;
        reordered = c.reordered;
        droppedMtu = c.droppedMtu;
        droppedQueueFull = c.droppedQueueFull;
        droppedNoRoute = c.droppedNoRoute;
        droppedByTap = c.droppedByTap;
        droppedByMiddlebox = c.droppedByMiddlebox;
        injected = c.injected;
        bytesSent = c.bytesSent;
        bytesDelivered = c.bytesDelivered;
    }

    /** Datagrams that entered a link, injected ones included. */
    public long sent() {
        return sent;
    }

    /** Datagrams handed to a node, duplicates included. */
    public long delivered() {
        return delivered;
    }

    /** Datagrams lost at random. */
    public long lost() {
        return lost;
    }

    /** Extra copies made by duplication. */
    public long duplicated() {
        return duplicated;
    }

    /** Datagrams held back so that later ones could overtake them. */
    public long reordered() {
        return reordered;
    }

    /** Datagrams larger than the path's MTU. */
    public long droppedMtu() {
        return droppedMtu;
    }

    /** Datagrams dropped because the link's transmit queue was full. */
    public long droppedQueueFull() {
        return droppedQueueFull;
    }

    /** Datagrams from a local address the sender does not own, or to an address no node owns. */
    public long droppedNoRoute() {
        return droppedNoRoute;
    }

    /** Datagrams a {@link Tap} dropped. */
    public long droppedByTap() {
        return droppedByTap;
    }

    /** Datagrams a {@link Middlebox} dropped. */
    public long droppedByMiddlebox() {
        return droppedByMiddlebox;
    }

    /** Datagrams put on the network by an {@link Injector}. */
    public long injected() {
        return injected;
    }

    /** Payload bytes of the datagrams counted in {@link #sent()}. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Payload bytes of the datagrams counted in {@link #delivered()}. */
    public long bytesDelivered() {
        return bytesDelivered;
    }

    @Override
    public String toString() {
        return "SimStats[sent=" + sent + ", delivered=" + delivered + ", lost=" + lost
                + ", duplicated=" + duplicated + ", reordered=" + reordered
                + ", droppedMtu=" + droppedMtu + ", droppedQueueFull=" + droppedQueueFull
                + ", droppedNoRoute=" + droppedNoRoute + ", droppedByTap=" + droppedByTap
                + ", droppedByMiddlebox=" + droppedByMiddlebox + ", injected=" + injected
                + ", bytesSent=" + bytesSent + ", bytesDelivered=" + bytesDelivered + "]";
    }
}
