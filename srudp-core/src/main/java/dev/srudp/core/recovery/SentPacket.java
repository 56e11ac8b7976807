package dev.srudp.core.recovery;

import java.util.ArrayList;
import java.util.List;

/** What the loss detector remembers about one sent packet until it is acknowledged or lost. */
public final class SentPacket {
    /** Something in a packet that must be sent again (or not) if the packet is lost. */
    public record Item(Kind kind, long streamId, long offset, int length, boolean fin) {
    }

    /** Kinds of retransmittable content. */
    public enum Kind {
        /** Stream bytes [offset, offset + length), with FIN if {@code fin}. */
        STREAM,
        /** A RESET_STREAM for {@code streamId}. */
        RESET_STREAM,
        /** A STOP_SENDING for {@code streamId}. */
        STOP_SENDING,
        /** A MAX_STREAM_DATA for {@code streamId}: send the current value again. */
        MAX_STREAM_DATA,
        /** A MAX_DATA: send the current value again. */
        MAX_DATA,
        /** A MAX_STREAMS: send the current value again. */
        MAX_STREAMS,
        /** An ACK frame; {@code offset} is its largest acknowledged packet number. */
        ACK,
        /** A PING or other content that needs no retransmission. */
        PING,
        /** A path MTU probe of {@code length} bytes: its loss says nothing about congestion. */
        MTU_PROBE
    }

    public final long packetNumber;
    public final long timeSentNanos;
    /** The packet's size in bytes, set once it is sealed. */
    public int size;
    /** Whether the packet obliges the peer to acknowledge it; settled before it is sealed. */
    public boolean ackEliciting;
    public final List<Item> items = new ArrayList<>(2);
    /** Whether the packet carried bytes that were sent before (for statistics). */
    public boolean retransmission;
    /**
     * Whether the packet is a path MTU probe. RFC 9000, section 14.4: "Loss of a QUIC packet that is
     * carried in a PMTU probe is therefore not a reliable indication of congestion and SHOULD NOT
     * trigger a congestion control reaction".
     */
    public boolean mtuProbe;

    public SentPacket(long packetNumber, long timeSentNanos, int size, boolean ackEliciting) {
        this.packetNumber = packetNumber;
        this.timeSentNanos = timeSentNanos;
        this.size = size;
        this.ackEliciting = ackEliciting;
    }
}
