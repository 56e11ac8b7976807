package dev.srudp;

/** Nothing was heard from the peer for too long: the handshake or the idle timeout expired. */
public class ConnectionTimeoutException extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    public ConnectionTimeoutException(String message) {
        super(message, ErrorCodes.TIMED_OUT, false);
    }
}
