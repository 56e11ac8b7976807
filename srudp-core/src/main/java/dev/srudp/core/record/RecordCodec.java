package dev.srudp.core.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.srudp.CertifiedKey;
import dev.srudp.core.record.proto.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Translates between {@link EndpointRecord} and the generated protobuf classes, which never leave
 * this package. Decoding checks every bound and turns any defect into {@link Malformed}.
 */
final class RecordCodec {
    /** Signatures cover this context, then the record bytes. */
    static final byte[] SIGNATURE_CONTEXT = "srudp endpoint record v1\0".getBytes(StandardCharsets.US_ASCII);

    /** Latest time a record may name: the end of year 9999, well inside {@link java.time.Instant}. */
    static final long MAX_SECONDS = 253_402_300_799L;

    private RecordCodec() {
    }

    /** A decoded envelope: the record bytes as received, the signature and the parsed record. */
    record Decoded(byte[] recordBytes, byte[] signature, byte[] identityKey, byte[] certificate,
                   EndpointRecord record) {
    }

    /** A record that cannot be decoded, with the reason it is refused. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final RecordCheck.Reason reason;

        Malformed(RecordCheck.Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    static byte[] signedBytes(byte[] recordBytes) {
        byte[] message = new byte[SIGNATURE_CONTEXT.length + recordBytes.length];
        System.arraycopy(SIGNATURE_CONTEXT, 0, message, 0, SIGNATURE_CONTEXT.length);
        System.arraycopy(recordBytes, 0, message, SIGNATURE_CONTEXT.length, recordBytes.length);
        return message;
    }

    static byte[] encodeRecord(EndpointRecord record) {
        dev.srudp.core.record.proto.EndpointRecord.Builder out = dev.srudp.core.record.proto.EndpointRecord.newBuilder()
                .setFormatVersion(EndpointRecord.FORMAT_VERSION)
                .setIdentityKey(ByteString.copyFrom(record.identity().publicKey()))
                .setStaticKeyCertificate(ByteString.copyFrom(record.certifiedKey().encoded()))
                .setSequence(record.sequence())
                .setIssuedAt(record.issuedAtSeconds())
                .setExpiresAt(record.expiresAtSeconds());
        for (Candidate candidate : record.candidates()) {
            out.addCandidates(dev.srudp.core.record.proto.Candidate.newBuilder()
                    .setKind(kindToWire(candidate.kind()))
                    .setAddress(addressToWire(candidate.address())));
        }
        NatHints hints = record.natHints();
        if (!hints.equals(NatHints.UNKNOWN)) {
            out.setNatHints(dev.srudp.core.record.proto.NatHints.newBuilder()
                    .setMappingValue(hints.mapping().ordinal())
                    .setFilteringValue(hints.filtering().ordinal())
                    .setPortAllocationValue(hints.portAllocation().ordinal())
                    .setPortStep(hints.portStep()));
        }
        record.gates().forEach(gate -> out.addGates(addressToWire(gate)));
        record.protocolVersions().forEach(out::addProtocolVersions);
        record.publishedAt().ifPresent(uri -> out.setPublishedAt(uri.toString()));
        return out.build().toByteArray();
    }

    static byte[] encodeEnvelope(byte[] recordBytes, byte[] signature) {
        return dev.srudp.core.record.proto.SignedEnvelope.newBuilder()
                .setRecord(ByteString.copyFrom(recordBytes))
                .setSignature(ByteString.copyFrom(signature))
                .build().toByteArray();
    }

    /** Decodes an envelope without checking its signature; never throws anything but {@link Malformed}. */
    static Decoded decode(byte[] envelope) throws Malformed {
        if (envelope == null) {
            throw malformed("no bytes");
        }
        if (envelope.length > SignedRecords.MAX_ENVELOPE_BYTES) {
            throw malformed("envelope is " + envelope.length + " bytes, more than the limit of "
                    + SignedRecords.MAX_ENVELOPE_BYTES);
        }
        try {
            return decodeBounded(envelope);
        } catch (InvalidProtocolBufferException e) {
            throw malformed("not a protobuf encoding: " + e.getMessage());
        } catch (RuntimeException e) {
            throw malformed("undecodable: " + e);
        }
    }

