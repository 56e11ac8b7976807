package dev.srudp.bench;

import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Splits the JDK's AES-GCM cost per packet into its fixed part (the {@code init} a new nonce
 * needs, the associated data, the tag) and its part per byte, by sealing payloads of several
 * sizes, with and without a 17-byte header as associated data, and through the array and the
 * {@code ByteBuffer} methods.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GcmCostBenchmark {
    static final int HEADER = 17;

    /** Plaintext bytes after the header: none, a small packet, a full 1,452-byte datagram's. */
    @Param({"0", "256", "1419"})
    public int plaintext;

    private Cipher cipher;
    private SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private byte[] packet;
    private ByteBuffer header;
    private ByteBuffer body;
    private long packetNumber;

    @Setup
    public void setUp() throws Exception {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 5 + 3);
        }
        key = new SecretKeySpec(k, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        packet = new byte[HEADER + plaintext + 16];
        ByteBuffer whole = ByteBuffer.wrap(packet);
        header = whole.duplicate().limit(HEADER);
        body = whole.duplicate().position(HEADER);
    }

    private void init() throws Exception {
        long n = packetNumber++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    }

    /** Only the {@code init} with a fresh nonce (the cipher is left initialised, never used). */
    @Benchmark
    public Cipher initOnly() throws Exception {
        init();
        return cipher;
    }

    /** init, header as associated data, seal in place: what srudp does per packet. */
    @Benchmark
    public int sealWithHeader() throws Exception {
        init();
        cipher.updateAAD(packet, 0, HEADER);
        return cipher.doFinal(packet, HEADER, plaintext, packet, HEADER);
    }

    /** The same without associated data, to price {@code updateAAD}. */
    @Benchmark
    public int sealWithoutHeader() throws Exception {
        init();
        return cipher.doFinal(packet, HEADER, plaintext, packet, HEADER);
    }

    /** The same through the {@code ByteBuffer} methods on heap buffers. */
    @Benchmark
    public int sealWithHeaderBuffers() throws Exception {
        init();
        header.position(0);
        cipher.updateAAD(header);
        body.limit(HEADER + plaintext).position(HEADER);
        ByteBuffer out = body.duplicate().limit(packet.length);
        return cipher.doFinal(body, out);
    }
}
