package dev.srudp.core.connection;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Responder handshakes in progress, with a count per source address for the per-source cap. */
final class RespondingHandshakes {
    private final Map<ConnectionCore, InetAddress> sources = new HashMap<>();
    private final Map<InetAddress, Integer> perSource = new HashMap<>();

    void add(ConnectionCore c, InetAddress source) {
        if (sources.putIfAbsent(c, source) == null) {
            perSource.merge(source, 1, Integer::sum);
        }
    }

    void remove(ConnectionCore c) {
        InetAddress source = sources.remove(c);
        if (source != null) {
            perSource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    int size() {
        return sources.size();
    }

    int fromSource(InetAddress source) {
        return perSource.getOrDefault(source, 0);
    }
}
