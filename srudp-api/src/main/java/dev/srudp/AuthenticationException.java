package dev.srudp;

/**
 * The peer could not be authenticated: the handshake failed cryptographically, the peer proved a
 * different identity than expected, its key certificate is invalid, or the acceptance policy
 * refused it.
 */
public class AuthenticationException extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message, ErrorCodes.AUTHENTICATION_FAILED, false);
    }
}
