package dev.srudp.core.wire;

/**
 * A byte string is not a valid encoding. The only exception the wire decoders throw, whatever
 * bytes they are given.
 */
public final class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
