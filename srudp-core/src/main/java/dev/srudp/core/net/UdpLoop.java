package dev.srudp.core.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Engine} on real UDP sockets: one thread, one selector, one non-blocking
 * {@code DatagramChannel} per bound address. The thread is the engine's only caller; it reads the
 * monotonic clock, feeds datagrams in, sends what the engine produces and sleeps in the selector
 * until the next datagram, timer or wakeup.
 */
public final class UdpLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpLoop.class);
    /** Socket buffer size asked for; the kernel caps it at net.core.rmem_max / wmem_max. */
    static final int SOCKET_BUFFER_BYTES = 4 << 20;
    /** Waits shorter than this are polled rather than slept. */
    static final long SPIN_BELOW_NANOS = 1_000_000L;
    /** Datagrams read in one go before timers and sending get a turn. */
    static final int READ_BATCH = 64;

    private final Selector selector;
    private final Map<InetSocketAddress, DatagramChannel> channels = new HashMap<>();
    private final List<InetSocketAddress> localAddresses = new ArrayList<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(65_536);
    private final ByteBuffer sendBuffer = ByteBuffer.allocate(65_536);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Engine.Transmit blocked;
    private Thread thread;
    private volatile boolean running;

    /** Binds one socket per address (port 0: chosen by the system). */
    public UdpLoop(List<InetSocketAddress> bindAddresses) throws IOException {
        selector = Selector.open();
        try {
            for (InetSocketAddress bind : bindAddresses) {
                localAddresses.add(openChannel(bind, true));
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
    }

    /** Binds a non-blocking channel and registers it for reading; returns its bound address. */
    private InetSocketAddress openChannel(InetSocketAddress bind, boolean largeBuffers) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            if (largeBuffers) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            }
            channel.bind(bind);
            channel.configureBlocking(false);
            InetSocketAddress actual = (InetSocketAddress) channel.getLocalAddress();
            channel.register(selector, SelectionKey.OP_READ, actual);
            channels.put(actual, channel);
            return actual;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot bind UDP socket to " + bind + ": " + e.getMessage(), e);
        }
    }

    /**
     * Extra sockets for the engine (the birthday technique of hole punching). Only the loop thread
     * may use it: the engine calls it while the loop runs the engine.
     */
    public ExtraSockets extraSockets() {
        return new ExtraSockets() {
            @Override
            public List<InetSocketAddress> open(InetSocketAddress like, int count) {
                List<InetSocketAddress> opened = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    try {
                        // the extra sockets carry probes, and at most one connection: default buffers
                        opened.add(openChannel(new InetSocketAddress(like.getAddress(), 0), false));
                    } catch (IOException e) {
                        log.debug("opened {} of {} extra sockets: {}", opened.size(), count, e.toString());
                        break;
                    }
                }
                return opened;
            }

            @Override
            public void close(InetSocketAddress socket) {
                if (localAddresses.contains(socket)) {
                    return;
                }
                DatagramChannel channel = channels.remove(socket);
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        log.debug("closing {} failed", socket, e);
                    }
                }
            }
        };
    }

    /** The bound addresses, with the ports the system chose. */
    public List<InetSocketAddress> localAddresses() {
        return List.copyOf(localAddresses);
    }

    /**
     * Starts the loop thread driving {@code engine}. If the loop dies of an unexpected error,
     * {@code onCrash} runs on the dying thread, after the engine was last called, so the owner can
     * fail everything that waits on it.
     */
    public void start(Engine engine, String threadName, java.util.function.Consumer<Throwable> onCrash) {
        engine.setWakeup(selector::wakeup);
        running = true;
        thread = new Thread(() -> {
            Throwable crash = run(engine);
            if (crash != null) {
                onCrash.accept(crash);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private Throwable run(Engine engine) {
        try {
            while (running) {
                long now = System.nanoTime();
                if (engine.nextTimeoutNanos() <= now) {
                    engine.onTimeout(now);
                }
                flush(engine, now);
                long deadline = engine.nextTimeoutNanos();
                long waitNanos = deadline == Engine.NO_TIMEOUT ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (waitNanos < SPIN_BELOW_NANOS) {
                    // the selector sleeps in whole milliseconds: a pacing gap shorter than that is
                    // waited out by polling, or paced sending could not exceed one burst per ms
                    selector.selectNow();
                } else {
                    long millis = waitNanos == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
                    selector.select(millis);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isWritable()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(engine, (DatagramChannel) key.channel(), (InetSocketAddress) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
            return null;
        } catch (ClosedSelectorException e) {
            return null; // closed while stopping
        } catch (IOException e) {
            log.error("UDP loop stopped by an I/O error", e);
            return e;
        } catch (RuntimeException | Error e) {
            log.error("UDP loop stopped by an unexpected error", e);
            return e;
        } finally {
            stopped.countDown();
        }
    }

    private void read(Engine engine, DatagramChannel channel, InetSocketAddress local) throws IOException {
        for (int i = 0; i < READ_BATCH; i++) {
            receiveBuffer.clear();
            SocketAddress from = channel.receive(receiveBuffer);
            if (from == null) {
                return;
            }
            receiveBuffer.flip();
            engine.onDatagram(System.nanoTime(), local, (InetSocketAddress) from, receiveBuffer);
        }
    }

    private void flush(Engine engine, long now) throws IOException {
        while (true) {
            if (blocked == null) {
                sendBuffer.clear();
                Engine.Transmit t = engine.pollTransmit(now, sendBuffer);
                if (t == null) {
                    return;
                }
                sendBuffer.flip();
                blocked = t;
            }
            DatagramChannel channel = channels.get(blocked.local());
            if (channel == null) {
                log.warn("engine chose an unknown local socket {}", blocked.local());
                blocked = null;
                continue;
            }
            int sent;
            try {
                sent = channel.send(sendBuffer, blocked.remote());
            } catch (IOException e) {
                // ICMP errors, unreachable networks: the datagram is lost, as UDP may lose it anyway
                log.debug("send to {} failed: {}", blocked.remote(), e.toString());
                blocked = null;
                continue;
            }
            if (sent == 0) {
                channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            blocked = null;
        }
    }

    /** Stops the thread and closes the sockets. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeChannels();
    }

    private void closeChannels() {
        for (DatagramChannel c : channels.values()) {
            try {
                c.close();
            } catch (IOException e) {
                log.debug("closing {} failed", c, e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
