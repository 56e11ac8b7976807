package dev.srudp.core.record;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An identity file that cannot be used: missing, unreadable, corrupt, not an srudp identity, or
 * readable by others. The message names the file and says what to do.
 */
public final class IdentityStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    IdentityStoreException(Path file, String message) {
        super(message);
        this.file = file;
    }

    IdentityStoreException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
