package dev.srudp.bench;

import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.PacketProtection;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one full-sized DATA packet (17-byte header, 1452 bytes in all) with srudp's
 * {@link PacketProtection}, next to the bare JDK cipher doing the same work, so that the
 * allocation the GC profiler reports per operation ({@code -prof gc}) can be split into the
 * cipher's own and srudp's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketProtectionBenchmark {
    static final int HEADER = 17;
    static final int PACKET = 1452;
    static final int PLAINTEXT = PACKET - HEADER - PacketProtection.TAG_LENGTH;
    /** Sealed packets kept to be opened in turn, each under its own packet number. */
    static final int OPENABLE = 1024;

    private PacketProtection sealer;
    private PacketProtection opener;
    private final byte[] packet = new byte[PACKET];
    private final byte[] output = new byte[PACKET];
    private final byte[][] sealed = new byte[OPENABLE][];
    private final byte[] scratch = new byte[PACKET];
    private long nextPacketNumber;
    private int nextOpen;

    private Cipher jdk;
    private SecretKeySpec jdkKey;
    private final byte[] nonce = new byte[12];

    @Setup
    public void setUp() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        sealer = new PacketProtection(NoiseCipher.AESGCM, key);
        opener = new PacketProtection(NoiseCipher.AESGCM, key);
        for (int i = 0; i < OPENABLE; i++) {
            byte[] p = new byte[PACKET];
            sealer.seal(1_000_000 + i, p, 0, HEADER, PLAINTEXT);
            sealed[i] = p;
        }
        nextPacketNumber = 2_000_000;
        jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdkKey = new SecretKeySpec(key, "AES");
    }

    /** srudp: seal in place, as the connection does for every packet it sends. */
    @Benchmark
    public int sealInPlace() {
        return sealer.seal(nextPacketNumber++, packet, 0, HEADER, PLAINTEXT);
    }

    /**
     * srudp: open in place, as the connection does for every packet it receives. The packet is first
     * copied from a store of sealed ones (opening consumes the ciphertext); the copy costs tens of
     * nanoseconds and allocates nothing.
     */
    @Benchmark
    public int openInPlace() {
        int i = nextOpen++ & (OPENABLE - 1);
        System.arraycopy(sealed[i], 0, scratch, 0, PACKET);
        return opener.open(1_000_000 + i, scratch, 0, HEADER, PACKET);
    }

    /** The JDK alone, in place: a new parameter object, init, AAD, doFinal. */
    @Benchmark
    public int jdkSealInPlace() throws Exception {
        return jdkSeal(packet);
    }

    /** The JDK alone, into a separate output array. */
    @Benchmark
    public int jdkSealSeparateOutput() throws Exception {
        return jdkSeal(output);
    }

    private int jdkSeal(byte[] out) throws Exception {
        writeNonce(nextPacketNumber++);
        jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new GCMParameterSpec(128, nonce));
        jdk.updateAAD(packet, 0, HEADER);
        return jdk.doFinal(packet, HEADER, PLAINTEXT, out, HEADER);
    }

    private void writeNonce(long n) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
    }
}
