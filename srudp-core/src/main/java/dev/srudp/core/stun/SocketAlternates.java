package dev.srudp.core.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The alternate sockets of an endpoint that acts as an RFC 5780 server. RFC 5780 (section 4.1)
 * has such a server listen on two IP addresses and two ports, four sockets in all: a request on
 * (IP1, port1) may then be answered from (IP2, port1), (IP1, port2) or (IP2, port2). An endpoint
 * bound to fewer has no alternates, and refuses CHANGE-REQUEST.
 */
final class SocketAlternates implements StunResponder.Alternates {
    private final List<InetSocketAddress> sockets;

    private SocketAlternates(List<InetSocketAddress> sockets) {
        this.sockets = sockets;
    }

    /** The alternates of {@code sockets}, or {@link StunResponder.Alternates#NONE} if no socket has all three. */
    static StunResponder.Alternates of(List<InetSocketAddress> sockets) {
        SocketAlternates a = new SocketAlternates(List.copyOf(sockets));
        for (InetSocketAddress s : sockets) {
            if (a.answerFrom(s, StunAttributes.CHANGE_IP | StunAttributes.CHANGE_PORT) != null) {
                return a;
            }
        }
        return StunResponder.Alternates.NONE;
    }

    @Override
    public InetSocketAddress answerFrom(InetSocketAddress local, int flags) {
        if (!sockets.contains(local) || local.getAddress().isAnyLocalAddress()) {
            return null;
        }
        InetAddress otherIp = null;
        int otherPort = -1;
        for (InetSocketAddress s : sockets) {
            boolean sameFamily = (s.getAddress() instanceof Inet6Address) == (local.getAddress() instanceof Inet6Address);
            if (otherIp == null && sameFamily && !s.getAddress().equals(local.getAddress())
                    && !s.getAddress().isAnyLocalAddress()) {
                otherIp = s.getAddress();
            }
            if (otherPort < 0 && s.getAddress().equals(local.getAddress()) && s.getPort() != local.getPort()) {
                otherPort = s.getPort();
            }
        }
        if (otherIp == null || otherPort < 0) {
            return null;
        }
        InetSocketAddress target = new InetSocketAddress(
                (flags & StunAttributes.CHANGE_IP) != 0 ? otherIp : local.getAddress(),
                (flags & StunAttributes.CHANGE_PORT) != 0 ? otherPort : local.getPort());
        return sockets.contains(target) && sockets.contains(new InetSocketAddress(otherIp, otherPort))
                && sockets.contains(new InetSocketAddress(otherIp, local.getPort()))
                && sockets.contains(new InetSocketAddress(local.getAddress(), otherPort)) ? target : null;
    }
}
