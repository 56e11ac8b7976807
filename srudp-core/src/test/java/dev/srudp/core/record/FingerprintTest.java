package dev.srudp.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.PeerId;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {
    @TempDir
    Path home;

    @Test
    void aFingerprintIsFiveGroupsOfFourBase32CharactersCarrying100Bits() {
        LocalIdentity local = TestRecords.identity(home, 1);
        String fingerprint = local.fingerprint();
        assertTrue(fingerprint.matches("[a-z2-7]{4}(-[a-z2-7]{4}){4}"), fingerprint);
        assertEquals(100, Fingerprint.BITS);
        assertEquals(fingerprint, Fingerprint.of(local.peerId()));
    }

    @Test
    void aFingerprintIsTheFirst100BitsOfTheSha256OfThePublicKey() {
        PeerId peer = PeerId.of(new byte[32]);
        BigInteger digest = new BigInteger(1, Fingerprint.sha256(new byte[32]));
        BigInteger first100 = digest.shiftRight(256 - 100);
        StringBuilder expected = new StringBuilder();
        for (int i = 19; i >= 0; i--) {
            int value = first100.shiftRight(5 * i).intValue() & 31;
            expected.append("abcdefghijklmnopqrstuvwxyz234567".charAt(value));
            if (i % 4 == 0 && i > 0) {
                expected.append('-');
            }
        }
        assertEquals(expected.toString(), Fingerprint.of(peer));
    }

    @Test
    void differentIdentitiesHaveDifferentFingerprints() {
        assertNotEquals(TestRecords.identity(home.resolve("a"), 1).fingerprint(),
                TestRecords.identity(home.resolve("b"), 2).fingerprint());
    }
}
