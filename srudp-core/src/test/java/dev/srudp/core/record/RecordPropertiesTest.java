package dev.srudp.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordPropertiesTest {
    private static final LocalIdentity ALICE = TestRecords.identity(1);
    private static final byte[] ENVELOPE = SignedRecords.sign(ALICE, TestRecords.record(ALICE, 3).build());

    private static RecordVerifier verifier() {
        return new RecordVerifier(TestRecords.CLOCK, SequenceStore.inMemory());
    }

    @Property
    void flippingAnySingleBitOfTheEnvelopeGetsItRefused(@ForAll @IntRange(min = 0, max = 100_000) int position) {
        assertTrue(verifier().check(ENVELOPE).isAccepted());
        int bit = position % (ENVELOPE.length * 8);
        byte[] tampered = ENVELOPE.clone();
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        RecordCheck check = verifier().check(tampered);
        assertFalse(check.isAccepted(), "bit " + bit + ": " + check.message());
    }

    @Property(tries = 200)
    void everyRecordTheBuilderAcceptsReadsBackEqual(@ForAll("records") EndpointRecord record) {
        byte[] envelope = SignedRecords.sign(ALICE, record);
        assertTrue(envelope.length <= SignedRecords.MAX_ENVELOPE_BYTES);
        Clock atIssue = Clock.fixed(record.issuedAt(), ZoneOffset.UTC);
        RecordCheck check = new RecordVerifier(atIssue, SequenceStore.inMemory()).check(envelope);
        assertEquals(record, check.orElseThrow());
    }

    @Provide
    Arbitrary<EndpointRecord> records() {
        Arbitrary<InetSocketAddress> addresses = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                        Arbitraries.bytes().array(byte[].class).ofSize(16)),
                Arbitraries.integers().between(1, 65535)).as((ip, port) -> {
                    try {
                        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Arbitrary<Candidate> candidates = Combinators.combine(Arbitraries.of(CandidateKind.class), addresses)
                .as(Candidate::new);
        Arbitrary<NatHints> hints = Combinators.combine(Arbitraries.of(NatHints.Mapping.class),
                Arbitraries.of(NatHints.Filtering.class), Arbitraries.of(NatHints.PortAllocation.class),
                Arbitraries.integers().between(-NatHints.MAX_PORT_STEP, NatHints.MAX_PORT_STEP))
                .as(NatHints::new);
        Arbitrary<URI> slots = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40)
                .map(s -> URI.create("dir:" + s)).injectNull(0.3);
        Arbitrary<long[]> times = Combinators.combine(Arbitraries.longs().between(0, RecordCodec.MAX_SECONDS - 1),
                Arbitraries.longs().between(1, 10_000_000)).as((issued, lifetime) ->
                new long[] {issued, Math.min(RecordCodec.MAX_SECONDS, issued + lifetime)});
        return Combinators.combine(
                candidates.list().ofMaxSize(EndpointRecord.MAX_CANDIDATES),
                hints,
                addresses.list().ofMaxSize(EndpointRecord.MAX_GATES),
                Arbitraries.integers().greaterOrEqual(0).array(int[].class).ofMaxSize(EndpointRecord.MAX_PROTOCOL_VERSIONS),
                slots,
                Arbitraries.longs(),
                times).as((cs, h, gs, versions, slot, sequence, t) -> {
                    EndpointRecord.Builder b = EndpointRecord.builder(ALICE).candidates(cs).natHints(h)
                            .protocolVersions(versions).publishedAt(slot).sequence(sequence)
                            .valid(Instant.ofEpochSecond(t[0]), Instant.ofEpochSecond(t[1]));
                    gs.forEach(b::addGate);
                    return b.build();
                });
    }

    @Test
    void flippingEachBitOfTheEnvelopeInTurnGetsItRefused() {
        for (int bit = 0; bit < ENVELOPE.length * 8; bit++) {
            byte[] tampered = ENVELOPE.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            RecordCheck check = verifier().check(tampered);
            assertFalse(check.isAccepted(), "bit " + bit + ": " + check.message());
        }
    }

    @Property(tries = 300)
    void arbitraryBytesAreRefusedWithoutThrowing(@ForAll @Size(max = 5000) byte[] bytes) {
        RecordCheck check = verifier().check(bytes);
        assertFalse(check.isAccepted());
        assertTrue(check.refusal().isPresent());
    }

    @Property(tries = 300)
    void everyTruncationIsRefusedWithoutThrowing(@ForAll @IntRange(min = 0, max = 4095) int length) {
        int cut = length % ENVELOPE.length;
        RecordCheck check = verifier().check(Arrays.copyOf(ENVELOPE, cut));
        assertFalse(check.isAccepted(), check.message());
    }

    @Property(tries = 300)
    void overwritingAnyByteWithAnyValueNeverThrows(@ForAll @IntRange(min = 0, max = 4095) int position,
                                                   @ForAll byte value) {
        byte[] changed = ENVELOPE.clone();
        int index = position % changed.length;
        boolean same = changed[index] == value;
        changed[index] = value;
        assertEquals(same, verifier().check(changed).isAccepted());
    }
}
