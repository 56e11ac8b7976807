package dev.srudp;

/** The stream was reset (abandoned) by the peer or locally; data not yet delivered is lost. */
public class StreamResetException extends SrudpException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;

    public StreamResetException(String message, long errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public long errorCode() {
        return errorCode;
    }
}
