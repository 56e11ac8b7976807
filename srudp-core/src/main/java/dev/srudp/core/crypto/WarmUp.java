package dev.srudp.core.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every primitive a connection needs once, with throwaway keys, so that the first real hole
 * punch and handshake do not pay for class loading, provider lookup and interpreted code: on a
 * fresh JVM the first X25519 agreement, Ed25519 verification and AES-GCM operation take tens to
 * hundreds of milliseconds, several round trips on a nearby path. Nothing computed here is kept.
 */
public final class WarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());

    private WarmUp() {
    }

    /** Starts the warm-up on a daemon thread, once per JVM; later calls do nothing. */
    public static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                SecureRandom random = new SecureRandom();
                run(random);
                dev.srudp.core.connection.EngineWarmUp.run(random);
            } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
                // a failure here shows up again, and is reported, where the primitive is really used
                LOG.log(System.Logger.Level.DEBUG, "crypto warm-up failed: " + e);
            }
        }, "srudp-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /**
     * One certified IK handshake between two fresh identities, a probe key derivation and tag,
     * and a sealed and opened full-sized packet, each checked.
     *
     * @throws GeneralSecurityException if a primitive misbehaves (a self-check failure)
     * @throws HandshakeException if the warm-up handshake fails
     */
    public static void run(SecureRandom random) throws GeneralSecurityException, HandshakeException {
        Identity alice = Identity.generate(random);
        DhKeyPair aliceStatic = DhKeyPair.generate(random);
        DhKeyPair bobStatic = DhKeyPair.generate(random);
        if (!alice.certify(aliceStatic.publicKey()).isValid()) {
            throw new GeneralSecurityException("a fresh static key certificate does not verify");
        }

        ProbeKey ab = ProbeKey.derive(aliceStatic, bobStatic.publicKey());
        ProbeKey ba = ProbeKey.derive(bobStatic, aliceStatic.publicKey());
        byte[] probe = new byte[84];
        random.nextBytes(probe);
        System.arraycopy(ab.tag(probe, 0, 68), 0, probe, 68, ProbeKey.TAG_LENGTH);
        if (!ba.verify(probe, 0, 68, 68)) {
            throw new GeneralSecurityException("probe keys derived on both sides disagree");
        }

        byte[] prologue = "srudp warm-up".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        NoiseHandshake initiator = NoiseHandshake.initiator(NoisePattern.IK, NoiseCipher.AESGCM, prologue,
                aliceStatic, null, bobStatic.publicKey(), random);
        NoiseHandshake responder = NoiseHandshake.responder(NoisePattern.IK, NoiseCipher.AESGCM, prologue,
                bobStatic, null, null, random);
        responder.readMessage(initiator.writeMessage(new byte[32]));
        initiator.readMessage(responder.writeMessage(new byte[32]));
        if (!Arrays.equals(initiator.handshakeHash(), responder.handshakeHash())) {
            throw new GeneralSecurityException("the warm-up handshake ended with different hashes");
        }

        TransportKeys sending = initiator.split();
        TransportKeys receiving = responder.split();
        PacketProtection seal = new PacketProtection(NoiseCipher.AESGCM, sending.sendKey());
        PacketProtection open = new PacketProtection(NoiseCipher.AESGCM, receiving.receiveKey());
        byte[] packet = new byte[1200];
        int header = 16;
        int length = seal.seal(1, packet, 0, header, 1200 - header - PacketProtection.TAG_LENGTH);
        if (open.open(1, packet, 0, header, length) != length - header - PacketProtection.TAG_LENGTH) {
            throw new GeneralSecurityException("a packet sealed with the warm-up keys does not open");
        }
    }
}
