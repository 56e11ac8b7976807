package dev.srudp.core.crypto;

/**
 * The transport keys of a completed handshake, seen from the local side: Noise §5.2 Split
 * gives {@code c1} for initiator-to-responder messages and {@code c2} for the other way.
 */
public final class TransportKeys {

    private final CipherState send;
    private final CipherState receive;

    TransportKeys(CipherState send, CipherState receive) {
        this.send = send;
        this.receive = receive;
    }

    /** The CipherState for messages this side sends; the same stateful object on every call. */
    public CipherState sendCipherState() {
        return send;
    }

    /** The CipherState for messages this side receives; the same stateful object on every call. */
    public CipherState receiveCipherState() {
        return receive;
    }

    /** A copy of the 32-byte sending key, for {@link PacketProtection}. */
    public byte[] sendKey() {
        return send.key();
    }

    /** A copy of the 32-byte receiving key, for {@link PacketProtection}. */
    public byte[] receiveKey() {
        return receive.key();
    }

    /** The cipher both keys are for. */
    public NoiseCipher cipher() {
        return send.cipher();
    }
}
