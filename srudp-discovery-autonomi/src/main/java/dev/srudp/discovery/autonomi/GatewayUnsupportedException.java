package dev.srudp.discovery.autonomi;

import java.io.IOException;

/**
 * The gateway lacks what this directory needs (pointers, public scratchpads). This is about the
 * gateway, never about a partner: a partner without a record is a "not found" answer instead.
 */
public final class GatewayUnsupportedException extends IOException {
    private static final long serialVersionUID = 1L;

    public GatewayUnsupportedException(String message) {
        super(message);
    }
}
