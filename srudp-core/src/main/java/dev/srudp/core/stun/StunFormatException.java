package dev.srudp.core.stun;

/**
 * A byte string is not a STUN message this codec accepts. The only exception the STUN decoders
 * throw, whatever bytes they are given; the message says what was wrong.
 */
public final class StunFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunFormatException(String message) {
        super(message, null, false, false);
    }
}
