package dev.srudp.core.crypto;

import java.io.IOException;

/** An AEAD decryption failed: the ciphertext, its associated data, the key or the nonce is wrong. */
public final class AeadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a reason. */
    public AeadException(String reason) {
        super(reason);
    }

    /** Creates an exception with a reason and its cause. */
    public AeadException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
