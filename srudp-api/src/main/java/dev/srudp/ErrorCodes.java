package dev.srudp;

/**
 * Error codes carried by CONNECTION_CLOSE and RESET_STREAM frames (docs/protocol.md, "Error
 * codes"). Codes below {@link #APPLICATION_BASE} are the protocol's; applications use codes from
 * {@code APPLICATION_BASE} upward.
 */
public final class ErrorCodes {
    /** Orderly close, no error. */
    public static final long NO_ERROR = 0x0;
    /** The endpoint hit an internal error. */
    public static final long INTERNAL_ERROR = 0x1;
    /** The peer violated the protocol (a malformed or forbidden frame after authentication). */
    public static final long PROTOCOL_VIOLATION = 0x2;
    /** The peer sent more than the flow-control limits allowed. */
    public static final long FLOW_CONTROL_ERROR = 0x3;
    /** The peer opened more streams than allowed. */
    public static final long STREAM_LIMIT_ERROR = 0x4;
    /** A frame referred to a stream in a state that forbids it. */
    public static final long STREAM_STATE_ERROR = 0x5;
    /** The final size of a stream changed or was exceeded. */
    public static final long FINAL_SIZE_ERROR = 0x6;
    /** Authentication of the peer failed or was refused by policy. */
    public static final long AUTHENTICATION_FAILED = 0x7;
    /** No common protocol version. */
    public static final long VERSION_MISMATCH = 0x8;
    /** Nothing heard from the peer within the idle or handshake timeout (never sent on the wire). */
    public static final long TIMED_OUT = 0x9;
    /** The endpoint is shutting down. */
    public static final long ENDPOINT_CLOSING = 0xa;
    /** The endpoint has reached its connection limit. */
    public static final long CONNECTION_REFUSED = 0xb;
    /** The stream was reset without an application error code. */
    public static final long STREAM_CANCELLED = 0xc;
    /** First code available to applications. */
    public static final long APPLICATION_BASE = 0x100;

    private ErrorCodes() {
    }

    /** A readable name for a protocol code, or "APPLICATION(n)". */
    public static String name(long code) {
        return switch ((int) Math.min(code, Integer.MAX_VALUE)) {
            case 0x0 -> "NO_ERROR";
            case 0x1 -> "INTERNAL_ERROR";
            case 0x2 -> "PROTOCOL_VIOLATION";
            case 0x3 -> "FLOW_CONTROL_ERROR";
            case 0x4 -> "STREAM_LIMIT_ERROR";
            case 0x5 -> "STREAM_STATE_ERROR";
            case 0x6 -> "FINAL_SIZE_ERROR";
            case 0x7 -> "AUTHENTICATION_FAILED";
            case 0x8 -> "VERSION_MISMATCH";
            case 0x9 -> "TIMED_OUT";
            case 0xa -> "ENDPOINT_CLOSING";
            case 0xb -> "CONNECTION_REFUSED";
            case 0xc -> "STREAM_CANCELLED";
            default -> code >= APPLICATION_BASE ? "APPLICATION(" + code + ")" : "UNKNOWN(" + code + ")";
        };
    }
}
