package dev.srudp.testkit;

/**
 * Puts extra datagrams on the simulated network, as an attacker on the path could: copies,
 * modified or forged datagrams, replays at a later time, reflections back to the sender.
 *
 * <p>An injected datagram enters the link from its {@link Datagram#from()} to its
 * {@link Datagram#to()} at the chosen time and meets that link's conditions (delay, loss, ...). It
 * does not pass the taps or the outbound side of the middleboxes, and its source address need not
 * belong to any node (spoofing is allowed).
 */
@FunctionalInterface
public interface Injector {

    /**
     * Schedules {@code datagram} to enter the network at virtual time {@code atNanos}.
     *
     * @throws IllegalArgumentException if {@code atNanos} is before the current virtual time
     */
    void inject(Datagram datagram, long atNanos);
}
