package dev.srudp;

/** The peer speaks no protocol version this endpoint supports. */
public class VersionMismatchException extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    public VersionMismatchException(String message) {
        super(message, ErrorCodes.VERSION_MISMATCH, false);
    }
}
