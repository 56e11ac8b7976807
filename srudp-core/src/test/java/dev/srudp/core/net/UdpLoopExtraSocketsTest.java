package dev.srudp.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UDP loop opens extra sockets for its engine on request, on loopback. */
class UdpLoopExtraSocketsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** An engine that runs requests on the loop thread and echoes every datagram from the socket it came in on. */
    private static final class EchoEngine extends TimerlessEngine {
        final ConcurrentLinkedQueue<Runnable> onLoop = new ConcurrentLinkedQueue<>();
        final BlockingQueue<InetSocketAddress> receivedOn = new LinkedBlockingQueue<>();
        final ConcurrentLinkedQueue<Transmit> replies = new ConcurrentLinkedQueue<>();

        @Override
        public void onDatagram(long now, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
            receivedOn.add(local);
            replies.add(new Transmit(local, from));
        }

        @Override
        public Transmit pollTransmit(long now, ByteBuffer out) {
            Runnable r;
            while ((r = onLoop.poll()) != null) {
                r.run();
            }
            Transmit t = replies.poll();
            if (t != null) {
                out.put((byte) 1);
            }
            return t;
        }

        <T> CompletableFuture<T> run(java.util.function.Supplier<T> task) {
            CompletableFuture<T> f = new CompletableFuture<>();
            onLoop.add(() -> f.complete(task.get()));
            wakeup.run();
            return f;
        }
    }

    @Test
    @Timeout(20)
    void extraSocketsReceiveAndSendForTheEngineUntilClosed() throws Exception {
        UdpLoop loop = new UdpLoop(List.of(new InetSocketAddress(LOOPBACK, 0)));
        EchoEngine engine = new EchoEngine();
        ExtraSockets sockets = loop.extraSockets();
        InetSocketAddress main = loop.localAddresses().get(0);
        loop.start(engine, "extra-sockets-test", e -> { });
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            List<InetSocketAddress> extra = engine.run(() -> sockets.open(main, 4)).get(5, TimeUnit.SECONDS);
            assertEquals(4, extra.size());
            for (InetSocketAddress socket : extra) {
                assertNotEquals(main.getPort(), socket.getPort());
                peer.send(ByteBuffer.wrap(new byte[] {7}), socket);
                assertEquals(socket, engine.receivedOn.poll(5, TimeUnit.SECONDS), "received on the extra socket");
                ByteBuffer reply = ByteBuffer.allocate(8);
                peer.configureBlocking(true);
                InetSocketAddress from = (InetSocketAddress) peer.receive(reply);
                assertEquals(socket.getPort(), from.getPort(), "the reply leaves from the extra socket");
            }
            List<InetSocketAddress> closed = new ArrayList<>(extra.subList(0, 2));
            engine.run(() -> {
                closed.forEach(sockets::close);
                sockets.close(main);
                return null;
            }).get(5, TimeUnit.SECONDS);
            for (InetSocketAddress socket : closed) {
                peer.send(ByteBuffer.wrap(new byte[] {8}), socket);
            }
            peer.send(ByteBuffer.wrap(new byte[] {9}), main);
            assertEquals(main, engine.receivedOn.poll(5, TimeUnit.SECONDS), "the engine's own socket is never closed");
            assertNull(engine.receivedOn.poll(300, TimeUnit.MILLISECONDS), "closed sockets deliver nothing");
        } finally {
            loop.close();
        }
    }
}
