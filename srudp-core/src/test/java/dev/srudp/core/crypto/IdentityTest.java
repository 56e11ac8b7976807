package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class IdentityTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void signaturesMatchRfc8032TestVectorOne() {
        Identity identity = Identity.fromSeed(TestHex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", TestHex.encode(identity.publicKey()));
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                TestHex.encode(identity.sign(new byte[0])));
    }

    @Test
    void aSignatureVerifiesOnlyForItsKeyAndMessage() {
        Identity alice = Identity.generate(RANDOM);
        Identity bob = Identity.generate(RANDOM);
        byte[] message = {1, 2, 3};
        byte[] signature = alice.sign(message);
        assertTrue(Identity.verify(alice.publicKey(), message, signature));
        assertFalse(Identity.verify(bob.publicKey(), message, signature));
        assertFalse(Identity.verify(alice.publicKey(), new byte[] {1, 2, 4}, signature));
        signature[10] ^= 1;
        assertFalse(Identity.verify(alice.publicKey(), message, signature));
    }

    @Test
    void verificationOfMalformedInputReturnsFalseWithoutThrowing() {
        Identity alice = Identity.generate(RANDOM);
        byte[] signature = alice.sign(new byte[0]);
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xff);
        assertFalse(Identity.verify(null, new byte[0], signature));
        assertFalse(Identity.verify(alice.publicKey(), null, signature));
        assertFalse(Identity.verify(alice.publicKey(), new byte[0], null));
        assertFalse(Identity.verify(new byte[31], new byte[0], signature));
        assertFalse(Identity.verify(alice.publicKey(), new byte[0], new byte[63]));
        assertFalse(Identity.verify(notAPoint, new byte[0], signature));
        assertFalse(Identity.verify(alice.publicKey(), new byte[0], new byte[64]));
    }

    @Test
    void aSavedSeedRebuildsTheSameIdentity() {
        Identity identity = Identity.generate(RANDOM);
        Identity again = Identity.fromSeed(identity.seed());
        assertArrayEquals(identity.publicKey(), again.publicKey());
        assertThrows(IllegalArgumentException.class, () -> Identity.fromSeed(new byte[31]));
    }

    @Test
    void aCertificateBindsAStaticKeyToItsIdentity() {
        Identity identity = Identity.generate(RANDOM);
        DhKeyPair staticKey = DhKeyPair.generate(RANDOM);
        StaticKeyCertificate certificate = identity.certify(staticKey.publicKey());
        assertTrue(certificate.isValid());
        assertArrayEquals(identity.publicKey(), certificate.identityKey());
        assertArrayEquals(staticKey.publicKey(), certificate.staticKey());
        byte[] signed = new byte[32 + 32];
        byte[] context = "srudp static key certificate v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        signed = java.util.Arrays.copyOf(context, context.length + 1 + 32);
        System.arraycopy(staticKey.publicKey(), 0, signed, context.length + 1, 32);
        assertTrue(Identity.verify(identity.publicKey(), signed, certificate.signature()));
    }

    @Test
    void aCertificateSurvivesEncodingAndAnyChangedByteInvalidatesIt() {
        StaticKeyCertificate certificate = Identity.generate(RANDOM).certify(DhKeyPair.generate(RANDOM).publicKey());
        byte[] encoded = certificate.encode();
        assertEquals(StaticKeyCertificate.ENCODED_LENGTH, encoded.length);
        StaticKeyCertificate decoded = StaticKeyCertificate.decode(encoded);
        assertEquals(certificate, decoded);
        assertEquals(certificate.hashCode(), decoded.hashCode());
        for (int i = 0; i < encoded.length; i++) {
            byte[] tampered = encoded.clone();
            tampered[i] ^= 0x01;
            StaticKeyCertificate changed = StaticKeyCertificate.decode(tampered);
            assertFalse(changed.isValid(), "byte " + i);
            assertNotEquals(certificate, changed);
        }
    }

    @Test
    void decodingACertificateOfTheWrongLengthSaysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StaticKeyCertificate.decode(new byte[127]));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StaticKeyCertificate.decode(new byte[129]));
        assertThrows(IllegalArgumentException.class, () -> StaticKeyCertificate.decode(null));
    }
}
