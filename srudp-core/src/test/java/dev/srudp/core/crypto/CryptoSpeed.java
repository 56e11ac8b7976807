package dev.srudp.core.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.function.LongSupplier;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A rough comparison, run by hand and not by the test suite, of the JDK providers and
 * BouncyCastle's lightweight code for X25519 agreement and Ed25519 signing and verification.
 * Prints the median of five one-second rounds after a warm-up, in operations per second.
 *
 * <pre>
 * java -cp srudp-core/target/classes:srudp-core/target/test-classes:BCPROV_JAR dev.srudp.core.crypto.CryptoSpeed
 * </pre>
 */
public final class CryptoSpeed {

    private static final long ROUND_NANOS = 1_000_000_000L;
    private static volatile long sink;

    private CryptoSpeed() {
    }

    public static void main(String[] args) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] message = new byte[64];
        random.nextBytes(message);

        KeyPairGenerator xdh = KeyPairGenerator.getInstance("X25519");
        KeyPair jdkLocal = xdh.generateKeyPair();
        PublicKey jdkRemote = xdh.generateKeyPair().getPublic();
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        report("X25519 agreement, JDK", () -> {
            try {
                agreement.init(jdkLocal.getPrivate());
                agreement.doPhase(jdkRemote, true);
                return agreement.generateSecret()[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        DhKeyPair bcLocal = DhKeyPair.generate(random);
        byte[] bcLocalPrivate = bcLocal.privateKey();
        byte[] bcRemote = DhKeyPair.generate(random).publicKey();
        byte[] secret = new byte[32];
        report("X25519 agreement, BouncyCastle", () -> {
            org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(bcLocalPrivate, 0, bcRemote, 0, secret, 0);
            return secret[0];
        });

        KeyPair jdkEd = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        report("Ed25519 sign, JDK", () -> {
            try {
                signer.initSign(jdkEd.getPrivate());
                signer.update(message);
                return signer.sign()[0];
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        signer.initSign(jdkEd.getPrivate());
        signer.update(message);
        byte[] jdkSignature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        report("Ed25519 verify, JDK", () -> {
            try {
                verifier.initVerify(jdkEd.getPublic());
                verifier.update(message);
                return verifier.verify(jdkSignature) ? 1 : 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Identity identity = Identity.generate(random);
        byte[] seed = identity.seed();
        byte[] publicKey = identity.publicKey();
        byte[] signature = new byte[64];
        report("Ed25519 sign, BouncyCastle", () -> {
            Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
            return signature[0];
        });
        byte[] bcSignature = identity.sign(message);
        report("Ed25519 verify, BouncyCastle", () -> Ed25519.verify(bcSignature, 0, publicKey, 0, message, 0, message.length) ? 1 : 0);

    }


    private static void report(String name, LongSupplier operation) {
        round(operation);
        round(operation);
        double[] rates = new double[5];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = round(operation);
        }
        Arrays.sort(rates);
        System.out.printf("%-32s %,10.0f ops/s (median of 5; min %,.0f, max %,.0f)%n", name, rates[2], rates[0], rates[4]);
    }

    private static double round(LongSupplier operation) {
        long start = System.nanoTime();
        long ops = 0;
        long elapsed;
        do {
            for (int i = 0; i < 20; i++) {
                sink += operation.getAsLong();
            }
            ops += 20;
            elapsed = System.nanoTime() - start;
        } while (elapsed < ROUND_NANOS);
        return ops * 1e9 / elapsed;
    }
}
