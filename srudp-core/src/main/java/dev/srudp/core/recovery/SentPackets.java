package dev.srudp.core.recovery;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The packets in flight, indexed by packet number. Packet numbers only grow, so the packets sit in
 * a ring in sending order; acknowledged or lost ones leave holes that are skipped and reclaimed as
 * the oldest ones go. Every operation is a walk over a range of packet numbers without allocating.
 */
final class SentPackets {
    private SentPacket[] ring = new SentPacket[8];
    /** Packet number held at {@code ring[head]}. */
    private long base;
    private int head;
    /** Slots from head up to the newest packet recorded (holes included). */
    private int span;
    private int count;

    void add(SentPacket p) {
        if (span == 0) {
            base = p.packetNumber;
            head = 0;
        }
        long offset = p.packetNumber - base;
        if (offset < span || offset >= Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("packet numbers must increase: " + p.packetNumber);
        }
        int needed = (int) offset + 1;
        if (needed > ring.length) {
            grow(needed);
        }
        ring[(head + (int) offset) % ring.length] = p;
        span = needed;
        count++;
    }

    private void grow(int needed) {
        int capacity = ring.length;
        while (capacity < needed) {
            capacity *= 2;
        }
        SentPacket[] grown = new SentPacket[capacity];
        for (int i = 0; i < span; i++) {
            grown[i] = ring[(head + i) % ring.length];
        }
        ring = grown;
        head = 0;
    }

    /** The packet with this number, if it is still in flight. */
    SentPacket get(long packetNumber) {
        long offset = packetNumber - base;
        if (span == 0 || offset < 0 || offset >= span) {
            return null;
        }
        return ring[(head + (int) offset) % ring.length];
    }

    /** Removes the packets numbered [from, to] (inclusive) that are in flight, adding them to {@code removed}. */
    void removeRange(long from, long to, java.util.Collection<SentPacket> removed) {
        removeRange(from, to, (Consumer<SentPacket>) null, removed);
    }

    /** Removes the packets numbered [from, to] (inclusive) that are in flight, oldest first. */
    void removeRange(long from, long to, Consumer<SentPacket> removed) {
        removeRange(from, to, removed, null);
    }

    private void removeRange(long from, long to, Consumer<SentPacket> removed,
            java.util.Collection<SentPacket> into) {
        if (span == 0) {
            return;
        }
        long first = Math.max(from, base);
        long last = Math.min(to, base + span - 1);
        for (long pn = first; pn <= last; pn++) {
            int index = (head + (int) (pn - base)) % ring.length;
            SentPacket p = ring[index];
            if (p != null) {
                ring[index] = null;
                count--;
                if (into != null) {
                    into.add(p);
                } else {
                    removed.accept(p);
                }
            }
        }
        trim();
    }

    /** Visits the packets in flight numbered below {@code limit}, oldest first. */
    void forEachBelow(long limit, Consumer<SentPacket> visitor) {
        long last = Math.min(limit - 1, base + span - 1);
        for (long pn = base; span > 0 && pn <= last; pn++) {
            SentPacket p = ring[(head + (int) (pn - base)) % ring.length];
            if (p != null) {
                visitor.accept(p);
            }
        }
    }

    /** Adds the packets in flight numbered below {@code limit} to {@code into}, oldest first. */
    void collectBelow(long limit, java.util.Collection<SentPacket> into) {
        long last = Math.min(limit - 1, base + span - 1);
        for (long pn = base; span > 0 && pn <= last; pn++) {
            SentPacket p = ring[(head + (int) (pn - base)) % ring.length];
            if (p != null) {
                into.add(p);
            }
        }
    }

    /** Visits every packet in flight, oldest first. */
    void forEach(Consumer<SentPacket> visitor) {
        forEachBelow(Long.MAX_VALUE, visitor);
    }

    /** Removes one packet. */
    void remove(long packetNumber) {
        removeRange(packetNumber, packetNumber, p -> { });
    }

    void clear() {
        Arrays.fill(ring, null);
        span = 0;
        count = 0;
        head = 0;
    }

    int size() {
        return count;
    }

    private void trim() {
        while (span > 0 && ring[head] == null) {
            head = (head + 1) % ring.length;
            base++;
            span--;
        }
        if (span == 0) {
            head = 0;
        }
    }
}