    private static Decoded decodeBounded(byte[] envelope) throws Malformed, InvalidProtocolBufferException {
        dev.srudp.core.record.proto.SignedEnvelope signed = dev.srudp.core.record.proto.SignedEnvelope.parseFrom(envelope);
        byte[] signature = signed.getSignature().toByteArray();
        if (signature.length != 64) {
            throw malformed("signature is " + signature.length + " bytes, expected 64");
        }
        byte[] recordBytes = signed.getRecord().toByteArray();
        dev.srudp.core.record.proto.EndpointRecord wire = dev.srudp.core.record.proto.EndpointRecord.parseFrom(recordBytes);
        if (wire.getFormatVersion() != EndpointRecord.FORMAT_VERSION) {
            throw new Malformed(RecordCheck.Reason.UNSUPPORTED_VERSION, "record format version "
                    + Integer.toUnsignedString(wire.getFormatVersion()) + " is not supported (this srudp reads version "
                    + EndpointRecord.FORMAT_VERSION + ")");
        }
        byte[] identityKey = wire.getIdentityKey().toByteArray();
        if (identityKey.length != 32) {
            throw malformed("identity key is " + identityKey.length + " bytes, expected 32");
        }
        byte[] certificate = wire.getStaticKeyCertificate().toByteArray();
        if (certificate.length != CertifiedKey.ENCODED_LENGTH) {
            throw new Malformed(RecordCheck.Reason.BAD_CERTIFICATE, "static key certificate is "
                    + certificate.length + " bytes, expected " + CertifiedKey.ENCODED_LENGTH);
        }
        if (wire.getCandidatesCount() > EndpointRecord.MAX_CANDIDATES) {
            throw malformed(wire.getCandidatesCount() + " candidates, more than the limit of "
                    + EndpointRecord.MAX_CANDIDATES);
        }
        if (wire.getGatesCount() > EndpointRecord.MAX_GATES) {
            throw malformed(wire.getGatesCount() + " gates, more than the limit of " + EndpointRecord.MAX_GATES);
        }
        if (wire.getProtocolVersionsCount() > EndpointRecord.MAX_PROTOCOL_VERSIONS) {
            throw malformed(wire.getProtocolVersionsCount() + " protocol versions, more than the limit of "
                    + EndpointRecord.MAX_PROTOCOL_VERSIONS);
        }
        long issued = wire.getIssuedAt();
        long expires = wire.getExpiresAt();
        if (issued < 0 || issued > MAX_SECONDS || expires < 0 || expires > MAX_SECONDS) {
            throw malformed("issued-at " + issued + " or expires-at " + expires + " is outside 0-" + MAX_SECONDS);
        }
        if (expires <= issued) {
            throw malformed("expires-at " + expires + " is not after issued-at " + issued);
        }

        EndpointRecord.Builder record = EndpointRecord.builder()
                .certifiedKey(CertifiedKey.fromEncoded(certificate))
                .sequence(wire.getSequence())
                .valid(java.time.Instant.ofEpochSecond(issued), java.time.Instant.ofEpochSecond(expires));
        for (dev.srudp.core.record.proto.Candidate candidate : wire.getCandidatesList()) {
            CandidateKind kind = kindFromWire(candidate.getKindValue());
            InetSocketAddress address = addressFromWire(candidate.getAddress(), "candidate");
            if (kind != null) {
                record.addCandidate(kind, address);
            }
        }
        dev.srudp.core.record.proto.NatHints hints = wire.getNatHints();
        record.natHints(new NatHints(
                enumFromWire(NatHints.Mapping.values(), hints.getMappingValue(), NatHints.Mapping.UNKNOWN),
                enumFromWire(NatHints.Filtering.values(), hints.getFilteringValue(), NatHints.Filtering.UNKNOWN),
                enumFromWire(NatHints.PortAllocation.values(), hints.getPortAllocationValue(),
                        NatHints.PortAllocation.UNKNOWN),
                stepFromWire(hints.getPortStep())));
        for (SocketAddress gate : wire.getGatesList()) {
            record.addGate(addressFromWire(gate, "gate"));
        }
        int[] versions = new int[wire.getProtocolVersionsCount()];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = wire.getProtocolVersions(i);
            if (versions[i] < 0) {
                throw malformed("protocol version " + Integer.toUnsignedString(versions[i]) + " is out of range");
            }
        }
        record.protocolVersions(versions);
        String publishedAt = wire.getPublishedAt();
        if (publishedAt.length() > EndpointRecord.MAX_PUBLISHED_AT_LENGTH) {
            throw malformed("directory address is " + publishedAt.length() + " characters, more than the limit of "
                    + EndpointRecord.MAX_PUBLISHED_AT_LENGTH);
        }
        if (!publishedAt.isEmpty()) {
            try {
                record.publishedAt(new URI(publishedAt));
            } catch (URISyntaxException e) {
                throw malformed("directory address is not a URI: " + e.getMessage());
            }
        }
        return new Decoded(recordBytes, signature, identityKey, certificate, record.build());
    }

    /** A step out of range is read as unknown, as unknown enum values are. */
    private static int stepFromWire(int step) {
        return step >= -NatHints.MAX_PORT_STEP && step <= NatHints.MAX_PORT_STEP ? step : 0;
    }

    private static InetSocketAddress addressFromWire(SocketAddress wire, String what) throws Malformed {
        byte[] ip = wire.getIp().toByteArray();
        if (ip.length != 4 && ip.length != 16) {
            throw malformed(what + " address is " + ip.length + " bytes, expected 4 or 16");
        }
        if (wire.getPort() < 1 || wire.getPort() > 65535) {
            throw malformed(what + " port " + Integer.toUnsignedString(wire.getPort()) + " is outside 1-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), wire.getPort());
        } catch (UnknownHostException e) {
            throw malformed(what + " address: " + e.getMessage());
        }
    }

    private static SocketAddress addressToWire(InetSocketAddress address) {
        return SocketAddress.newBuilder()
                .setIp(ByteString.copyFrom(address.getAddress().getAddress()))
                .setPort(address.getPort())
                .build();
    }

    private static dev.srudp.core.record.proto.CandidateKind kindToWire(CandidateKind kind) {
        return dev.srudp.core.record.proto.CandidateKind.forNumber(kind.ordinal() + 1);
    }

    /** The kind of a wire value, or null for a kind this version does not know. */
    private static CandidateKind kindFromWire(int value) {
        CandidateKind[] kinds = CandidateKind.values();
        return value >= 1 && value <= kinds.length ? kinds[value - 1] : null;
    }

    private static <E extends Enum<E>> E enumFromWire(E[] values, int wire, E unknown) {
        return wire >= 0 && wire < values.length ? values[wire] : unknown;
    }

    private static Malformed malformed(String message) {
        return new Malformed(RecordCheck.Reason.MALFORMED, message);
    }
}
