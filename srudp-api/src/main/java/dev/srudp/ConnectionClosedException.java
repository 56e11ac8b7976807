package dev.srudp;

/**
 * The connection is closed: by the peer (with its error code and reason), by this side, or because
 * of a protocol violation. {@link #errorCode()} is one of {@link ErrorCodes} or an application code.
 */
public class ConnectionClosedException extends SrudpException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;
    private final boolean closedByPeer;

    public ConnectionClosedException(String message, long errorCode, boolean closedByPeer) {
        super(message);
        this.errorCode = errorCode;
        this.closedByPeer = closedByPeer;
    }

    public long errorCode() {
        return errorCode;
    }

    /** Whether the peer closed the connection (otherwise this side did). */
    public boolean closedByPeer() {
        return closedByPeer;
    }
}
