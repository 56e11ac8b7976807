package dev.srudp.core.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers Binding requests (RFC 8489, section 6.3.1), sans I/O: the answer is the requester's
 * address as seen here, in XOR-MAPPED-ADDRESS, with SOFTWARE and FINGERPRINT, and nothing else
 * unless the responder can act as an RFC 5780 server (it then also names RESPONSE-ORIGIN and
 * OTHER-ADDRESS, and honours CHANGE-REQUEST).
 *
 * <p>Answers are rate-limited per source IP address with a token bucket
 * ({@link #BURST} answers, refilled at {@link #PER_SECOND} a second), over at most
 * {@link #MAX_SOURCES} remembered sources, and in total to {@link #TOTAL_PER_SECOND} a second,
 * so a spoofed flood cannot turn the endpoint into a reflector of note: each answer is at most
 * {@value #MAX_ANSWER_BYTES} bytes.
 */
public final class StunResponder {
    public static final int BURST = 20;
    public static final int PER_SECOND = 10;
    public static final int MAX_SOURCES = 4096;
    public static final int TOTAL_PER_SECOND = 1000;
    /** SOFTWARE in answers: the product and nothing more. */
    public static final String SOFTWARE = "srudp";
    /** The largest answer: header, IPv6 XOR-MAPPED-ADDRESS, two IPv6 RFC 5780 addresses, SOFTWARE, FINGERPRINT. */
    public static final int MAX_ANSWER_BYTES = 20 + 24 + 24 + 24 + 12 + 8;

    /** Where an answer leaves from and goes to; {@code bytes} is null when nothing is sent. */
    public record Answer(InetSocketAddress local, InetSocketAddress remote, byte[] bytes, String dropReason) {
        static Answer drop(String reason) {
            return new Answer(null, null, null, reason);
        }
    }

    /**
     * The sockets an RFC 5780 server answers from: for a request that arrived on {@code local},
     * the socket with the other IP address and/or the other port.
     */
    public interface Alternates {
        /** No alternate addresses: CHANGE-REQUEST is refused. */
        Alternates NONE = (local, flags) -> null;

        /** The local socket for a request on {@code local} with change {@code flags}, or null if there is none. */
        InetSocketAddress answerFrom(InetSocketAddress local, int flags);
    }

    private static final class Bucket {
        double tokens = BURST;
        long lastNanos;
    }

    private final Alternates alternates;
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private long secondStartNanos = Long.MIN_VALUE;
    private int answeredThisSecond;

    public StunResponder(Alternates alternates) {
        this.alternates = alternates;
    }

    /**
     * A responder for an endpoint bound to {@code sockets}: an RFC 5780 server if they include two
     * IP addresses with two ports each, else a plain Binding responder.
     */
    public static StunResponder forSockets(java.util.List<InetSocketAddress> sockets) {
        return new StunResponder(SocketAlternates.of(sockets));
    }

    /** Whether CHANGE-REQUEST can be honoured (the endpoint has the sockets RFC 5780 needs). */
    boolean actsAsBehaviourServer(InetSocketAddress local) {
        return alternates.answerFrom(local, StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT) != null;
    }

    /** The answer to a request that arrived on {@code local} from {@code from}. */
    public Answer answer(long nowNanos, InetSocketAddress local, InetSocketAddress from, StunMessage request) {
        if (request.messageClass() != StunMessage.MessageClass.REQUEST) {
            return Answer.drop("STUN " + request.messageClass() + " to no transaction in progress");
        }
        if (request.method() != StunMessage.METHOD_BINDING) {
            return Answer.drop("STUN request of method 0x" + Integer.toHexString(request.method())
                    + ": only Binding is answered");
        }
        if (!admit(nowNanos, from.getAddress())) {
            return Answer.drop("STUN requests from " + from.getAddress().getHostAddress() + " exceed "
                    + PER_SECOND + "/s (or all sources exceed " + TOTAL_PER_SECOND + "/s)");
        }
        byte[] id = request.transactionIdView();
        boolean behaviourServer = actsAsBehaviourServer(local);
        java.util.Set<Integer> understood = behaviourServer ? withChangeRequest() : StunAttributes.UNDERSTOOD;
        List<Integer> unknown = StunAttributes.notUnderstood(request, understood);
        int flags = 0;
        if (unknown.isEmpty() && behaviourServer) {
            var change = request.attribute(StunAttributes.CHANGE_REQUEST);
            if (change.isPresent()) {
                try {
                    flags = StunAttributes.decodeChangeRequest(change.get());
                } catch (StunFormatException e) {
                    return error(local, from, id, StunAttributes.ERROR_BAD_REQUEST, e.getMessage(), List.of());
                }
            }
        }
        if (!unknown.isEmpty()) {
            // RFC 8489, section 6.3.1.1: unknown comprehension-required attributes get "an error
            // response with an error code of 420 (Unknown Attribute)" that "includes an
            // UNKNOWN-ATTRIBUTES attribute". Without alternate addresses that includes
            // CHANGE-REQUEST, which is how RFC 5780 (section 6.1) has a server without them refuse it.
            return error(local, from, id, StunAttributes.ERROR_UNKNOWN_ATTRIBUTE, "Unknown Attribute", unknown);
        }
        InetSocketAddress answerFrom = flags == 0 ? local : alternates.answerFrom(local, flags);
        List<StunAttribute> attributes = new ArrayList<>(4);
        attributes.add(StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, from, id));
        if (behaviourServer) {
            attributes.add(StunAttributes.address(StunAttributes.RESPONSE_ORIGIN, answerFrom));
            attributes.add(StunAttributes.address(StunAttributes.OTHER_ADDRESS, alternates.answerFrom(local,
                    StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT)));
        }
        attributes.add(StunAttributes.software(SOFTWARE));
        byte[] bytes = new StunMessage(StunMessage.METHOD_BINDING, StunMessage.MessageClass.SUCCESS_RESPONSE, id,
                attributes, true).encode();
        return new Answer(answerFrom, from, bytes, null);
    }

    private static java.util.Set<Integer> withChangeRequest() {
        java.util.Set<Integer> s = new java.util.HashSet<>(StunAttributes.UNDERSTOOD);
        s.add(StunAttributes.CHANGE_REQUEST);
        return s;
    }

    private static Answer error(InetSocketAddress local, InetSocketAddress from, byte[] id, int code, String reason,
            List<Integer> unknown) {
        List<StunAttribute> attributes = new ArrayList<>(3);
        attributes.add(StunAttributes.errorCode(code, reason));
        if (!unknown.isEmpty()) {
            attributes.add(StunAttributes.unknownAttributes(unknown.subList(0, Math.min(unknown.size(), 8))));
        }
        attributes.add(StunAttributes.software(SOFTWARE));
        byte[] bytes = new StunMessage(StunMessage.METHOD_BINDING, StunMessage.MessageClass.ERROR_RESPONSE, id,
                attributes, true).encode();
        return new Answer(local, from, bytes, null);
    }

    private boolean admit(long nowNanos, InetAddress source) {
        if (secondStartNanos == Long.MIN_VALUE || nowNanos - secondStartNanos >= 1_000_000_000L) {
            secondStartNanos = nowNanos;
            answeredThisSecond = 0;
        }
        if (answeredThisSecond >= TOTAL_PER_SECOND) {
            return false;
        }
        Bucket b = buckets.get(source);
        if (b == null) {
            b = new Bucket();
            b.lastNanos = nowNanos;
            buckets.put(source, b);
        }
        b.tokens = Math.min(BURST, b.tokens + (nowNanos - b.lastNanos) * (PER_SECOND / 1e9));
        b.lastNanos = nowNanos;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        answeredThisSecond++;
        return true;
    }
}
