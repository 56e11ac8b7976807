package dev.srudp.core.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Binding transactions over UDP, sans I/O (RFC 8489, sections 6.2.1 and 6.3): sends requests
 * through an {@link Output}, retransmits them on its timers, and matches responses by transaction
 * ID and source. The owner calls it from one thread with its monotonic time.
 *
 * <p>The schedule follows section 6.2.1 with smaller constants, so that gathering ends within a
 * few seconds: "the client SHOULD retransmit a STUN request message starting with an interval of
 * RTO ("Retransmission TimeOut"), doubling after each retransmission". Requests go out at 0,
 * 0.5, 1.5 and 3.5 s ({@link #MAX_REQUESTS}, the RFC's Rc, is 4 instead of 7), and the
 * transaction fails 1 s after the last ({@link #LAST_WAIT_FACTOR}, the RFC's Rm, is 2 instead of
 * 16): 4.5 s in all.
 */
public final class StunClient {
    /** RFC 8489, section 6.2.1: RTO "SHOULD be greater than 500 ms". */
    public static final long INITIAL_RTO_NANOS = 500_000_000L;
    /** Requests per transaction (the RFC's Rc). */
    public static final int MAX_REQUESTS = 4;
    /** The wait after the last request, in units of the initial RTO (the RFC's Rm). */
    public static final int LAST_WAIT_FACTOR = 2;
    /** Transactions in progress at once; further ones fail at once. */
    public static final int MAX_TRANSACTIONS = 256;
    /** How long a transaction lasts at most, from its first request to its failure. */
    public static final long TRANSACTION_TIMEOUT_NANOS = INITIAL_RTO_NANOS * ((1L << (MAX_REQUESTS - 1)) - 1)
            + INITIAL_RTO_NANOS * LAST_WAIT_FACTOR;

    /** Where datagrams go. */
    @FunctionalInterface
    public interface Output {
        void send(InetSocketAddress local, InetSocketAddress remote, byte[] datagram);
    }

    private static final class Transaction {
        final byte[] transactionId;
        final InetSocketAddress local;
        final InetSocketAddress server;
        final int changeFlags;
        final byte[] request;
        final Consumer<BindingResult> done;
        final long startNanos;
        int sent;
        long deadlineNanos;

        Transaction(byte[] transactionId, InetSocketAddress local, InetSocketAddress server, int changeFlags,
                byte[] request, Consumer<BindingResult> done, long startNanos) {
            this.transactionId = transactionId;
            this.local = local;
            this.server = server;
            this.changeFlags = changeFlags;
            this.request = request;
            this.done = done;
            this.startNanos = startNanos;
        }
    }

    private final Output output;
    private final Random random;
    private final String software;
    private final Map<ByteBuffer, Transaction> transactions = new HashMap<>();

    /**
     * @param random   the source of transaction IDs; RFC 8489, section 5 asks that they be
     *                 "uniformly and randomly chosen", so production passes a SecureRandom
     * @param software the SOFTWARE value sent in requests, or null for none
     */
    public StunClient(Output output, Random random, String software) {
        this.output = output;
        this.random = random;
        this.software = software;
    }

    /**
     * Starts a Binding transaction from {@code local} to {@code server}; {@code done} runs (on the
     * owner's thread) exactly once, with the result. With change flags, the response is expected
     * from another address (RFC 5780) and is matched by transaction ID alone.
     */
    public void binding(long nowNanos, InetSocketAddress local, InetSocketAddress server, int changeFlags,
            Consumer<BindingResult> done) {
        if (transactions.size() >= MAX_TRANSACTIONS) {
            done.accept(BindingResult.failed(local, server, changeFlags, 0,
                    "too many STUN transactions in progress (" + MAX_TRANSACTIONS + ")"));
            return;
        }
        byte[] id;
        do {
            id = StunMessage.newTransactionId(random);
        } while (transactions.containsKey(ByteBuffer.wrap(id)));
        List<StunAttribute> attributes = new ArrayList<>(2);
        if (changeFlags != 0) {
            attributes.add(StunAttributes.changeRequest((changeFlags & StunAttributes.CHANGE_IP) != 0,
                    (changeFlags & StunAttributes.CHANGE_PORT) != 0));
        }
        if (software != null) {
            attributes.add(StunAttributes.software(software));
        }
        byte[] request = StunMessage.bindingRequest(id, attributes).encode();
        Transaction t = new Transaction(id, local, server, changeFlags, request, done, nowNanos);
        transactions.put(ByteBuffer.wrap(id), t);
        transmit(t, nowNanos);
    }

    private void transmit(Transaction t, long nowNanos) {
        t.sent++;
        output.send(t.local, t.server, t.request.clone());
        long wait = t.sent < MAX_REQUESTS ? INITIAL_RTO_NANOS << (t.sent - 1) : INITIAL_RTO_NANOS * LAST_WAIT_FACTOR;
        t.deadlineNanos = nowNanos + wait;
    }

    /** Transactions in progress. */
    public int inProgress() {
        return transactions.size();
    }

    /**
     * Offers a received response. Returns null if it completed a transaction, else why it was
     * not taken (no such transaction, wrong source).
     */
    public String onResponse(long nowNanos, InetSocketAddress local, InetSocketAddress from, StunMessage m) {
        Transaction t = transactions.get(ByteBuffer.wrap(m.transactionIdView()));
        if (t == null || m.method() != StunMessage.METHOD_BINDING) {
            return "STUN response to no transaction in progress";
        }
        if (!t.local.equals(local)) {
            return "STUN response on another socket than its request left from";
        }
        // RFC 5780's changed addresses answer from elsewhere: those are matched by the 96 random
        // bits of the transaction ID alone
        if (t.changeFlags == 0 && !sameEndpoint(t.server, from)) {
            return "STUN response from " + from + ", not from the server " + t.server + " asked";
        }
        transactions.remove(ByteBuffer.wrap(t.transactionId));
        t.done.accept(result(t, from, m, nowNanos));
        return null;
    }

    private static BindingResult result(Transaction t, InetSocketAddress from, StunMessage m, long nowNanos) {
        try {
            if (m.messageClass() == StunMessage.MessageClass.ERROR_RESPONSE) {
                StunAttributes.ErrorCode error = StunAttributes.decodeErrorCode(m.attribute(StunAttributes.ERROR_CODE)
                        .orElseThrow(() -> new StunFormatException("error response without ERROR-CODE")));
                return BindingResult.failed(t.local, t.server, t.changeFlags, error.code(),
                        "the STUN server answered " + error);
            }
            // RFC 8489, section 6.3.3: "If the success response contains unknown
            // comprehension-required attributes, the response is discarded and the transaction is
            // considered to have failed."
            List<Integer> unknown = StunAttributes.notUnderstood(m, StunAttributes.TOLERATED_IN_RESPONSES);
            if (!unknown.isEmpty()) {
                return BindingResult.failed(t.local, t.server, t.changeFlags, 0,
                        "the STUN response carries unknown comprehension-required " + StunAttributes.name(unknown.get(0)));
            }
            InetSocketAddress mapped;
            var xor = m.attribute(StunAttributes.XOR_MAPPED_ADDRESS);
            if (xor.isPresent()) {
                mapped = StunAttributes.decodeXorAddress(xor.get(), m.transactionIdView());
            } else {
                // servers that follow RFC 3489 only send MAPPED-ADDRESS
                mapped = StunAttributes.decodeAddress(m.attribute(StunAttributes.MAPPED_ADDRESS).orElseThrow(
                        () -> new StunFormatException("the STUN response names no mapped address")));
            }
            InetSocketAddress origin = optionalAddress(m, StunAttributes.RESPONSE_ORIGIN);
            InetSocketAddress other = optionalAddress(m, StunAttributes.OTHER_ADDRESS);
            return new BindingResult(t.local, t.server, t.changeFlags, mapped, from, origin, other,
                    nowNanos - t.startNanos, 0, null);
        } catch (StunFormatException e) {
            return BindingResult.failed(t.local, t.server, t.changeFlags, 0, "malformed STUN response: " + e.getMessage());
        }
    }

    private static InetSocketAddress optionalAddress(StunMessage m, int type) {
        // informational attributes: a malformed one is left out rather than failing the binding
        try {
            var a = m.attribute(type);
            return a.isPresent() ? StunAttributes.decodeAddress(a.get()) : null;
        } catch (StunFormatException e) {
            return null;
        }
    }

    /** Whether two socket addresses are the same, an IPv4-mapped IPv6 address equal to its IPv4 form. */
    static boolean sameEndpoint(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort()
                && StunAttributes.unmapped(a.getAddress()).equals(StunAttributes.unmapped(b.getAddress()));
    }

    /** The earliest retransmission or failure deadline, or {@code Long.MAX_VALUE}. */
    public long nextTimeoutNanos() {
        long next = Long.MAX_VALUE;
        for (Transaction t : transactions.values()) {
            next = Math.min(next, t.deadlineNanos);
        }
        return next;
    }

    /** Retransmits or fails the transactions that are due. */
    public void onTimeout(long nowNanos) {
        List<Transaction> failed = new ArrayList<>();
        for (Transaction t : transactions.values()) {
            if (t.deadlineNanos > nowNanos) {
                continue;
            }
            if (t.sent < MAX_REQUESTS) {
                transmit(t, nowNanos);
            } else {
                failed.add(t);
            }
        }
        for (Transaction t : failed) {
            transactions.remove(ByteBuffer.wrap(t.transactionId));
            t.done.accept(BindingResult.failed(t.local, t.server, t.changeFlags, 0, "no answer from the STUN server "
                    + t.server + " after " + MAX_REQUESTS + " requests in "
                    + (TRANSACTION_TIMEOUT_NANOS / 1_000_000) + " ms"));
        }
    }

    /** Fails every transaction in progress (the endpoint is closing). */
    public void cancelAll(String reason) {
        List<Transaction> all = new ArrayList<>(transactions.values());
        transactions.clear();
        for (Transaction t : all) {
            t.done.accept(BindingResult.failed(t.local, t.server, t.changeFlags, 0, reason));
        }
    }
}
