package dev.srudp.core.record;

import dev.srudp.PeerId;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.crypto.StaticKeyCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads signed endpoint records from untrusted sources and says whether to use them.
 *
 * <p>{@link #check} runs these steps and stops at the first that fails:
 *
 * <ol>
 *   <li>decode the envelope ({@value SignedRecords#MAX_ENVELOPE_BYTES} bytes at most) and the
 *       record, checking every bound: {@code MALFORMED}; a format version other than
 *       {@value EndpointRecord#FORMAT_VERSION}: {@code UNSUPPORTED_VERSION}; a certificate that is
 *       not 128 bytes: {@code BAD_CERTIFICATE};</li>
 *   <li>verify the signature with the record's identity key: {@code BAD_SIGNATURE};</li>
 *   <li>compare the identity with the expected one: {@code WRONG_IDENTITY};</li>
 *   <li>verify the static key certificate and that it names the record's identity:
 *       {@code BAD_CERTIFICATE};</li>
 *   <li>compare the directory address with the expected one: {@code WRONG_SLOT};</li>
 *   <li>compare the validity interval with the clock, allowing {@link #CLOCK_SKEW} either way:
 *       {@code EXPIRED}, {@code NOT_YET_VALID};</li>
 *   <li>compare the sequence number with the last one seen from the peer: {@code OLDER_SEQUENCE},
 *       or {@code CONFLICTING_SAME_SEQUENCE} for a different record under the same number (the
 *       very same record is accepted again). An accepted record's number is remembered.</li>
 * </ol>
 *
 * <p>It never throws for any input bytes. If the sequence store cannot write its file, the
 * record is still accepted (the store remembers it in memory) and a warning is logged.
 * Instances are thread-safe.
 */
public final class RecordVerifier {
    /** Clock difference tolerated between the signer and the reader. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(120);

    private static final Logger log = LoggerFactory.getLogger(RecordVerifier.class);

    private final Clock clock;
    private final SequenceStore sequences;

    /**
     * @param clock the time records are checked against
     * @param sequences where the last sequence number of each peer is kept
     */
    public RecordVerifier(Clock clock, SequenceStore sequences) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sequences = Objects.requireNonNull(sequences, "sequences");
    }

    /** Checks {@code envelope} with no expectation of identity or directory address. */
    public RecordCheck check(byte[] envelope) {
        return check(envelope, Expectation.ANY);
    }

    /** Checks {@code envelope}; see the class description for the steps. Never throws. */
    public RecordCheck check(byte[] envelope, Expectation expectation) {
        Objects.requireNonNull(expectation, "expectation");
        RecordCodec.Decoded decoded;
        try {
            decoded = RecordCodec.decode(envelope);
        } catch (RecordCodec.Malformed e) {
            return RecordCheck.refused(e.reason, e.getMessage());
        }
        EndpointRecord record = decoded.record();
        PeerId signer = PeerId.of(decoded.identityKey());

        if (!Identity.verify(decoded.identityKey(), RecordCodec.signedBytes(decoded.recordBytes()),
                decoded.signature())) {
            return RecordCheck.refused(RecordCheck.Reason.BAD_SIGNATURE, "the signature does not verify with the "
                    + "record's identity key " + signer + "; the record was altered or forged");
        }
        if (expectation.identity().isPresent() && !expectation.identity().get().equals(signer)) {
            return RecordCheck.refused(RecordCheck.Reason.WRONG_IDENTITY, "the record is signed by "
                    + Fingerprint.describe(signer) + ", expected " + Fingerprint.describe(expectation.identity().get()));
        }
        StaticKeyCertificate certificate = StaticKeyCertificate.decode(decoded.certificate());
        if (!Arrays.equals(certificate.identityKey(), decoded.identityKey())) {
            return RecordCheck.refused(RecordCheck.Reason.BAD_CERTIFICATE, "the static key certificate belongs to "
                    + PeerId.of(certificate.identityKey()) + ", not to the record's identity " + signer);
        }
        if (!certificate.isValid()) {
            return RecordCheck.refused(RecordCheck.Reason.BAD_CERTIFICATE,
                    "the static key certificate's signature does not verify with identity " + signer);
        }
        if (expectation.publishedAt().isPresent()) {
            String expected = expectation.publishedAt().get().toString();
            String actual = record.publishedAt().map(Object::toString).orElse(null);
            if (!expected.equals(actual)) {
                return RecordCheck.refused(RecordCheck.Reason.WRONG_SLOT, (actual == null
                        ? "the record names no directory address" : "the record was published at " + actual)
                        + ", expected " + expected + "; it may have been copied from another slot");
            }
        }
        long nowSeconds = clock.instant().getEpochSecond();
        long skewSeconds = CLOCK_SKEW.getSeconds();
        if (nowSeconds - skewSeconds > record.expiresAtSeconds()) {
            return RecordCheck.refused(RecordCheck.Reason.EXPIRED, "the record expired at " + record.expiresAt()
                    + " (now " + Instant.ofEpochSecond(nowSeconds) + ", " + skewSeconds + " s of clock skew allowed)");
        }
        if (record.issuedAtSeconds() > nowSeconds + skewSeconds) {
            return RecordCheck.refused(RecordCheck.Reason.NOT_YET_VALID, "the record is issued at "
                    + record.issuedAt() + ", more than " + skewSeconds + " s after now ("
                    + Instant.ofEpochSecond(nowSeconds) + "); check the signer's clock");
        }
        SequenceStore.Persisted persisted = sequences.offer(signer, record.sequence(), decoded.recordBytes());
        if (persisted.failure() != null) {
            log.warn("record {} of {} accepted but its sequence number was not saved: {}",
                    Long.toUnsignedString(record.sequence()), signer, persisted.failure().toString());
        }
        SequenceStore.Offer offer = persisted.offer();
        switch (offer.verdict()) {
            case OLDER:
                return RecordCheck.refused(RecordCheck.Reason.OLDER_SEQUENCE, "sequence number "
                        + Long.toUnsignedString(record.sequence()) + " is older than "
                        + Long.toUnsignedString(offer.seen()) + ", already seen from " + Fingerprint.describe(signer));
            case CONFLICT:
                return RecordCheck.refused(RecordCheck.Reason.CONFLICTING_SAME_SEQUENCE, "a different record with "
                        + "sequence number " + Long.toUnsignedString(offer.seen()) + " was already seen from "
                        + Fingerprint.describe(signer) + "; a peer must raise the number for every new record");
            default:
                return RecordCheck.accepted(record);
        }
    }
}
