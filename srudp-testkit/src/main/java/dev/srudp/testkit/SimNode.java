package dev.srudp.testkit;

import dev.srudp.core.net.Engine;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An {@link Engine} attached to a {@link SimNetwork}, owning one or more local addresses.
 *
 * <p>The network serves the node after every event that concerns it (a datagram arriving, its
 * timer, a wakeup): it runs the engine's timers if due, collects every datagram the engine has to
 * send, and re-arms the node's timer.
 */
public final class SimNode {

    private final SimNetwork network;
    private final Engine engine;
    private final List<InetSocketAddress> addresses;

    /** The earliest time for which a live timer event is queued, or {@link Engine#NO_TIMEOUT}. */
    long armedTimerNanos = Engine.NO_TIMEOUT;
    /** Timer events of an older generation are stale and ignored when they come up. */
    long timerGeneration;
    boolean wakeupPending;
    /** Services at virtual time {@link #servicesAtNanos}, to name a runaway node. */
    long servicesAtNanos = Long.MIN_VALUE;
    long servicesAtTime;

    SimNode(SimNetwork network, Engine engine, List<InetSocketAddress> addresses) {
        this.network = network;
        this.engine = engine;
        this.addresses = List.copyOf(addresses);
    }

    /** The engine this node drives. */
    public Engine engine() {
        return engine;
    }

    /** The local addresses this node owns, in the order given to {@link SimNetwork#attach}. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Schedules a service of this node at the current virtual time, as the engine's wakeup does. */
    public void wakeup() {
        network.wakeup(this);
    }

    @Override
    public String toString() {
        return "SimNode" + addresses + "(" + engine.getClass().getName() + ")";
    }
}
