package dev.srudp.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
