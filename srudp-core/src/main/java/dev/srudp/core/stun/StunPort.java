package dev.srudp.core.stun;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * STUN through an endpoint's own sockets: what diagnostics and NAT behaviour discovery need.
 * Endpoints opened with {@code dev.srudp.core.Srudp} implement it; futures complete off the
 * endpoint's protocol loop.
 */
public interface StunPort {
    /**
     * One Binding transaction to {@code server}, with RFC 5780 CHANGE-REQUEST flags
     * ({@link StunAttributes#CHANGE_IP}, {@link StunAttributes#CHANGE_PORT}) or 0. Never fails
     * exceptionally: a failure is a result with {@link BindingResult#failure()}.
     */
    CompletableFuture<BindingResult> binding(InetSocketAddress server, int changeFlags);

    /** Asks every configured STUN server (or joins the round running); one result per server and socket. */
    CompletableFuture<List<BindingResult>> gather();

    /** The endpoint's bound sockets. */
    List<InetSocketAddress> localAddresses();

    /**
     * Tells the endpoint what discovery found out about its own NAT: hole punching toward a
     * partner behind a cone NAT opens many sockets when this side's NAT is symmetric with random
     * ports (docs/protocol.md, "Symmetric NATs").
     */
    void setLocalNatHints(dev.srudp.core.record.NatHints hints);
}
