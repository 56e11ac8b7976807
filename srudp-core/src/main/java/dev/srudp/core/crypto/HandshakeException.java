package dev.srudp.core.crypto;

import java.io.IOException;

/** A Noise handshake failed; the handshake that threw it cannot be used again. */
public final class HandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a reason. */
    public HandshakeException(String reason) {
        super(reason);
    }

    /** Creates an exception with a reason and its cause. */
    public HandshakeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
