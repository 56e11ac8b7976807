package dev.srudp.core.crypto;

import static dev.srudp.core.crypto.NoisePattern.Token.E;
import static dev.srudp.core.crypto.NoisePattern.Token.EE;
import static dev.srudp.core.crypto.NoisePattern.Token.ES;
import static dev.srudp.core.crypto.NoisePattern.Token.S;
import static dev.srudp.core.crypto.NoisePattern.Token.SE;
import static dev.srudp.core.crypto.NoisePattern.Token.SS;

/** The Noise handshake patterns srudp supports (Noise §7.5, interactive patterns). */
public enum NoisePattern {

    /**
     * The initiator knows the responder's static key in advance and sends its own static key,
     * encrypted, in the first message.
     *
     * <pre>
     *   &lt;- s
     *   ...
     *   -&gt; e, es, s, ss
     *   &lt;- e, ee, se
     * </pre>
     */
    IK(true, new Token[][] {{E, ES, S, SS}, {E, EE, SE}}),

    /**
     * Neither side knows the other's static key; both are sent, encrypted, during three messages.
     *
     * <pre>
     *   -&gt; e
     *   &lt;- e, ee, s, es
     *   -&gt; s, se
     * </pre>
     */
    XX(false, new Token[][] {{E}, {E, EE, S, ES}, {S, SE}});

    /** The tokens of a message pattern (Noise §7.1). */
    enum Token { E, S, EE, ES, SE, SS }

    private final boolean responderStaticPreMessage;
    private final Token[][] messages;

    NoisePattern(boolean responderStaticPreMessage, Token[][] messages) {
        this.responderStaticPreMessage = responderStaticPreMessage;
        this.messages = messages;
    }

    /** Whether the responder's static key is a pre-message, known to the initiator in advance. */
    public boolean initiatorKnowsResponderStatic() {
        return responderStaticPreMessage;
    }

    /** The number of handshake messages. */
    public int messageCount() {
        return messages.length;
    }

    Token[] message(int index) {
        return messages[index];
    }
}
