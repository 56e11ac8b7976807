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
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Engine} on real UDP sockets: one loop thread, one selector, one non-blocking
 * {@code DatagramChannel} per bound address. The loop thread is the engine's only caller; it reads
 * the monotonic clock, feeds datagrams in, takes what the engine produces and sleeps in the
 * selector until the next datagram, timer or wakeup.
 *
 * <p>When the engine has several datagrams to send, the system calls that send them are made by a
 * second thread: the loop copies each datagram into a queue of {@value #SEND_QUEUE_SLOTS} slots
 * and goes on with the engine's work while the sending thread empties the queue, in order. A lone
 * datagram, with the queue empty, the loop sends itself. When the queue is full the loop takes
 * nothing more from the engine (the engine keeps its data, as it would for a full socket buffer)
 * until the sending thread has freed half of it. A send that fails is a lost datagram, as UDP may
 * lose any.
 */
public final class UdpLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpLoop.class);
    /** Socket buffer size asked for; the kernel caps it at net.core.rmem_max / wmem_max. */
    static final int SOCKET_BUFFER_BYTES = 4 << 20;
    /** Waits shorter than this are polled rather than slept. */
    static final long SPIN_BELOW_NANOS = 1_000_000L;
    /** Datagrams read in one go before timers and sending get a turn. */
    static final int READ_BATCH = 64;
    /**
     * Datagrams the loop may hand to the sending thread before it waits; a power of two. Deep
     * enough that either thread can lose its core to the other work of a two-core machine for a
     * scheduler time slice (a few ms) while the other goes on: with 64 slots bulk throughput on
     * loopback was a tenth to a fifth lower. A slot's buffer (2 KiB, direct) is allocated the first
     * time the slot is used, so only an endpoint that sends in bulk holds up to 1 MiB of them.
     */
    static final int SEND_QUEUE_SLOTS = 512;
    /** Room of a queue slot until a larger datagram needs more. */
    private static final int SLOT_BYTES = 2048;
    /** How long the sending thread waits before it retries a send the full socket buffer refused. */
    private static final long FULL_SOCKET_RETRY_NANOS = 50_000L;

    private final Selector selector;
    private final Map<InetSocketAddress, DatagramChannel> channels = new HashMap<>();
    private final List<InetSocketAddress> localAddresses = new ArrayList<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(65_536);
    private final ByteBuffer sendBuffer = ByteBuffer.allocate(65_536);
    private final CountDownLatch stopped = new CountDownLatch(1);
    // the send queue: written by the loop thread at tail, read by the sending thread at head
    private final ByteBuffer[] slotData = new ByteBuffer[SEND_QUEUE_SLOTS];
    private final DatagramChannel[] slotChannel = new DatagramChannel[SEND_QUEUE_SLOTS];
    private final InetSocketAddress[] slotRemote = new InetSocketAddress[SEND_QUEUE_SLOTS];
    private volatile long head;
    private volatile long tail;
    /** Set by the loop when it found the queue full; the sending thread then wakes it. */
    private volatile boolean loopWantsRoom;
    /** Set by the sending thread before it parks on an empty queue. */
    private volatile boolean senderParked;
    private volatile boolean sending;
    private Thread thread;
    private Thread sender;
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
        sending = true;
        sender = new Thread(this::sendQueued, threadName + "-send");
        sender.setDaemon(true);
        sender.start();
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
                if (waitNanos < SPIN_BELOW_NANOS && tail - head < SEND_QUEUE_SLOTS) {
                    // the selector sleeps in whole milliseconds: a pacing gap shorter than that is
                    // waited out by polling, or paced sending could not exceed one burst per ms;
                    // with the send queue full the loop sleeps instead until the sending thread
                    // has made room, which wakes the selector
                    selector.selectNow();
                } else {
                    long millis = waitNanos == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
                    selector.select(millis);
                }
                for (SelectionKey key : selector.selectedKeys()) {
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

    /**
     * Moves the engine's datagrams into the send queue while it has room. A lone datagram (the
     * only one this turn, with the queue empty) is sent by the loop itself: a handshake or an
     * acknowledgement then costs no hand-off between threads.
     */
    private void flush(Engine engine, long now) {
        long t = tail;
        boolean mayHold = t == head;
        boolean holding = false;
        while (true) {
            if (!holding && t - head == SEND_QUEUE_SLOTS) {
                loopWantsRoom = true;
                if (t - head == SEND_QUEUE_SLOTS) {
                    return; // the sending thread wakes the selector when half the queue is free
                }
            }
            sendBuffer.clear();
            Engine.Transmit transmit = engine.pollTransmit(now, sendBuffer);
            if (transmit == null) {
                if (holding) {
                    sendHeld(t);
                }
                return;
            }
            sendBuffer.flip();
            DatagramChannel channel = channels.get(transmit.local());
            if (channel == null) {
                log.warn("engine chose an unknown local socket {}", transmit.local());
                continue;
            }
            if (holding) {
                // a second datagram: both go to the sending thread, in order
                t = publish(t);
                holding = false;
            }
            int i = (int) t & (SEND_QUEUE_SLOTS - 1);
            ByteBuffer slot = slotData[i];
            if (slot == null || slot.capacity() < sendBuffer.remaining()) {
                // direct, so the send needs no copy into a temporary native buffer
                slot = ByteBuffer.allocateDirect(Math.max(SLOT_BYTES, sendBuffer.remaining()));
                slotData[i] = slot;
            }
            slot.clear();
            slot.put(sendBuffer).flip();
            slotChannel[i] = channel;
            slotRemote[i] = transmit.remote();
            if (mayHold) {
                mayHold = false;
                holding = true;
                continue;
            }
            t = publish(t);
        }
    }

    /** Hands the datagram in slot {@code t} to the sending thread; returns the new tail. */
    private long publish(long t) {
        tail = ++t;
        if (senderParked) {
            LockSupport.unpark(sender);
        }
        return t;
    }

    /**
     * Sends the lone datagram in slot {@code t} from the loop thread. The queue is empty, so no
     * earlier datagram is still being sent; if the socket's buffer is full the sending thread
     * takes it over.
     */
    private void sendHeld(long t) {
        int i = (int) t & (SEND_QUEUE_SLOTS - 1);
        try {
            if (slotChannel[i].send(slotData[i], slotRemote[i]) == 0) {
                publish(t);
            }
        } catch (IOException e) {
            // ICMP errors, unreachable networks: the datagram is lost, as UDP may lose it anyway
            log.debug("send to {} failed: {}", slotRemote[i], e.toString());
        }
    }

    /** The sending thread: sends the queued datagrams in order until stopped and the queue is empty. */
    private void sendQueued() {
        long h = head;
        while (true) {
            if (h == tail) {
                if (!sending) {
                    return;
                }
                senderParked = true;
                if (h == tail && sending) {
                    LockSupport.park(this);
                }
                senderParked = false;
                continue;
            }
            int i = (int) h & (SEND_QUEUE_SLOTS - 1);
            ByteBuffer data = slotData[i];
            try {
                if (slotChannel[i].send(data, slotRemote[i]) == 0) {
                    // the socket buffer is full: wait a little for the system to drain it
                    if (sending) {
                        LockSupport.parkNanos(this, FULL_SOCKET_RETRY_NANOS);
                        continue;
                    }
                }
            } catch (IOException e) {
                // ICMP errors, unreachable networks, a socket closed meanwhile: the datagram is
                // lost, as UDP may lose it anyway
                log.debug("send to {} failed: {}", slotRemote[i], e.toString());
            } catch (RuntimeException e) {
                log.error("sending to {} failed unexpectedly", slotRemote[i], e);
            }
            head = ++h;
            if (loopWantsRoom && tail - h <= SEND_QUEUE_SLOTS / 2) {
                loopWantsRoom = false;
                selector.wakeup();
            }
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
        // the sending thread sends what the loop queued last (close frames) and stops
        sending = false;
        if (sender != null) {
            LockSupport.unpark(sender);
            if (sender != Thread.currentThread()) {
                try {
                    sender.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
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
