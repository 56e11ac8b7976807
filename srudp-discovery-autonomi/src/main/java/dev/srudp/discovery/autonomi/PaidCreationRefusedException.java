package dev.srudp.discovery.autonomi;

import java.io.IOException;

/**
 * Publishing needs a pointer and a scratchpad that do not exist yet, and creating them costs
 * tokens, which this directory was not allowed to spend.
 */
public final class PaidCreationRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    PaidCreationRefusedException(String message) {
        super(message);
    }
}
