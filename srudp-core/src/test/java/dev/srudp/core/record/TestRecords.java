package dev.srudp.core.record;

import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Fixed identities, records and clocks shared by the record tests. */
final class TestRecords {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final URI SLOT = URI.create("rendezvous:alice");

    private TestRecords() {
    }

    /** A deterministic random source: SHA1PRNG seeded before first use does not mix in system entropy. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalIdentity identity(Path home, long seed) {
        try {
            return IdentityStore.open(home, seeded(seed)).loadOrCreate();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An identity that lives only in memory, with port 30000. */
    static LocalIdentity identity(long seed) {
        SecureRandom random = seeded(seed);
        return new LocalIdentity(Identity.generate(random), DhKeyPair.generate(random), 30000);
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A record of {@code local} issued at {@link #NOW}, valid for an hour, published at {@link #SLOT}. */
    static EndpointRecord.Builder record(LocalIdentity local, long sequence) {
        return EndpointRecord.builder(local)
                .addCandidate(CandidateKind.HOST, address("192.168.1.20", local.defaultPort()))
                .addCandidate(CandidateKind.REFLEXIVE, address("2001:db8::7", 41000))
                .addCandidate(CandidateKind.REFLEXIVE, address("203.0.113.9", 41000))
                .natHints(new NatHints(NatHints.Mapping.ENDPOINT_INDEPENDENT,
                        NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT, NatHints.PortAllocation.PRESERVING))
                .addGate(address("198.51.100.1", 7000))
                .protocolVersions(1)
                .publishedAt(SLOT)
                .sequence(sequence)
                .validFor(NOW, Duration.ofHours(1));
    }
}
