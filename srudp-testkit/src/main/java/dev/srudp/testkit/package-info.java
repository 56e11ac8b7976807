/**
 * A deterministic network simulator for testing srudp: real sans-I/O
 * {@link dev.srudp.core.net.Engine}s exchange datagrams over a virtual network on a virtual clock,
 * so that loss, reordering, duplication, delay, bandwidth limits and attacks are reproducible and
 * a test of many seconds of traffic runs in milliseconds.
 *
 * <h2>The model</h2>
 *
 * <p>A {@link dev.srudp.testkit.SimNetwork} holds nodes, each an engine owning one or more
 * addresses, and one link per direction between two addresses, each with its
 * {@link dev.srudp.testkit.LinkConditions}. A datagram an engine sends goes through these stages:
 * <pre>
 *   engine.pollTransmit
 *     -> source check (the engine must own the local address)
 *     -> Middlebox.outbound (rewrite or drop: the NAT seam)
 *     -> Tap.onDatagram     (observe, drop, inject)
 *     -> link from -> to    (MTU, queue and bandwidth, loss, delay and jitter, reordering, duplication)
 *     -> Middlebox.inbound  (rewrite or drop)
 *     -> route to the node owning the destination
 *     -> engine.onDatagram
 * </pre>
 *
 * <h2>Events and their order</h2>
 *
 * <p>Everything that happens is an event in one queue: a datagram arriving, a node's timer, a
 * node's wakeup, an injected datagram entering a link, an action scheduled by the test. Events
 * run in order of virtual time and, at equal times, in the order they were scheduled. Time
 * advances only by jumping to the next event, so idle periods cost nothing.
 *
 * <p>After each event that concerns a node, the network <em>serves</em> it: it calls
 * {@code onTimeout} if the engine's deadline has come, calls {@code pollTransmit} until it
 * returns {@code null} and puts each datagram on its link, then makes sure a timer event is
 * queued for the engine's next deadline. A node has at most one live timer event; when the engine
 * moves its deadline later, the queued event fires early, finds nothing due and re-arms. An
 * engine's wakeup schedules a service at the current virtual time.
 *
 * <h2>Determinism</h2>
 *
 * <p>All randomness comes from the seed given to the network. Each link draws from its own
 * generator, derived from the seed and the link's two addresses, so the fate of the datagrams on
 * one link does not depend on traffic on other links or on the order links were created. Nothing
 * reads the wall clock or depends on hash iteration order. The network is single-threaded: engines
 * and the code that plays the application run on the thread that created it (use
 * {@link dev.srudp.testkit.SimNetwork#schedule}); a wakeup from another thread is refused.
 *
 * <h2>Reproducing a failure</h2>
 *
 * <p>The same seed, the same nodes and the same sequence of calls give the same run, event for
 * event. Failure messages from {@link dev.srudp.testkit.SimNetwork#runUntilOrFail} and the
 * runaway guards name the seed, and {@link dev.srudp.testkit.SimNetwork#describe()} gives it, with
 * the virtual time and the counters, for a test's own assertion messages. To reproduce, run the
 * failing test with that seed fixed (for a test that loops over seeds, narrow the loop to the one
 * seed), then add a {@link dev.srudp.testkit.Tap} that prints the datagrams, or step through the
 * run with {@link dev.srudp.testkit.SimNetwork#step()}.
 *
 * <h2>Guards</h2>
 *
 * <p>An engine whose {@code pollTransmit} never returns {@code null}, or that asks to be served
 * again and again without virtual time advancing (a timer always due, a wakeup on every poll),
 * would hang a test. The network instead throws an {@link java.lang.IllegalStateException} naming
 * the node, after a number of datagrams in one service or of events at one instant that
 * {@link dev.srudp.testkit.SimNetwork.Builder} sets.
 */
package dev.srudp.testkit;
