package dev.srudp.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stateful firewall without address translation, as IPv6 home routers run one (RFC 6092,
 * section 3.2.2: "filter[s] unsolicited inbound" UDP): a datagram from outside reaches an inside
 * host only if that host sent to the datagram's source address and port within the timeout.
 */
public final class SimFirewall implements Middlebox {
    private final Set<InetAddress> inside;
    private final long timeoutNanos;
    private final Map<List<InetSocketAddress>, Long> permissions = new HashMap<>();
    private long droppedInbound;

    /** A firewall in front of {@code inside} hosts whose permissions last {@code timeout} without traffic. */
    public SimFirewall(Duration timeout, InetAddress... inside) {
        this.inside = Set.of(inside);
        this.timeoutNanos = timeout.toNanos();
    }

    /** Forgets every permission. */
    public void flush() {
        permissions.clear();
    }

    public long droppedInbound() {
        return droppedInbound;
    }

    @Override
    public Datagram outbound(Datagram d, long now) {
        if (inside.contains(d.from().getAddress()) && !inside.contains(d.to().getAddress())) {
            permissions.put(List.of(d.from(), d.to()), now);
        }
        return d;
    }

    @Override
    public Datagram inbound(Datagram d, long now) {
        if (!inside.contains(d.to().getAddress()) || inside.contains(d.from().getAddress())) {
            return d;
        }
        List<InetSocketAddress> key = List.of(d.to(), d.from());
        Long last = permissions.get(key);
        if (last == null || now - last > timeoutNanos) {
            droppedInbound++;
            return null;
        }
        permissions.put(key, now);
        return d;
    }
}
