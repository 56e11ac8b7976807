package dev.srudp.discovery.manual;

import java.io.IOException;

/**
 * A text is not a valid rendezvous string. The message says what is wrong and where, in words a
 * user can act on; {@link #reason()} and {@link #position()} say the same for programs.
 */
public final class RendezvousFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the text. */
    public enum Reason {
        /** Nothing but whitespace, or nothing at all. */
        EMPTY,
        /** The text does not start with {@code srudp1-} (nor {@code srudp:srudp1-}). */
        WRONG_PREFIX,
        /** The text starts with {@code srudpN-} for a format version this library does not read. */
        WRONG_VERSION,
        /** A character that never occurs in a rendezvous string. */
        INVALID_CHARACTER,
        /**
         * A group failed its check character, or a dash is not between two whole groups: a
         * character near {@link #position()} was mistyped, dropped or added.
         */
        TYPO,
        /** The text ends before the length its first group declares. */
        TRUNCATED,
        /** Every group passed its check but the whole-payload checksum did not. */
        CHECKSUM,
        /** Longer than the input bound, or longer than its first group declares. */
        TOO_LONG
    }

    private final Reason reason;
    private final int position;

    RendezvousFormatException(Reason reason, int position, String message) {
        super(message);
        this.reason = reason;
        this.position = position;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The 1-based position in the decoded text (counting every character, whitespace included)
     * where the problem was found: the offending character, the first character of the group that
     * failed its check, or the position just past the end for a truncated text.
     */
    public int position() {
        return position;
    }
}
