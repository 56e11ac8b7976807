package dev.srudp.testkit;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One UDP datagram on the simulated network: source address, destination address and payload.
 *
 * <p>Immutable: the payload is copied on the way in and on the way out, so a {@link Tap} that
 * keeps a datagram to replay it later replays exactly what it saw.
 *
 * @param from    the source address, as the receiver will see it
 * @param to      the destination address
 * @param payload the UDP payload (copied)
 */
public record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] payload) {

    /** Copies {@code payload}; rejects null addresses and a null payload. */
    public Datagram {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload's length in bytes, without copying it. */
    public int length() {
        return payload.length;
    }

    /** The same addresses with another payload (copied). */
    public Datagram withPayload(byte[] newPayload) {
        return new Datagram(from, to, newPayload);
    }

    /** The same datagram claiming another source address, as a spoofer or a NAT would write it. */
    public Datagram withFrom(InetSocketAddress newFrom) {
        return new Datagram(newFrom, to, payload);
    }

    /** The same datagram sent to another destination. */
    public Datagram withTo(InetSocketAddress newTo) {
        return new Datagram(from, newTo, payload);
    }

    /** The same payload sent back: from the destination to the source. */
    public Datagram reflected() {
        return new Datagram(to, from, payload);
    }

    /** The payload without a copy; callers in this package never modify it. */
    byte[] payloadView() {
        return payload;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Datagram d
                && from.equals(d.from) && to.equals(d.to) && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * from.hashCode() + to.hashCode()) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        int shown = Math.min(payload.length, 16);
        String head = HexFormat.of().formatHex(payload, 0, shown);
        return "Datagram[" + from + " -> " + to + ", " + payload.length + " bytes: " + head
                + (shown < payload.length ? "..." : "") + "]";
    }
}
