package dev.srudp.core.connection;

import dev.srudp.core.crypto.CipherState;
import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.PacketProtection;

/**
 * The packet protection keys of one connection and their updates.
 *
 * <p>Each direction starts with the key from the handshake's Split. A side updates its sending
 * key after a configured number of packets or time, and flips the key-phase bit of the DATA
 * packets it sends. The next key is Noise's REKEY of the current one (Noise rev. 34, section 4.2:
 * "REKEY(k): Returns a new 32-byte cipher key as a pseudorandom function of k"), so both sides
 * derive it alone and no key ever travels. A receiver that sees the phase flip tries the next key,
 * adopts it when the packet authenticates, and updates its own sending key in turn (as RFC 9001,
 * section 6.2 has the peer of a key update do). The previous receiving key is kept for packets
 * reordered across the update.
 *
 * <p>RFC 9001, section 6.1: an endpoint "MUST NOT initiate a subsequent key update unless it has
 * received an acknowledgment for a packet that was sent protected with keys from the current key
 * phase" — so the two sides never drift more than one phase apart.
 */
final class TrafficKeys {
    private final NoiseCipher cipher;
    private byte[] sendKey;
    private PacketProtection sealer;
    private int sendPhase;
    private long firstPacketOfSendPhase;
    private boolean sendPhaseAcknowledged = true;

    private byte[] receiveKey;
    private PacketProtection opener;
    private PacketProtection nextOpener;
    private PacketProtection previousOpener;
    private int receivePhase;
    private long firstPacketOfReceivePhase;

    private long updates;

    TrafficKeys(NoiseCipher cipher, byte[] sendKey, byte[] receiveKey) {
        this.cipher = cipher;
        this.sendKey = sendKey;
        this.sealer = new PacketProtection(cipher, sendKey);
        this.receiveKey = receiveKey;
        this.opener = new PacketProtection(cipher, receiveKey);
    }

    static byte[] nextKey(NoiseCipher cipher, byte[] key) {
        CipherState state = new CipherState(cipher, key);
        state.rekey();
        return state.key();
    }

    PacketProtection sealer() {
        return sealer;
    }

    int sendPhase() {
        return sendPhase;
    }

    /** How many key updates this side has made to its sending key. */
    long updates() {
        return updates;
    }

    /** Whether a new sending key may be started now. */
    boolean mayUpdate() {
        return sendPhaseAcknowledged;
    }

    /** Starts a new sending key with packet {@code nextPacketNumber}. */
    void updateSendKey(long nextPacketNumber) {
        sendKey = nextKey(cipher, sendKey);
        sealer = new PacketProtection(cipher, sendKey);
        sendPhase ^= 1;
        firstPacketOfSendPhase = nextPacketNumber;
        sendPhaseAcknowledged = false;
        updates++;
    }

    /** The peer acknowledged packets up to {@code largest}. */
    void onAcknowledged(long largest) {
        if (largest >= firstPacketOfSendPhase) {
            sendPhaseAcknowledged = true;
        }
    }

    /**
     * Opens a packet in place: the phase bit chooses the key. Returns the plaintext length or -1.
     * Adopts the peer's new key (and updates ours to match) when a packet in the next phase
     * authenticates.
     */
    int open(long pn, int phase, byte[] buf, int offset, int headerLength, int length, long nextPacketNumber) {
        if (phase == receivePhase) {
            return opener.open(pn, buf, offset, headerLength, length);
        }
        if (pn < firstPacketOfReceivePhase) {
            return previousOpener == null ? -1 : previousOpener.open(pn, buf, offset, headerLength, length);
        }
        if (nextOpener == null) {
            nextOpener = new PacketProtection(cipher, nextKey(cipher, receiveKey));
        }
        int n = nextOpener.open(pn, buf, offset, headerLength, length);
        if (n < 0) {
            return -1;
        }
        receiveKey = nextKey(cipher, receiveKey);
        previousOpener = opener;
        opener = nextOpener;
        nextOpener = null;
        receivePhase = phase;
        firstPacketOfReceivePhase = pn;
        if (sendPhase != receivePhase) {
            updateSendKey(nextPacketNumber);
        }
        return n;
    }
}
