package dev.srudp.testkit;

/**
 * Sees every datagram a node sends as it enters the network, before the link's conditions apply;
 * the place for adversaries and observers in security tests.
 *
 * <p>A tap may record the datagram, drop it (return {@code false}), or put others on the network
 * through the {@link Injector}: copies, modified versions, replays at a later time, reflections.
 * Taps run in the order they were added, on the simulator's thread; a datagram one tap drops is
 * not shown to the taps after it. Datagrams injected by a tap are not shown to the taps again.
 */
@FunctionalInterface
public interface Tap {

    /**
     * Inspects one datagram entering the network.
     *
     * @param nowNanos the current virtual time
     * @param datagram the datagram as it enters the network (after any outbound middlebox rewrite)
     * @param injector puts extra datagrams on the network
     * @return {@code true} to let the datagram continue onto its link, {@code false} to drop it
     */
    boolean onDatagram(long nowNanos, Datagram datagram, Injector injector);
}
