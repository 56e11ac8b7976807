package dev.srudp.discovery.autonomi.gateway;

import java.io.IOException;

/**
 * The gateway answered with an unexpected HTTP status. The message names the method, the path and
 * the status, never a header or key.
 */
public final class GatewayStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public GatewayStatusException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** Whether trying again later may help (5xx, 408, 429). */
    public boolean transientFailure() {
        return status >= 500 || status == 408 || status == 429;
    }
}
