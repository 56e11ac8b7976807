package dev.srudp.cli;

import dev.srudp.AuthenticationException;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.SrudpException;

/** Maps failures to the documented exit codes and one clear message each. */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int IDENTITY = 3;
    static final int PARTNER = 4;
    static final int CONNECT = 5;
    static final int AUTHENTICATION = 6;
    static final int TRANSFER = 7;

    private ExitCodes() {
    }

    /** A failure the command explains itself, with its exit code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message) {
            super(message);
            this.code = code;
        }

        Failure(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }

    static int of(Throwable e) {
        if (e instanceof Failure f) {
            return f.code;
        }
        if (e instanceof AuthenticationException) {
            return AUTHENTICATION;
        }
        if (e instanceof ConnectionTimeoutException) {
            return CONNECT;
        }
        if (e instanceof SrudpException) {
            return TRANSFER;
        }
        return INTERNAL;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof Failure || e instanceof SrudpException) {
            return m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
