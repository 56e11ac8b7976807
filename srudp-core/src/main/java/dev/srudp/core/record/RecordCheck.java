package dev.srudp.core.record;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link RecordVerifier#check}: the accepted record, or the reason it was refused
 * with a message for people.
 */
public final class RecordCheck {
    /** Why a record was refused. */
    public enum Reason {
        /** Not a well-formed envelope or record, or beyond a size limit. */
        MALFORMED,
        /** The signature is not the record identity's over the record bytes. */
        BAD_SIGNATURE,
        /** Validly signed, but by another identity than the one expected. */
        WRONG_IDENTITY,
        /** Past its expiry time, even allowing for clock skew. */
        EXPIRED,
        /** Issued further in the future than clock skew explains. */
        NOT_YET_VALID,
        /** A newer record from the same peer has been seen. */
        OLDER_SEQUENCE,
        /** A record with the same sequence number but other content has been seen. */
        CONFLICTING_SAME_SEQUENCE,
        /** Published at another directory address than the one it was read from. */
        WRONG_SLOT,
        /** The static key certificate is malformed, not validly signed, or names another identity. */
        BAD_CERTIFICATE,
        /** A record format this version does not read. */
        UNSUPPORTED_VERSION
    }

    private final EndpointRecord record;
    private final Reason reason;
    private final String message;

    private RecordCheck(EndpointRecord record, Reason reason, String message) {
        this.record = record;
        this.reason = reason;
        this.message = message;
    }

    static RecordCheck accepted(EndpointRecord record) {
        return new RecordCheck(Objects.requireNonNull(record), null,
                "accepted record " + Long.toUnsignedString(record.sequence()) + " of "
                        + Fingerprint.describe(record.identity()));
    }

    static RecordCheck refused(Reason reason, String message) {
        return new RecordCheck(null, Objects.requireNonNull(reason), "refused (" + reason + "): " + message);
    }

    /** Tells whether the record was accepted. */
    public boolean isAccepted() {
        return record != null;
    }

    /** The accepted record; empty when refused. */
    public Optional<EndpointRecord> record() {
        return Optional.ofNullable(record);
    }

    /** Why the record was refused; empty when accepted. */
    public Optional<Reason> refusal() {
        return Optional.ofNullable(reason);
    }

    /**
     * The accepted record.
     *
     * @throws IllegalStateException with {@link #message()} when the record was refused
     */
    public EndpointRecord orElseThrow() {
        if (record == null) {
            throw new IllegalStateException(message);
        }
        return record;
    }

    /** What happened, for people: the reason and the details (times, sequence numbers, addresses). */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "RecordCheck[" + message + "]";
    }
}
