package dev.srudp.core.record;

import dev.srudp.CertifiedKey;
import dev.srudp.PeerAddress;
import dev.srudp.PeerId;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a peer is and where it can be reached: the content of a signed endpoint record.
 *
 * <p>A record names the peer's identity and its certified X25519 handshake key, the addresses to
 * try (in order of preference), what the peer knows about its NAT, the gates that forward to it,
 * the protocol versions it speaks, optionally the directory address it was published at, a
 * sequence number and a validity interval. Records are signed with {@link SignedRecords#sign} and
 * read back with {@link RecordVerifier#check}; the wire format is
 * {@code srudp-core/src/main/proto/endpoint_record.proto}.
 *
 * <p>Times have a resolution of one second (they travel as unix seconds); the builder drops
 * fractions of a second. The sequence number is an unsigned 64-bit value: a peer increases it
 * for every record it issues, and readers refuse one older than they have seen. Issued-at
 * seconds work as a sequence number for a peer that issues at most one record a second.
 *
 * <p>Instances are immutable.
 */
public final class EndpointRecord {
    /** The record format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Most candidate addresses a record may carry. */
    public static final int MAX_CANDIDATES = 32;
    /** Most gates a record may carry. */
    public static final int MAX_GATES = 8;
    /** Most protocol versions a record may carry. */
    public static final int MAX_PROTOCOL_VERSIONS = 16;
    /** Longest directory address, in characters. */
    public static final int MAX_PUBLISHED_AT_LENGTH = 512;

    private final CertifiedKey certifiedKey;
    private final List<Candidate> candidates;
    private final NatHints natHints;
    private final List<InetSocketAddress> gates;
    private final List<Integer> protocolVersions;
    private final URI publishedAt;
    private final long sequence;
    private final long issuedAtSeconds;
    private final long expiresAtSeconds;

    private EndpointRecord(Builder b) {
        this.certifiedKey = b.certifiedKey;
        this.candidates = List.copyOf(b.candidates);
        this.natHints = b.natHints;
        this.gates = List.copyOf(b.gates);
        this.protocolVersions = List.copyOf(b.protocolVersions);
        this.publishedAt = b.publishedAt;
        this.sequence = b.sequence;
        this.issuedAtSeconds = b.issuedAtSeconds;
        this.expiresAtSeconds = b.expiresAtSeconds;
    }

    /** A builder with no fields set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for a record of {@code local}: its certified key is set. */
    public static Builder builder(LocalIdentity local) {
        return new Builder().certifiedKey(local.certifiedKey());
    }

    /** A builder holding this record's fields, for issuing its successor. */
    public Builder toBuilder() {
        Builder b = new Builder().certifiedKey(certifiedKey).natHints(natHints).sequence(sequence);
        b.candidates.addAll(candidates);
        b.gates.addAll(gates);
        b.protocolVersions.addAll(protocolVersions);
        b.publishedAt = publishedAt;
        b.issuedAtSeconds = issuedAtSeconds;
        b.expiresAtSeconds = expiresAtSeconds;
        b.timesSet = true;
        return b;
    }

    /** The peer's identity (the identity of {@link #certifiedKey()}). */
    public PeerId identity() {
        return certifiedKey.identity();
    }

    /** The peer's X25519 handshake key, certified by its identity. */
    public CertifiedKey certifiedKey() {
        return certifiedKey;
    }

    /** Addresses to try, in the peer's order of preference. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** What the peer knows about its NAT. */
    public NatHints natHints() {
        return natHints;
    }

    /** Gates that forward to the peer. */
    public List<InetSocketAddress> gates() {
        return gates;
    }

    /** Protocol versions the peer speaks. */
    public List<Integer> protocolVersions() {
        return protocolVersions;
    }

    /** The directory address this record was published at, if the peer named one. */
    public Optional<URI> publishedAt() {
        return Optional.ofNullable(publishedAt);
    }

    /** The sequence number, an unsigned 64-bit value (compare with {@link Long#compareUnsigned}). */
    public long sequence() {
        return sequence;
    }

    /** When the peer issued the record. */
    public Instant issuedAt() {
        return Instant.ofEpochSecond(issuedAtSeconds);
    }

    /** When the record stops being valid. */
    public Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAtSeconds);
    }

    long issuedAtSeconds() {
        return issuedAtSeconds;
    }

    long expiresAtSeconds() {
        return expiresAtSeconds;
    }

    /**
     * Where to connect to the peer over {@code family}: the first candidate of that address family,
     * with the certified key, so the handshake is the one-round-trip Noise IK.
     *
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @return empty when no candidate has an address of that family
     */
    public Optional<PeerAddress> toPeerAddress(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        for (Candidate candidate : candidates) {
            if (familyOf(candidate.address()) == family) {
                return Optional.of(PeerAddress.of(candidate.address(), certifiedKey));
            }
        }
        return Optional.empty();
    }

    /** Every candidate as a {@link PeerAddress} with the certified key, in order of preference. */
    public List<PeerAddress> peerAddresses() {
        List<PeerAddress> out = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            out.add(PeerAddress.of(candidate.address(), certifiedKey));
        }
        return List.copyOf(out);
    }

    private static ProtocolFamily familyOf(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet4Address) {
            return StandardProtocolFamily.INET;
        }
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : null;
    }

    static InetSocketAddress requireUsable(InetSocketAddress address, String what) {
        Objects.requireNonNull(address, what);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(what + " is unresolved: " + address + "; resolve it first");
        }
        if (address.getPort() == 0) {
            throw new IllegalArgumentException(what + " has port 0: " + address);
        }
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointRecord r
                && certifiedKey.equals(r.certifiedKey)
                && candidates.equals(r.candidates)
                && natHints.equals(r.natHints)
                && gates.equals(r.gates)
                && protocolVersions.equals(r.protocolVersions)
                && Objects.equals(publishedAt, r.publishedAt)
                && sequence == r.sequence
                && issuedAtSeconds == r.issuedAtSeconds
                && expiresAtSeconds == r.expiresAtSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(certifiedKey, candidates, natHints, gates, protocolVersions, publishedAt, sequence,
                issuedAtSeconds, expiresAtSeconds);
    }

    @Override
    public String toString() {
        return "EndpointRecord[" + identity() + " seq " + Long.toUnsignedString(sequence)
                + ", candidates " + candidates + ", " + natHints + ", gates " + gates
                + ", versions " + protocolVersions + (publishedAt == null ? "" : ", at " + publishedAt)
                + ", " + issuedAt() + " to " + expiresAt() + "]";
    }

    /** Builds an {@link EndpointRecord}; {@link #build()} checks every field. */
    public static final class Builder {
        private CertifiedKey certifiedKey;
        private final List<Candidate> candidates = new ArrayList<>();
        private NatHints natHints = NatHints.UNKNOWN;
        private final List<InetSocketAddress> gates = new ArrayList<>();
        private final List<Integer> protocolVersions = new ArrayList<>();
        private URI publishedAt;
        private long sequence;
        private boolean sequenceSet;
        private long issuedAtSeconds;
        private long expiresAtSeconds;
        private boolean timesSet;

        private Builder() {
        }

        /** The peer's certified handshake key; it also names the peer's identity. Required. */
        public Builder certifiedKey(CertifiedKey key) {
            this.certifiedKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Appends a candidate address; candidates keep the order they are added in. */
        public Builder addCandidate(CandidateKind kind, InetSocketAddress address) {
            return addCandidate(new Candidate(kind, address));
        }

        /** Appends a candidate address. */
        public Builder addCandidate(Candidate candidate) {
            candidates.add(Objects.requireNonNull(candidate, "candidate"));
            return this;
        }

        /** Replaces the candidate addresses. */
        public Builder candidates(List<Candidate> list) {
            candidates.clear();
            list.forEach(this::addCandidate);
            return this;
        }

        /** What the peer knows about its NAT; {@link NatHints#UNKNOWN} unless set. */
        public Builder natHints(NatHints hints) {
            this.natHints = Objects.requireNonNull(hints, "hints");
            return this;
        }

        /** Appends a gate that forwards to the peer. */
        public Builder addGate(InetSocketAddress gate) {
            gates.add(requireUsable(gate, "gate address"));
            return this;
        }

        /** Replaces the protocol versions the peer speaks (each 0 or more). */
        public Builder protocolVersions(int... versions) {
            protocolVersions.clear();
            for (int version : versions) {
                if (version < 0) {
                    throw new IllegalArgumentException("a protocol version is 0 or more, got " + version);
                }
                protocolVersions.add(version);
            }
            return this;
        }

        /** The directory address the record will be published at; readers may insist on it. */
        public Builder publishedAt(URI address) {
            this.publishedAt = address;
            return this;
        }

        /** The sequence number, an unsigned 64-bit value. Required. */
        public Builder sequence(long value) {
            this.sequence = value;
            this.sequenceSet = true;
            return this;
        }

        /** The validity interval, from {@code issuedAt} for {@code lifetime}. Required. */
        public Builder validFor(Instant issuedAt, Duration lifetime) {
            return valid(issuedAt, issuedAt.plus(lifetime));
        }

        /** The validity interval; {@code expiresAt} must be later than {@code issuedAt}. Required. */
        public Builder valid(Instant issuedAt, Instant expiresAt) {
            this.issuedAtSeconds = issuedAt.getEpochSecond();
            this.expiresAtSeconds = expiresAt.getEpochSecond();
            this.timesSet = true;
            return this;
        }

        /**
         * Checks the fields and builds the record.
         *
         * @throws IllegalStateException when a required field is missing
         * @throws IllegalArgumentException when a field is out of bounds
         */
        public EndpointRecord build() {
            if (certifiedKey == null) {
                throw new IllegalStateException("an endpoint record needs the peer's certified key");
            }
            if (!sequenceSet) {
                throw new IllegalStateException("an endpoint record needs a sequence number");
            }
            if (!timesSet) {
                throw new IllegalStateException("an endpoint record needs a validity interval");
            }
            if (expiresAtSeconds <= issuedAtSeconds) {
                throw new IllegalArgumentException("an endpoint record must expire after it is issued, got "
                        + Instant.ofEpochSecond(issuedAtSeconds) + " to " + Instant.ofEpochSecond(expiresAtSeconds));
            }
            bound(candidates.size(), MAX_CANDIDATES, "candidates");
            bound(gates.size(), MAX_GATES, "gates");
            bound(protocolVersions.size(), MAX_PROTOCOL_VERSIONS, "protocol versions");
            if (publishedAt != null) {
                bound(publishedAt.toString().length(), MAX_PUBLISHED_AT_LENGTH, "characters of directory address");
                if (publishedAt.toString().isEmpty()) {
                    throw new IllegalArgumentException("a directory address may not be empty");
                }
            }
            return new EndpointRecord(this);
        }

        private static void bound(int count, int max, String what) {
            if (count > max) {
                throw new IllegalArgumentException("an endpoint record holds at most " + max + " " + what
                        + ", got " + count);
            }
        }
    }
}
