package dev.srudp;

import java.io.IOException;

/**
 * The base of every exception srudp reports about a connection or stream. Each subclass says
 * what happened; {@link #getMessage()} carries the reason.
 */
public class SrudpException extends IOException {
    private static final long serialVersionUID = 1L;

    public SrudpException(String message) {
        super(message);
    }

    public SrudpException(String message, Throwable cause) {
        super(message, cause);
    }
}
