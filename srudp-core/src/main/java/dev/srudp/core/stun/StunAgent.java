package dev.srudp.core.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * An endpoint's STUN side, sans I/O: the client that learns server-reflexive addresses from the
 * configured servers (gathering, repeated every refresh interval, which also keeps the NAT's
 * mapping alive), and the responder that answers other agents' Binding requests when asked to.
 * It shares the endpoint's sockets: the owner hands it every datagram whose first byte is 0-3
 * (RFC 7983, section 7).
 */
public final class StunAgent {
    /** SOFTWARE in requests. */
    static final String SOFTWARE = "srudp";

    private final List<InetSocketAddress> servers;
    private final List<InetSocketAddress> localSockets;
    private final long refreshNanos;
    private final StunClient client;
    private final StunResponder responder;
    private final StunClient.Output output;
    private final Runnable onChange;
    private List<InetSocketAddress> reflexive = List.of();
    private List<BindingResult> lastGathering = List.of();
    private List<Consumer<List<BindingResult>>> waiting = new ArrayList<>();
    /** The running round's results, by the position of their (socket, server) pair; null when none runs. */
    private BindingResult[] roundResults;
    private int roundPending;
    private long nextRoundNanos = Long.MAX_VALUE;
    private boolean closed;
    /** The owner's time at the latest call, for results that complete inside the client. */
    private long lastNanos;

    /**
     * @param servers      the STUN servers to gather from (empty: none)
     * @param localSockets the endpoint's bound sockets
     * @param responder    answers requests, or null to answer none
     * @param onChange     runs (on the owner's thread) when the reflexive addresses change
     */
    public StunAgent(List<InetSocketAddress> servers, List<InetSocketAddress> localSockets, Duration refresh,
            Random random, StunResponder responder, StunClient.Output output, Runnable onChange) {
        this.servers = List.copyOf(servers);
        this.localSockets = List.copyOf(localSockets);
        this.refreshNanos = refresh.toNanos();
        this.output = output;
        this.client = new StunClient(output, random, SOFTWARE);
        this.responder = responder;
        this.onChange = onChange;
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Handles a datagram that may be STUN. Returns null if it was used, else why it was dropped.
     */
    public String onDatagram(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        lastNanos = nowNanos;
        StunMessage m;
        try {
            m = StunMessage.decode(datagram);
        } catch (StunFormatException e) {
            return "malformed STUN message: " + e.getMessage();
        }
        switch (m.messageClass()) {
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> {
                return client.onResponse(nowNanos, local, from, m);
            }
            case REQUEST -> {
                if (responder == null) {
                    return "STUN request: this endpoint does not answer STUN (EndpointConfig.answerStun)";
                }
                StunResponder.Answer a = responder.answer(nowNanos, local, from, m);
                if (a.bytes() == null) {
                    return a.dropReason();
                }
                output.send(a.local(), a.remote(), a.bytes());
                return null;
            }
            default -> {
                return "STUN indication: none is expected";
            }
        }
    }

    /** One Binding transaction; {@code done} runs on the owner's thread. */
    public void binding(long nowNanos, InetSocketAddress local, InetSocketAddress server, int changeFlags,
            Consumer<BindingResult> done) {
        if (closed) {
            done.accept(BindingResult.failed(local, server, changeFlags, 0, "the endpoint is closed"));
            return;
        }
        client.binding(nowNanos, local, server, changeFlags, done);
    }

    /** The local socket a request to {@code server} leaves from, or null if none can reach its family. */
    public InetSocketAddress socketFor(InetSocketAddress server) {
        for (InetSocketAddress local : localSockets) {
            if (canReach(local, server)) {
                return local;
            }
        }
        return null;
    }

    /** Whether a socket bound to {@code local} can send to {@code remote}: same family, or a dual-stack wildcard. */
    public static boolean canReach(InetSocketAddress local, InetSocketAddress remote) {
        boolean remoteV6 = StunAttributes.unmapped(remote.getAddress()) instanceof Inet6Address;
        if (local.getAddress() instanceof Inet6Address) {
            return remoteV6 || local.getAddress().isAnyLocalAddress();
        }
        return local.getAddress() instanceof Inet4Address && !remoteV6;
    }

    /**
     * Starts a gathering round now unless one is running; {@code done} gets the round's results
     * (one per server and local socket that can reach it, in the order of the servers).
     */
    public void gather(long nowNanos, Consumer<List<BindingResult>> done) {
        lastNanos = nowNanos;
        waiting.add(done);
        if (roundResults != null) {
            return;
        }
        List<InetSocketAddress[]> pairs = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            for (InetSocketAddress local : localSockets) {
                if (canReach(local, server)) {
                    pairs.add(new InetSocketAddress[] {local, server});
                }
            }
        }
        roundResults = new BindingResult[closed ? 0 : pairs.size()];
        roundPending = roundResults.length;
        if (roundPending == 0) {
            finishRound(nowNanos);
            return;
        }
        nextRoundNanos = Long.MAX_VALUE;
        for (int i = 0; i < pairs.size(); i++) {
            int slot = i;
            client.binding(nowNanos, pairs.get(i)[0], pairs.get(i)[1], 0, r -> {
                roundResults[slot] = r;
                if (--roundPending == 0) {
                    finishRound(lastNanos);
                }
            });
        }
    }

    private void finishRound(long nowNanos) {
        List<BindingResult> results = List.of(roundResults);
        roundResults = null;
        lastGathering = results;
        LinkedHashSet<InetSocketAddress> found = new LinkedHashSet<>();
        for (BindingResult r : results) {
            if (r.succeeded()) {
                found.add(new InetSocketAddress(StunAttributes.unmapped(r.mapped().getAddress()), r.mapped().getPort()));
            }
        }
        List<InetSocketAddress> now = List.copyOf(found);
        boolean changed = !now.equals(reflexive);
        reflexive = now;
        if (!servers.isEmpty() && !closed) {
            nextRoundNanos = nowNanos + refreshNanos;
        }
        List<Consumer<List<BindingResult>>> done = waiting;
        waiting = new ArrayList<>();
        for (Consumer<List<BindingResult>> d : done) {
            d.accept(results);
        }
        if (changed) {
            onChange.run();
        }
    }

    /** The server-reflexive addresses the last gathering found, in server order, without repeats. */
    public List<InetSocketAddress> reflexiveAddresses() {
        return reflexive;
    }

    /** The results of the last completed gathering. */
    public List<BindingResult> lastGathering() {
        return lastGathering;
    }

    public long nextTimeoutNanos() {
        return Math.min(client.nextTimeoutNanos(), nextRoundNanos);
    }

    public void onTimeout(long nowNanos) {
        lastNanos = nowNanos;
        client.onTimeout(nowNanos);
        if (nextRoundNanos <= nowNanos) {
            nextRoundNanos = Long.MAX_VALUE;
            gather(nowNanos, r -> { });
        }
    }

    /** Stops refreshing and fails the transactions in progress. */
    public void close() {
        closed = true;
        nextRoundNanos = Long.MAX_VALUE;
        client.cancelAll("the endpoint is closed");
    }
}
