package dev.srudp.core.net;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * More local UDP sockets for an {@link Engine}, opened and closed on request: the birthday
 * technique of hole punching needs many sockets, each with its own NAT mapping (see
 * {@code dev.srudp.core.punch.Puncher}). The owner of the engine (the UDP loop, the simulator)
 * provides it; the engine calls it only from the owner's thread, during an engine call, and then
 * receives and sends on the returned addresses like on its own.
 */
public interface ExtraSockets {
    /** Opens nothing (an owner that cannot open sockets). */
    ExtraSockets NONE = new ExtraSockets() {
        @Override
        public List<InetSocketAddress> open(InetSocketAddress like, int count) {
            return List.of();
        }

        @Override
        public void close(InetSocketAddress socket) {
        }
    };

    /**
     * Opens up to {@code count} sockets on the address of {@code like} (one of the engine's
     * sockets) with ports chosen by the system, and returns their addresses (fewer, or none, when
     * the system refuses more).
     */
    List<InetSocketAddress> open(InetSocketAddress like, int count);

    /** Closes a socket {@link #open} returned; datagrams for it are no longer delivered. */
    void close(InetSocketAddress socket);
}
