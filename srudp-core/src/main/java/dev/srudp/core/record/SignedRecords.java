package dev.srudp.core.record;

import java.util.Objects;

/**
 * Signs endpoint records into the envelope that directories carry as opaque bytes.
 *
 * <p>The envelope is the protobuf message {@code SignedEnvelope {bytes record = 1; bytes
 * signature = 2;}} of {@code endpoint_record.proto}. The signature is Ed25519 by the identity key
 * over the ASCII string {@code "srudp endpoint record v1"}, one zero byte, then the exact bytes of
 * the {@code record} field; the context string keeps the signature from being valid for anything
 * else the identity signs, such as static key certificates.
 */
public final class SignedRecords {
    /** Largest envelope written or read, in bytes. */
    public static final int MAX_ENVELOPE_BYTES = 4096;

    private SignedRecords() {
    }

    /**
     * Encodes and signs {@code record} with {@code local}'s identity.
     *
     * @throws IllegalArgumentException when the record is not {@code local}'s (its identity or
     *     certified key differs) or its envelope would exceed {@value #MAX_ENVELOPE_BYTES} bytes
     */
    public static byte[] sign(LocalIdentity local, EndpointRecord record) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(record, "record");
        if (!record.certifiedKey().equals(local.certifiedKey())) {
            throw new IllegalArgumentException("the record names " + record.identity() + "'s certified key, not this "
                    + "identity's (" + local.peerId() + "); build it with EndpointRecord.builder(local)");
        }
        byte[] recordBytes = RecordCodec.encodeRecord(record);
        byte[] signature = local.identity().sign(RecordCodec.signedBytes(recordBytes));
        byte[] envelope = RecordCodec.encodeEnvelope(recordBytes, signature);
        if (envelope.length > MAX_ENVELOPE_BYTES) {
            throw new IllegalArgumentException("the signed record is " + envelope.length + " bytes, more than the "
                    + "limit of " + MAX_ENVELOPE_BYTES + "; drop candidates or shorten the directory address");
        }
        return envelope;
    }
}
