package dev.srudp.core.record;

import static dev.srudp.core.record.TestRecords.CLOCK;
import static dev.srudp.core.record.TestRecords.NOW;
import static dev.srudp.core.record.TestRecords.SLOT;
import static dev.srudp.core.record.TestRecords.address;
import static dev.srudp.core.record.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.srudp.PeerAddress;
import dev.srudp.core.record.RecordCheck.Reason;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordVerifierTest {
    @TempDir
    Path home;

    LocalIdentity alice;
    LocalIdentity mallory;

    @BeforeEach
    void createIdentities() {
        alice = TestRecords.identity(home.resolve("alice"), 1);
        mallory = TestRecords.identity(home.resolve("mallory"), 2);
    }

    private static RecordVerifier verifier() {
        return new RecordVerifier(CLOCK, SequenceStore.inMemory());
    }

    private static void assertRefused(RecordCheck check, Reason reason, String... phrases) {
        assertFalse(check.isAccepted(), check.message());
        assertEquals(reason, check.refusal().orElseThrow(), check.message());
        for (String phrase : phrases) {
            assertTrue(check.message().contains(phrase), () -> "'" + phrase + "' missing in: " + check.message());
        }
    }

    /** Signs a hand-edited record, for records that the builder or {@link SignedRecords} would refuse. */
    private static byte[] signEdited(LocalIdentity signer, EndpointRecord record,
                                     UnaryOperator<dev.srudp.core.record.proto.EndpointRecord.Builder> edit) {
        try {
            dev.srudp.core.record.proto.EndpointRecord wire = edit.apply(
                    dev.srudp.core.record.proto.EndpointRecord.parseFrom(RecordCodec.encodeRecord(record)).toBuilder())
                    .build();
            byte[] bytes = wire.toByteArray();
            return RecordCodec.encodeEnvelope(bytes, signer.identity().sign(RecordCodec.signedBytes(bytes)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSignedRecordVerifiesAndReadsBackEqual() {
        EndpointRecord sent = record(alice, 7).build();
        RecordCheck check = verifier().check(SignedRecords.sign(alice, sent), Expectation.of(alice.peerId())
                .withPublishedAt(SLOT));
        assertTrue(check.isAccepted(), check.message());
        EndpointRecord received = check.orElseThrow();
        assertEquals(sent, received);
        assertEquals(alice.peerId(), received.identity());
        assertEquals(alice.certifiedKey(), received.certifiedKey());
        assertEquals(3, received.candidates().size());
        assertEquals(NOW, received.issuedAt());
        assertEquals(NOW.plus(Duration.ofHours(1)), received.expiresAt());
    }

    @Test
    void aMinimalRecordRoundTrips() {
        EndpointRecord sent = EndpointRecord.builder(alice).sequence(-1L).validFor(NOW, Duration.ofMinutes(5)).build();
        EndpointRecord received = verifier().check(SignedRecords.sign(alice, sent)).orElseThrow();
        assertEquals(sent, received);
        assertEquals("18446744073709551615", Long.toUnsignedString(received.sequence()));
        assertEquals(NatHints.UNKNOWN, received.natHints());
        assertTrue(received.publishedAt().isEmpty());
    }

    @Test
    void aRecordConvertsToAPeerAddressOfTheAskedFamilyWithTheCertifiedKey() {
        EndpointRecord r = record(alice, 1).build();
        PeerAddress v4 = r.toPeerAddress(StandardProtocolFamily.INET).orElseThrow();
        assertEquals(address("192.168.1.20", alice.defaultPort()), v4.address());
        assertEquals(alice.certifiedKey(), v4.certifiedKey().orElseThrow());
        assertEquals(alice.peerId(), v4.identity().orElseThrow());
        assertEquals(address("2001:db8::7", 41000), r.toPeerAddress(StandardProtocolFamily.INET6).orElseThrow().address());
        assertTrue(EndpointRecord.builder(alice).sequence(1).validFor(NOW, Duration.ofMinutes(1)).build()
                .toPeerAddress(StandardProtocolFamily.INET).isEmpty());
        assertEquals(3, r.peerAddresses().size());
    }

    @Test
    void aRecordIsAcceptedWithinTheAllowedClockSkew() {
        byte[] envelope = SignedRecords.sign(alice, record(alice, 1).validFor(NOW.plusSeconds(120), Duration.ofHours(1))
                .build());
        assertTrue(verifier().check(envelope).isAccepted());
        byte[] justExpired = SignedRecords.sign(alice, record(alice, 2).valid(NOW.minusSeconds(3600),
                NOW.minusSeconds(120)).build());
        assertTrue(verifier().check(justExpired).isAccepted());
    }

    @Test
    void anExpiredRecordIsRefusedWithItsExpiryTime() {
        byte[] envelope = SignedRecords.sign(alice, record(alice, 1).valid(NOW.minusSeconds(3600), NOW.minusSeconds(121))
                .build());
        assertRefused(verifier().check(envelope), Reason.EXPIRED, "expired at 2026-03-01T11:57:59Z",
                "now 2026-03-01T12:00:00Z");
    }

    @Test
    void aRecordIssuedInTheFutureBeyondTheSkewIsNotYetValid() {
        byte[] envelope = SignedRecords.sign(alice, record(alice, 1).validFor(NOW.plusSeconds(121), Duration.ofHours(1))
                .build());
        assertRefused(verifier().check(envelope), Reason.NOT_YET_VALID, "issued at 2026-03-01T12:02:01Z");
    }

    @Test
    void anOlderSequenceNumberIsRefusedNamingBothNumbers() {
        RecordVerifier verifier = verifier();
        assertTrue(verifier.check(SignedRecords.sign(alice, record(alice, 10).build())).isAccepted());
        assertRefused(verifier.check(SignedRecords.sign(alice, record(alice, 9).build())), Reason.OLDER_SEQUENCE,
                "sequence number 9 is older than 10");
        assertTrue(verifier.check(SignedRecords.sign(alice, record(alice, 11).build())).isAccepted());
    }

    @Test
    void sequenceNumbersCompareUnsigned() {
        RecordVerifier verifier = verifier();
        assertTrue(verifier.check(SignedRecords.sign(alice, record(alice, -2L).build())).isAccepted());
        assertRefused(verifier.check(SignedRecords.sign(alice, record(alice, 5).build())), Reason.OLDER_SEQUENCE,
                "older than 18446744073709551614");
    }

    @Test
    void anOlderSequenceNumberIsRefusedAfterARestart() throws IOException {
        Path readerHome = home.resolve("reader");
        new RecordVerifier(CLOCK, SequenceStore.open(readerHome)).check(SignedRecords.sign(alice, record(alice, 10).build()))
                .orElseThrow();

        SequenceStore reopened = SequenceStore.open(readerHome);
        assertEquals(10, reopened.lastSequence(alice.peerId()).orElseThrow());
        assertRefused(new RecordVerifier(CLOCK, reopened).check(SignedRecords.sign(alice, record(alice, 9).build())),
                Reason.OLDER_SEQUENCE, "seen from " + alice.peerId());
        try (var files = Files.list(readerHome)) {
            assertEquals(1, files.count(), "only the sequences file, no temporary file");
        }
    }

    @Test
    void theSameRecordIsAcceptedAgainButADifferentOneUnderTheSameNumberIsNot() {
        RecordVerifier verifier = verifier();
        byte[] first = SignedRecords.sign(alice, record(alice, 4).build());
        assertTrue(verifier.check(first).isAccepted());
        assertTrue(verifier.check(first.clone()).isAccepted());
        byte[] other = SignedRecords.sign(alice, record(alice, 4).addCandidate(CandidateKind.RELAY,
                address("198.51.100.2", 3478)).build());
        assertRefused(verifier.check(other), Reason.CONFLICTING_SAME_SEQUENCE, "sequence number 4");
    }

    @Test
    void aRecordCopiedIntoAnotherSlotIsRefused() {
        byte[] envelope = SignedRecords.sign(alice, record(alice, 1).build());
        URI otherSlot = URI.create("rendezvous:bob");
        assertRefused(verifier().check(envelope, Expectation.ANY.withPublishedAt(otherSlot)), Reason.WRONG_SLOT,
                "published at rendezvous:alice, expected rendezvous:bob");

        byte[] unnamed = SignedRecords.sign(alice, record(alice, 2).publishedAt(null).build());
        assertRefused(verifier().check(unnamed, Expectation.ANY.withPublishedAt(SLOT)), Reason.WRONG_SLOT,
                "names no directory address");
    }

    @Test
    void aRecordOfAnotherIdentityIsRefusedWhenOneIsExpected() {
        byte[] envelope = SignedRecords.sign(mallory, record(mallory, 1).build());
        assertRefused(verifier().check(envelope, Expectation.of(alice.peerId())), Reason.WRONG_IDENTITY,
                "signed by " + mallory.peerId(), "expected " + alice.peerId(), alice.fingerprint());
    }

    @Test
    void aRecordSignedByAnotherKeyThanItNamesHasABadSignature() {
        byte[] envelope = signEdited(mallory, record(alice, 1).build(), b -> b);
        assertRefused(verifier().check(envelope), Reason.BAD_SIGNATURE, alice.peerId().toString());
    }

    @Test
    void aCertificateOfAnotherIdentityIsRefused() {
        byte[] envelope = signEdited(alice, record(alice, 1).build(), b -> b.setStaticKeyCertificate(
                ByteString.copyFrom(mallory.certificate().encode())));
        assertRefused(verifier().check(envelope), Reason.BAD_CERTIFICATE, "belongs to " + mallory.peerId());
    }

    @Test
    void aCertificateWithABrokenSignatureIsRefused() {
        byte[] certificate = alice.certificate().encode();
        certificate[100] ^= 1;
        byte[] envelope = signEdited(alice, record(alice, 1).build(), b -> b.setStaticKeyCertificate(
                ByteString.copyFrom(certificate)));
        assertRefused(verifier().check(envelope), Reason.BAD_CERTIFICATE, "does not verify");
    }

    @Test
    void anotherFormatVersionIsUnsupported() {
        byte[] envelope = signEdited(alice, record(alice, 1).build(), b -> b.setFormatVersion(2));
        assertRefused(verifier().check(envelope), Reason.UNSUPPORTED_VERSION, "version 2");
    }

    @Test
    void recordsBeyondTheBoundsAreMalformed() {
        EndpointRecord base = record(alice, 1).build();
        assertRefused(verifier().check(signEdited(alice, base, b -> {
            for (int i = 0; i < 30; i++) {
                b.addCandidates(b.getCandidates(0));
            }
            return b;
        })), Reason.MALFORMED, "33 candidates");
        assertRefused(verifier().check(signEdited(alice, base, b -> b.setCandidates(0,
                b.getCandidates(0).toBuilder().setAddress(b.getCandidates(0).getAddress().toBuilder().setPort(0))))),
                Reason.MALFORMED, "port 0");
        assertRefused(verifier().check(signEdited(alice, base, b -> b.setCandidates(0,
                b.getCandidates(0).toBuilder().setAddress(b.getCandidates(0).getAddress().toBuilder()
                        .setIp(ByteString.copyFrom(new byte[5])))))), Reason.MALFORMED, "5 bytes");
        assertRefused(verifier().check(signEdited(alice, base, b -> b.setExpiresAt(b.getIssuedAt()))),
                Reason.MALFORMED, "not after issued-at");
        assertRefused(verifier().check(signEdited(alice, base, b -> b.setIssuedAt(Long.MIN_VALUE))),
                Reason.MALFORMED, "outside");
        assertRefused(verifier().check(signEdited(alice, base, b -> b.setPublishedAt("not a uri"))),
                Reason.MALFORMED, "not a URI");
        assertRefused(verifier().check(new byte[SignedRecords.MAX_ENVELOPE_BYTES + 1]), Reason.MALFORMED,
                "more than the limit of 4096");
        assertRefused(verifier().check(null), Reason.MALFORMED, "no bytes");
    }

    @Test
    void candidatesOfKindsFromTheFutureAreSkipped() {
        EndpointRecord base = record(alice, 1).build();
        EndpointRecord read = verifier().check(signEdited(alice, base, b -> b.setCandidates(0,
                b.getCandidates(0).toBuilder().setKindValue(99)))).orElseThrow();
        assertEquals(base.candidates().subList(1, 3), read.candidates());
    }

    @Test
    void signingRefusesARecordOfAnotherIdentity() {
        EndpointRecord record = record(alice, 1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SignedRecords.sign(mallory, record));
        assertTrue(e.getMessage().contains("EndpointRecord.builder(local)"), e.getMessage());
    }

    @Test
    void theBuilderEnforcesTheSameBoundsAsTheReader() {
        EndpointRecord.Builder b = record(alice, 1);
        for (int i = 0; i < 30; i++) {
            b.addCandidate(CandidateKind.HOST, address("10.0.0." + i, 5000));
        }
        assertThrows(IllegalArgumentException.class, b::build);
        assertThrows(IllegalArgumentException.class, () -> record(alice, 1).valid(NOW, NOW).build());
        assertThrows(IllegalStateException.class, () -> EndpointRecord.builder(alice).validFor(NOW, Duration.ofHours(1))
                .build());
    }

    @Test
    void aRecordAcceptedByOneClockIsRefusedByALaterOne() {
        byte[] envelope = SignedRecords.sign(alice, record(alice, 1).build());
        Clock later = Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertRefused(new RecordVerifier(later, SequenceStore.inMemory()).check(envelope), Reason.EXPIRED);
    }

    @Test
    void wireEnumNumbersMatchTheJavaTypes() {
        for (CandidateKind kind : CandidateKind.values()) {
            assertEquals("CANDIDATE_KIND_" + kind.name(),
                    dev.srudp.core.record.proto.CandidateKind.forNumber(kind.ordinal() + 1).name());
        }
        for (NatHints.Mapping m : NatHints.Mapping.values()) {
            assertEquals("MAPPING_" + m.name(), dev.srudp.core.record.proto.MappingBehaviour.forNumber(m.ordinal()).name());
        }
        for (NatHints.Filtering f : NatHints.Filtering.values()) {
            assertEquals("FILTERING_" + f.name(),
                    dev.srudp.core.record.proto.FilteringBehaviour.forNumber(f.ordinal()).name());
        }
        for (NatHints.PortAllocation p : NatHints.PortAllocation.values()) {
            assertEquals("PORT_ALLOCATION_" + p.name(),
                    dev.srudp.core.record.proto.PortAllocation.forNumber(p.ordinal()).name());
        }
    }
}
