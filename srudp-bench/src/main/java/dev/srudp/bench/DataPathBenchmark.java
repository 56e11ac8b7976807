package dev.srudp.bench;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import dev.srudp.core.connection.EndpointContext;
import dev.srudp.core.connection.EndpointCore;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.net.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-packet path of a bulk transfer without sockets or threads: two endpoint engines
 * in this thread, one stream from the first to the second, datagrams handed over in memory. One
 * operation is one full-sized DATA packet sealed by the sender, opened and stored by the receiver,
 * the receiver's answer (an ACK every so often, credit updates) taken back, and the received bytes
 * read out. Time is virtual: one microsecond per packet.
 *
 * <p>With {@code -prof gc}, the bytes allocated per operation minus what the JDK cipher allocates
 * for one seal and one open ({@link PacketProtectionBenchmark}) are srudp's own allocation per
 * packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataPathBenchmark {
    private EndpointCore sender;
    private EndpointCore receiver;
    private InetSocketAddress senderAddress;
    private InetSocketAddress receiverAddress;
    private final ByteBuffer wire = ByteBuffer.allocate(65_536);
    private final ByteBuffer source = ByteBuffer.allocate(65_536);
    private final ByteBuffer sink = ByteBuffer.allocate(65_536);
    private SrudpStream out;
    private SrudpStream in;
    private long now = 1_000_000_000L;

    @Setup
    public void setUp() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        senderAddress = new InetSocketAddress(loopback, 40_000);
        receiverAddress = new InetSocketAddress(loopback, 50_000);
        sender = engine(senderAddress, 1);
        receiver = engine(receiverAddress, 2);
        CompletableFuture<Connection> connecting = sender.connect(
                PeerAddress.of(receiverAddress, receiver.certifiedKey()));
        for (int i = 0; i < 100 && !connecting.isDone(); i++) {
            exchange();
        }
        Connection client = connecting.get(1, TimeUnit.SECONDS);
        Connection server = receiver.pollAccepted();
        CompletableFuture<SrudpStream> accepted = server.acceptStreamAsync();
        out = client.openStream();
        source.put(new byte[source.capacity()]).flip();
        out.tryWrite(source);
        for (int i = 0; i < 100 && !accepted.isDone(); i++) {
            exchange();
        }
        in = accepted.get(1, TimeUnit.SECONDS);
    }

    private static EndpointCore engine(InetSocketAddress address, int seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        EndpointContext ctx = new EndpointContext(Identity.generate(random), DhKeyPair.generate(random),
                EndpointConfig.defaults(), random, System::currentTimeMillis, Runnable::run);
        return new EndpointCore(ctx, List.of(address));
    }

    /** Everything both engines have to send, delivered, until neither has more. */
    private void exchange() {
        now += 1_000;
        timers(sender);
        timers(receiver);
        while (transfer(sender, senderAddress, receiver, receiverAddress) | transfer(receiver, receiverAddress,
                sender, senderAddress)) {
            // until quiet
        }
    }

    private void timers(EndpointCore engine) {
        if (engine.nextTimeoutNanos() <= now) {
            engine.onTimeout(now);
        }
    }

    private boolean transfer(EndpointCore from, InetSocketAddress fromAddress, EndpointCore to,
            InetSocketAddress toAddress) {
        wire.clear();
        Engine.Transmit t = from.pollTransmit(now, wire);
        if (t == null) {
            return false;
        }
        wire.flip();
        to.onDatagram(now, toAddress, fromAddress, wire);
        return true;
    }

    /**
     * Datagrams per operation, each sealed once and opened once: with the cipher's allocation per
     * seal and open from {@link PacketProtectionBenchmark}, what the cipher allocated per operation.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Datagrams {
        public long dataDatagrams;
        public long answerDatagrams;
    }

    /** One packet of stream data from sender to receiver, and whatever the receiver answers. */
    @Benchmark
    public int packet(Datagrams counted) throws IOException {
        now += 1_000;
        if (!source.hasRemaining()) {
            source.clear();
        }
        out.tryWrite(source);
        timers(sender);
        timers(receiver);
        if (transfer(sender, senderAddress, receiver, receiverAddress)) {
            counted.dataDatagrams++;
        }
        while (transfer(receiver, receiverAddress, sender, senderAddress)) {
            counted.answerDatagrams++;
        }
        sink.clear();
        return in.tryRead(sink);
    }

    @TearDown
    public void tearDown() {
        sender.close();
        receiver.close();
    }
}
