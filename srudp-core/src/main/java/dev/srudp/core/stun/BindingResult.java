package dev.srudp.core.stun;

import java.net.InetSocketAddress;

/**
 * The outcome of one Binding transaction.
 *
 * @param local          the local socket the request left from
 * @param server         where the request was sent
 * @param changeFlags    the CHANGE-REQUEST flags sent ({@link StunAttributes#CHANGE_IP},
 *                       {@link StunAttributes#CHANGE_PORT}), 0 for none
 * @param mapped         the server-reflexive address the server saw, or null on failure
 * @param source         where the response came from, or null on failure
 * @param responseOrigin RESPONSE-ORIGIN if the server sent it (RFC 5780), else null
 * @param otherAddress   OTHER-ADDRESS if the server sent it (RFC 5780), else null
 * @param rttNanos       from the first request to the response, or -1 on failure
 * @param errorCode      the STUN error code of an error response, or 0
 * @param failure        why the transaction failed, or null when it succeeded
 */
public record BindingResult(InetSocketAddress local, InetSocketAddress server, int changeFlags,
        InetSocketAddress mapped, InetSocketAddress source, InetSocketAddress responseOrigin,
        InetSocketAddress otherAddress, long rttNanos, int errorCode, String failure) {

    public boolean succeeded() {
        return failure == null;
    }

    static BindingResult failed(InetSocketAddress local, InetSocketAddress server, int changeFlags, int errorCode,
            String failure) {
        return new BindingResult(local, server, changeFlags, null, null, null, null, -1, errorCode, failure);
    }

    @Override
    public String toString() {
        return succeeded() ? "binding " + local + " -> " + server + ": mapped " + mapped
                : "binding " + local + " -> " + server + " failed: " + failure;
    }
}
