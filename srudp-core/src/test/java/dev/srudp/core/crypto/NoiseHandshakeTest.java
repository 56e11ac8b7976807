package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoiseHandshakeTest {

    private static final byte[] PROLOGUE = "srudp test".getBytes(StandardCharsets.US_ASCII);
    private static final DhKeyPair INITIATOR_STATIC = key(1);
    private static final DhKeyPair INITIATOR_EPHEMERAL = key(2);
    private static final DhKeyPair RESPONDER_STATIC = key(3);
    private static final DhKeyPair RESPONDER_EPHEMERAL = key(4);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static DhKeyPair key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) (fill * 17));
        return DhKeyPair.fromPrivateKey(k);
    }

    private static NoiseHandshake initiator(NoisePattern pattern, NoiseCipher cipher, byte[] prologue) {
        byte[] remote = pattern == NoisePattern.IK ? RESPONDER_STATIC.publicKey() : null;
        return NoiseHandshake.initiator(pattern, cipher, prologue, INITIATOR_STATIC, INITIATOR_EPHEMERAL, remote, RANDOM);
    }

    private static NoiseHandshake responder(NoisePattern pattern, NoiseCipher cipher, byte[] prologue) {
        return NoiseHandshake.responder(pattern, cipher, prologue, RESPONDER_STATIC, RESPONDER_EPHEMERAL, null, RANDOM);
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void ikCompletesInTwoMessagesWithMatchingKeysAndHashes(NoiseCipher cipher) throws Exception {
        NoiseHandshake i = NoiseHandshake.initiator(NoisePattern.IK, cipher, PROLOGUE,
                DhKeyPair.generate(RANDOM), null, RESPONDER_STATIC.publicKey(), RANDOM);
        NoiseHandshake r = NoiseHandshake.responder(NoisePattern.IK, cipher, PROLOGUE,
                RESPONDER_STATIC, null, null, RANDOM);
        assertTrue(i.isWriteTurn());
        assertFalse(r.isWriteTurn());
        assertArrayEquals(new byte[] {1}, r.readMessage(i.writeMessage(new byte[] {1})));
        assertArrayEquals(i.remoteStaticKey(), RESPONDER_STATIC.publicKey());
        assertArrayEquals(new byte[] {2}, i.readMessage(r.writeMessage(new byte[] {2})));
        assertTrue(i.isComplete() && r.isComplete());
        assertEquals(2, i.messageIndex());
        assertArrayEquals(i.handshakeHash(), r.handshakeHash());
        assertTransportWorks(i.split(), r.split());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void xxTellsEachSideTheOthersStaticKey(NoiseCipher cipher) throws Exception {
        NoiseHandshake i = initiator(NoisePattern.XX, cipher, PROLOGUE);
        NoiseHandshake r = responder(NoisePattern.XX, cipher, PROLOGUE);
        assertNull(i.remoteStaticKey());
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        assertArrayEquals(RESPONDER_STATIC.publicKey(), i.remoteStaticKey());
        assertNull(r.remoteStaticKey());
        r.readMessage(i.writeMessage(new byte[0]));
        assertArrayEquals(INITIATOR_STATIC.publicKey(), r.remoteStaticKey());
        assertTrue(i.isComplete() && r.isComplete());
        assertFalse(i.isWriteTurn() || r.isWriteTurn());
        assertArrayEquals(i.handshakeHash(), r.handshakeHash());
        assertTransportWorks(i.split(), r.split());
    }

    private static void assertTransportWorks(TransportKeys initiator, TransportKeys responder) throws Exception {
        assertArrayEquals(initiator.sendKey(), responder.receiveKey());
        assertArrayEquals(initiator.receiveKey(), responder.sendKey());
        assertFalse(java.util.Arrays.equals(initiator.sendKey(), initiator.receiveKey()));
        byte[] there = initiator.sendCipherState().encryptWithAd(null, new byte[] {7});
        assertArrayEquals(new byte[] {7}, responder.receiveCipherState().decryptWithAd(null, there));
        byte[] back = responder.sendCipherState().encryptWithAd(null, new byte[] {8});
        assertArrayEquals(new byte[] {8}, initiator.receiveCipherState().decryptWithAd(null, back));
    }

    @Test
    void aWrongPrologueMakesTheFirstEncryptedPayloadFailToRead() throws Exception {
        byte[] other = "other".getBytes(StandardCharsets.US_ASCII);
        NoiseHandshake ikResponder = responder(NoisePattern.IK, NoiseCipher.AESGCM, other);
        byte[] first = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE).writeMessage(new byte[0]);
        assertThrows(HandshakeException.class, () -> ikResponder.readMessage(first));

        NoiseHandshake xxInitiator = initiator(NoisePattern.XX, NoiseCipher.CHACHAPOLY, PROLOGUE);
        NoiseHandshake xxResponder = responder(NoisePattern.XX, NoiseCipher.CHACHAPOLY, other);
        xxResponder.readMessage(xxInitiator.writeMessage(new byte[0]));
        byte[] second = xxResponder.writeMessage(new byte[0]);
        assertThrows(HandshakeException.class, () -> xxInitiator.readMessage(second));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void everyFlippedBitInEitherIkMessageIsRefused(NoiseCipher cipher) throws Exception {
        byte[] first = initiator(NoisePattern.IK, cipher, PROLOGUE).writeMessage(new byte[] {1, 2, 3});
        for (int bit = 0; bit < first.length * 8; bit++) {
            byte[] tampered = flip(first, bit);
            NoiseHandshake r = responder(NoisePattern.IK, cipher, PROLOGUE);
            assertThrows(HandshakeException.class, () -> r.readMessage(tampered), "bit " + bit);
        }
        NoiseHandshake r = responder(NoisePattern.IK, cipher, PROLOGUE);
        r.readMessage(first);
        byte[] second = r.writeMessage(new byte[] {4});
        for (int bit = 0; bit < second.length * 8; bit++) {
            byte[] tampered = flip(second, bit);
            NoiseHandshake i = initiator(NoisePattern.IK, cipher, PROLOGUE);
            i.writeMessage(new byte[] {1, 2, 3});
            assertThrows(HandshakeException.class, () -> i.readMessage(tampered), "bit " + bit);
        }
    }

    @Test
    void everyFlippedBitInTheEncryptedXxMessagesIsRefused() throws Exception {
        NoiseCipher cipher = NoiseCipher.CHACHAPOLY;
        NoiseHandshake i = initiator(NoisePattern.XX, cipher, PROLOGUE);
        NoiseHandshake r = responder(NoisePattern.XX, cipher, PROLOGUE);
        byte[] first = i.writeMessage(new byte[0]);
        r.readMessage(first);
        byte[] second = r.writeMessage(new byte[] {5});
        i.readMessage(second);
        byte[] third = i.writeMessage(new byte[] {6});
        for (int bit = 0; bit < second.length * 8; bit++) {
            NoiseHandshake fresh = initiator(NoisePattern.XX, cipher, PROLOGUE);
            fresh.writeMessage(new byte[0]);
            byte[] tampered = flip(second, bit);
            assertThrows(HandshakeException.class, () -> fresh.readMessage(tampered), "bit " + bit);
        }
        for (int bit = 0; bit < third.length * 8; bit++) {
            NoiseHandshake fresh = responder(NoisePattern.XX, cipher, PROLOGUE);
            fresh.readMessage(first);
            fresh.writeMessage(new byte[] {5});
            byte[] tampered = flip(third, bit);
            assertThrows(HandshakeException.class, () -> fresh.readMessage(tampered), "bit " + bit);
        }
    }

    private static byte[] flip(byte[] message, int bit) {
        byte[] copy = message.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    @Test
    void anIkResponderWithAnotherStaticKeyRefusesTheFirstMessage() throws Exception {
        byte[] first = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE).writeMessage(new byte[0]);
        NoiseHandshake impostor = NoiseHandshake.responder(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE,
                key(9), null, null, RANDOM);
        HandshakeException e = assertThrows(HandshakeException.class, () -> impostor.readMessage(first));
        assertTrue(e.getMessage().contains("authentication"), e.getMessage());
    }

    @Test
    void aFailedHandshakeRefusesFurtherUse() throws Exception {
        NoiseHandshake i = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
        byte[] first = i.writeMessage(new byte[0]);
        NoiseHandshake r = responder(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
        assertThrows(HandshakeException.class, () -> r.readMessage(flip(first, 300)));
        assertTrue(r.hasFailed());
        assertFalse(r.isWriteTurn());
        assertThrows(HandshakeException.class, () -> r.readMessage(first));
        assertThrows(IllegalStateException.class, () -> r.writeMessage(new byte[0]));
    }

    @Test
    void aTruncatedMessageIsRefusedWithAReason() throws Exception {
        byte[] first = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE).writeMessage(new byte[0]);
        for (int length : new int[] {0, 31, 32, 79, 95}) {
            NoiseHandshake r = responder(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
            HandshakeException e = assertThrows(HandshakeException.class,
                    () -> r.readMessage(java.util.Arrays.copyOf(first, length)));
            assertTrue(e.getMessage().contains("too short"), e.getMessage());
        }
    }

    @Test
    void readingOutOfTurnOrAfterCompletionFails() throws Exception {
        NoiseHandshake i = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
        assertThrows(HandshakeException.class, () -> i.readMessage(new byte[64]));

        NoiseHandshake i2 = initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
        NoiseHandshake r = responder(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE);
        r.readMessage(i2.writeMessage(new byte[0]));
        byte[] second = r.writeMessage(new byte[0]);
        assertThrows(IllegalStateException.class, () -> r.writeMessage(new byte[0]));
        i2.readMessage(second);
        assertThrows(HandshakeException.class, () -> i2.readMessage(second));
        assertThrows(IllegalStateException.class, () -> i2.writeMessage(new byte[0]));
    }

    @Test
    void messagesOverTheNoiseLimitAreRefused() throws Exception {
        NoiseHandshake i = initiator(NoisePattern.XX, NoiseCipher.AESGCM, PROLOGUE);
        assertThrows(IllegalArgumentException.class, () -> i.writeMessage(new byte[65535 - 31]));
        assertEquals(65535, i.writeMessage(new byte[65535 - 32]).length);

        NoiseHandshake r = responder(NoisePattern.XX, NoiseCipher.AESGCM, PROLOGUE);
        assertThrows(HandshakeException.class, () -> r.readMessage(new byte[65536]));
    }

    @Test
    void anIkInitiatorWithoutTheResponderKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NoiseHandshake.initiator(NoisePattern.IK,
                NoiseCipher.AESGCM, PROLOGUE, INITIATOR_STATIC, null, null, RANDOM));
        assertThrows(IllegalArgumentException.class, () -> NoiseHandshake.responder(NoisePattern.XX,
                NoiseCipher.AESGCM, PROLOGUE, RESPONDER_STATIC, null, INITIATOR_STATIC.publicKey(), RANDOM));
    }

    @Test
    void aLowOrderResponderKeyFailsTheHandshake() {
        NoiseHandshake i = NoiseHandshake.initiator(NoisePattern.IK, NoiseCipher.AESGCM, PROLOGUE,
                INITIATOR_STATIC, null, new byte[32], RANDOM);
        assertThrows(HandshakeException.class, () -> i.writeMessage(new byte[0]));
        assertTrue(i.hasFailed());
    }

    @Test
    void splitBeforeCompletionIsRefused() {
        assertThrows(IllegalStateException.class, () -> initiator(NoisePattern.XX, NoiseCipher.AESGCM, PROLOGUE).split());
    }

    @Test
    void protocolNamesLongerThanTheHashAreHashed() throws Exception {
        String longName = "Noise_XXfallback+psk0_25519_ChaChaPoly_BLAKE2s";
        SymmetricState state = new SymmetricState(longName, NoiseCipher.AESGCM);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(longName.getBytes(StandardCharsets.US_ASCII)),
                state.handshakeHash());
        byte[] padded = java.util.Arrays.copyOf("Noise_IK_25519_AESGCM_SHA256".getBytes(StandardCharsets.US_ASCII), 32);
        assertArrayEquals(padded, new SymmetricState("Noise_IK_25519_AESGCM_SHA256", NoiseCipher.AESGCM).handshakeHash());
        assertEquals("Noise_XX_25519_ChaChaPoly_SHA256", NoiseHandshake.protocolName(NoisePattern.XX, NoiseCipher.CHACHAPOLY));
    }
}
