package dev.srudp.core.crypto;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A Noise HandshakeState (Noise §5.3) for {@code Noise_IK_25519_*_SHA256} and
 * {@code Noise_XX_25519_*_SHA256}, with the cipher chosen by {@link NoiseCipher}.
 *
 * <p>Each side calls {@link #writeMessage} and {@link #readMessage} in turn, as
 * {@link #isWriteTurn()} says, until {@link #isComplete()}; then {@link #split()} gives the
 * transport keys. Any failure of {@link #readMessage} kills the handshake: every later call
 * throws, and the caller starts over with a new one. Not thread-safe.
 */
public final class NoiseHandshake {

    /** Noise §3: "All Noise messages are less than or equal to 65535 bytes in length." */
    public static final int MAX_MESSAGE_LENGTH = 65535;

    private static final int DH_LENGTH = X25519.KEY_LENGTH;

    private final NoisePattern pattern;
    private final NoiseCipher cipher;
    private final boolean initiator;
    private final SymmetricState symmetric;
    private final DhKeyPair localStatic;
    private final SecureRandom random;
    private DhKeyPair localEphemeral;
    private byte[] remoteStatic;
    private byte[] remoteEphemeral;
    private int messageIndex;
    private String failure;

    private NoiseHandshake(NoisePattern pattern, NoiseCipher cipher, boolean initiator, byte[] prologue,
            DhKeyPair localStatic, DhKeyPair localEphemeral, byte[] remoteStatic, SecureRandom random) {
        if (pattern == null || cipher == null || localStatic == null) {
            throw new IllegalArgumentException("pattern, cipher and local static key pair are required");
        }
        if (localEphemeral == null && random == null) {
            throw new IllegalArgumentException("a SecureRandom is required unless an ephemeral key pair is given");
        }
        if (remoteStatic != null) {
            X25519.requireKeyLength(remoteStatic, "remote static public key");
        }
        if (initiator && pattern.initiatorKnowsResponderStatic() && remoteStatic == null) {
            throw new IllegalArgumentException("a " + pattern + " initiator needs the responder's static public key");
        }
        if (!initiator && remoteStatic != null) {
            throw new IllegalArgumentException("a responder learns the initiator's static key from the handshake; pass null");
        }
        if (initiator && !pattern.initiatorKnowsResponderStatic() && remoteStatic != null) {
            throw new IllegalArgumentException("an " + pattern + " initiator learns the responder's static key from the handshake; pass null");
        }
        this.pattern = pattern;
        this.cipher = cipher;
        this.initiator = initiator;
        this.localStatic = localStatic;
        this.localEphemeral = localEphemeral;
        this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
        this.random = random;
        this.symmetric = new SymmetricState(protocolName(pattern, cipher), cipher);
        // Noise §5.3: "Calls MixHash(prologue)."
        symmetric.mixHash(prologue == null ? new byte[0] : prologue);
        // Noise §5.3: "Calls MixHash() once for each public key listed in the pre-messages from
        // handshake_pattern, with the specified public key as input [...]. If both initiator
        // and responder have pre-messages, the initiator's public keys are hashed first."
        if (pattern.initiatorKnowsResponderStatic()) {
            symmetric.mixHash(initiator ? this.remoteStatic : localStatic.publicKey());
        }
    }

    /**
     * Starts a handshake as initiator.
     *
     * @param prologue data both sides must agree on, bound into the handshake hash; null means empty
     * @param localStatic this side's static key pair
     * @param localEphemeralOrNull a fixed ephemeral key pair, for test vectors only; null to
     *     generate one from {@code random}
     * @param remoteStaticOrNull the responder's static public key: required for IK, null for XX
     * @param random the source of the ephemeral key
     * @throws IllegalArgumentException when a required key is missing or has the wrong length
     */
    public static NoiseHandshake initiator(NoisePattern pattern, NoiseCipher cipher, byte[] prologue,
            DhKeyPair localStatic, DhKeyPair localEphemeralOrNull, byte[] remoteStaticOrNull, SecureRandom random) {
        return new NoiseHandshake(pattern, cipher, true, prologue, localStatic, localEphemeralOrNull,
                remoteStaticOrNull, random);
    }

    /**
     * Starts a handshake as responder; the parameters are those of {@link #initiator}, and
     * {@code remoteStaticOrNull} must be null, as the initiator's key arrives in the handshake.
     */
    public static NoiseHandshake responder(NoisePattern pattern, NoiseCipher cipher, byte[] prologue,
            DhKeyPair localStatic, DhKeyPair localEphemeralOrNull, byte[] remoteStaticOrNull, SecureRandom random) {
        return new NoiseHandshake(pattern, cipher, false, prologue, localStatic, localEphemeralOrNull,
                remoteStaticOrNull, random);
    }

    /** The Noise protocol name, such as {@code "Noise_IK_25519_AESGCM_SHA256"}. */
    public static String protocolName(NoisePattern pattern, NoiseCipher cipher) {
        return "Noise_" + pattern.name() + "_25519_" + cipher.token() + "_SHA256";
    }

    /**
     * Writes the next handshake message, carrying {@code payload} (encrypted once a key exists).
     *
     * @throws IllegalStateException when it is not this side's turn, the handshake is complete
     *     or has failed
     * @throws IllegalArgumentException when the message would exceed {@link #MAX_MESSAGE_LENGTH}
     * @throws HandshakeException when a Diffie-Hellman result is all zeros (the remote key is a
     *     low-order point); the handshake is then dead
     */
    public byte[] writeMessage(byte[] payload) throws HandshakeException {
        if (failure != null) {
            throw new IllegalStateException("the handshake failed (" + failure + "); start a new one");
        }
        if (isComplete()) {
            throw new IllegalStateException("the handshake is complete; call split()");
        }
        if (!isWriteTurn()) {
            throw new IllegalStateException("it is the peer's turn to send handshake message " + messageIndex);
        }
        NoisePattern.Token[] tokens = pattern.message(messageIndex);
        int length = messageLength(tokens, payload.length);
        if (length > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("handshake message would be " + length + " bytes; Noise allows "
                    + MAX_MESSAGE_LENGTH + ", so send a shorter payload");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        try {
            for (NoisePattern.Token token : tokens) {
                switch (token) {
                    case E -> {
                        // Noise §5.3: "For "e": Sets e (which must be empty) to
                        // GENERATE_KEYPAIR(). Appends e.public_key to the buffer. Calls
                        // MixHash(e.public_key)."
                        if (localEphemeral == null) {
                            localEphemeral = DhKeyPair.generate(random);
                        }
                        byte[] publicKey = localEphemeral.publicKey();
                        out.writeBytes(publicKey);
                        symmetric.mixHash(publicKey);
                    }
                    // Noise §5.3: "For "s": Appends EncryptAndHash(s.public_key) to the buffer."
                    case S -> out.writeBytes(symmetric.encryptAndHash(localStatic.publicKey()));
                    default -> mixDh(token);
                }
            }
        } catch (X25519.LowOrderPointException e) {
            throw fail("the peer's public key is a low-order point", e);
        }
        // Noise §5.3: "Appends EncryptAndHash(payload) to the buffer."
        out.writeBytes(symmetric.encryptAndHash(payload));
        messageIndex++;
        return out.toByteArray();
    }

    /**
     * Reads the peer's next handshake message and returns its payload.
     *
     * @throws HandshakeException when the message is malformed, too short or too long, fails
     *     authentication, carries a low-order key, arrives out of turn or after completion, or
     *     when the handshake failed before; after any failure the handshake is dead
     */
    public byte[] readMessage(byte[] message) throws HandshakeException {
        if (failure != null) {
            throw new HandshakeException("the handshake failed (" + failure + "); start a new one");
        }
        if (isComplete()) {
            throw fail("handshake message received after the handshake completed", null);
        }
        if (isWriteTurn()) {
            throw fail("handshake message " + messageIndex + " received out of turn: it is ours to send", null);
        }
        if (message == null) {
            throw fail("no handshake message (null)", null);
        }
        if (message.length > MAX_MESSAGE_LENGTH) {
            throw fail("handshake message longer than " + MAX_MESSAGE_LENGTH + " bytes", null);
        }
        int offset = 0;
        try {
            for (NoisePattern.Token token : pattern.message(messageIndex)) {
                switch (token) {
                    case E -> {
                        // Noise §5.3: "For "e": Sets re (which must be empty) to the next DHLEN
                        // bytes from the message. Calls MixHash(re.public_key)."
                        requireBytes(message, offset, DH_LENGTH, "ephemeral key");
                        remoteEphemeral = Arrays.copyOfRange(message, offset, offset + DH_LENGTH);
                        offset += DH_LENGTH;
                        symmetric.mixHash(remoteEphemeral);
                    }
                    case S -> {
                        // Noise §5.3: "For "s": Sets temp to the next DHLEN + 16 bytes of the
                        // message if HasKey() == True, or to the next DHLEN bytes otherwise.
                        // Sets rs (which must be empty) to DecryptAndHash(temp)."
                        int length = DH_LENGTH + (symmetric.hasKey() ? NoiseCipher.TAG_LENGTH : 0);
                        requireBytes(message, offset, length, "static key");
                        byte[] decrypted = symmetric.decryptAndHash(Arrays.copyOfRange(message, offset, offset + length));
                        offset += length;
                        remoteStatic = decrypted;
                    }
                    default -> mixDh(token);
                }
            }
            if (symmetric.hasKey() && message.length - offset < NoiseCipher.TAG_LENGTH) {
                throw fail("handshake message " + messageIndex + " is too short for its payload tag", null);
            }
            // Noise §5.3: "Calls DecryptAndHash() on the remaining bytes of the message and
            // stores the output into payload_buffer."
            byte[] payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, offset, message.length));
            messageIndex++;
            return payload;
        } catch (AeadException e) {
            throw fail("handshake message " + messageIndex + " failed authentication: wrong keys, wrong prologue or altered in transit", e);
        } catch (X25519.LowOrderPointException e) {
            throw fail("the peer's public key is a low-order point", e);
        }
    }

    private void requireBytes(byte[] message, int offset, int length, String what) throws HandshakeException {
        if (message.length - offset < length) {
            throw fail("handshake message " + messageIndex + " of " + message.length + " bytes is too short for its " + what, null);
        }
    }

    // Noise §5.3: "For "ee": Calls MixKey(DH(e, re))." "For "es": Calls MixKey(DH(e, rs)) if
    // initiator, MixKey(DH(s, re)) if responder." "For "se": Calls MixKey(DH(s, re)) if
    // initiator, MixKey(DH(e, rs)) if responder." "For "ss": Calls MixKey(DH(s, rs))."
    private void mixDh(NoisePattern.Token token) throws X25519.LowOrderPointException {
        DhKeyPair local;
        byte[] remote;
        switch (token) {
            case EE -> {
                local = localEphemeral;
                remote = remoteEphemeral;
            }
            case ES -> {
                local = initiator ? localEphemeral : localStatic;
                remote = initiator ? remoteStatic : remoteEphemeral;
            }
            case SE -> {
                local = initiator ? localStatic : localEphemeral;
                remote = initiator ? remoteEphemeral : remoteStatic;
            }
            case SS -> {
                local = localStatic;
                remote = remoteStatic;
            }
            default -> throw new IllegalArgumentException("not a Diffie-Hellman token: " + token);
        }
        // the static-static secret is the same in every handshake between the same two keys
        byte[] secret = token == NoisePattern.Token.SS ? local.agreeStatic(remote) : local.agree(remote);
        symmetric.mixKey(secret);
        Arrays.fill(secret, (byte) 0);
    }

    private int messageLength(NoisePattern.Token[] tokens, int payloadLength) {
        boolean keyed = symmetric.hasKey();
        int length = 0;
        for (NoisePattern.Token token : tokens) {
            switch (token) {
                case E -> length += DH_LENGTH;
                case S -> length += DH_LENGTH + (keyed ? NoiseCipher.TAG_LENGTH : 0);
                default -> keyed = true;
            }
        }
        return length + payloadLength + (keyed ? NoiseCipher.TAG_LENGTH : 0);
    }

    private HandshakeException fail(String reason, Throwable cause) {
        failure = reason;
        return new HandshakeException(reason, cause);
    }

    /** Whether all handshake messages have been written and read. */
    public boolean isComplete() {
        return messageIndex == pattern.messageCount();
    }

    /** Whether the handshake failed and can no longer be used. */
    public boolean hasFailed() {
        return failure != null;
    }

    /** Whether this side writes the next message; false when complete or failed. */
    public boolean isWriteTurn() {
        return failure == null && !isComplete() && ((messageIndex % 2 == 0) == initiator);
    }

    /** A copy of the peer's static public key, or null until it is known. */
    public byte[] remoteStaticKey() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    /**
     * A copy of the handshake hash {@code h}; once the handshake is complete it identifies
     * the session and may be signed for channel binding.
     */
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** The handshake pattern. */
    public NoisePattern pattern() {
        return pattern;
    }

    /** The cipher. */
    public NoiseCipher cipher() {
        return cipher;
    }

    /** Whether this side started the handshake. */
    public boolean isInitiator() {
        return initiator;
    }

    /** The number of handshake messages written or read so far. */
    public int messageIndex() {
        return messageIndex;
    }

    /**
     * Derives the transport keys (Noise §5.2 Split); the initiator sends with {@code c1} and
     * the responder with {@code c2}. Each call returns new CipherStates with nonce 0.
     *
     * @throws IllegalStateException when the handshake is not complete
     */
    public TransportKeys split() {
        if (!isComplete()) {
            throw new IllegalStateException("split() needs a complete handshake; message " + messageIndex
                    + " of " + pattern.messageCount() + " is next");
        }
        CipherState[] pair = symmetric.split();
        return initiator ? new TransportKeys(pair[0], pair[1]) : new TransportKeys(pair[1], pair[0]);
    }

    @Override
    public String toString() {
        return "NoiseHandshake[" + protocolName(pattern, cipher) + ", " + (initiator ? "initiator" : "responder")
                + ", message " + messageIndex + (failure != null ? ", failed" : "") + "]";
    }
}
