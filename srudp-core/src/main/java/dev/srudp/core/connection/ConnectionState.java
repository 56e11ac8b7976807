package dev.srudp.core.connection;

/**
 * The life of a connection (docs/protocol.md, "Connection states").
 *
 * <pre>
 *  initiator:  INITIATING --RESPONSE--> ESTABLISHED
 *              INITIATING --REJECT(version), identity mismatch, handshake timeout--> CLOSED
 *  responder:  (INIT_IK) --> AWAITING_CONFIRMATION --first DATA--> ESTABLISHED
 *              (INIT_XX) --> AWAITING_FINISH --FINISH--> ESTABLISHED
 *              AWAITING_* --handshake timeout--> CLOSED
 *              AWAITING_* --refused by policy--> CLOSING
 *  ESTABLISHED --close/abort/protocol error--> CLOSING --3 PTO--> CLOSED
 *  ESTABLISHED --CONNECTION_CLOSE received--> DRAINING --3 PTO--> CLOSED
 *  ESTABLISHED --idle timeout--> CLOSED
 * </pre>
 */
public enum ConnectionState {
    /** The initiator sent its first handshake message and waits for the response. */
    INITIATING,
    /** An XX responder sent its message and waits for the initiator's third message. */
    AWAITING_FINISH,
    /** An IK responder completed the handshake and waits for the initiator's first packet. */
    AWAITING_CONFIRMATION,
    /** Both sides have keys and the peer is authenticated; streams flow. */
    ESTABLISHED,
    /** This side sent CONNECTION_CLOSE; it repeats it to late packets for a while. */
    CLOSING,
    /** The peer sent CONNECTION_CLOSE; this side stays silent for a while. */
    DRAINING,
    /** Gone. */
    CLOSED;

    /** Whether the handshake has not completed yet. */
    public boolean isHandshaking() {
        return this == INITIATING || this == AWAITING_FINISH || this == AWAITING_CONFIRMATION;
    }

    /** Whether the connection is ending or ended. */
    public boolean isClosingOrClosed() {
        return this == CLOSING || this == DRAINING || this == CLOSED;
    }
}
