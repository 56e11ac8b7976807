package dev.srudp.core.recovery;

/**
 * What the loss detector remembers about one sent packet until it is acknowledged or lost.
 *
 * <p>Records are reused: {@link LossRecovery#newPacket} hands out one whose previous packet was
 * settled, with its {@link Item}s, so that a connection in steady state sends without allocating
 * one. Nothing may keep a record or an item after the listener call that reported it.
 */
public final class SentPacket {
    /** Something in a packet that must be sent again (or not) if the packet is lost. Reused. */
    public static final class Item {
        private Kind kind;
        private long streamId;
        private long offset;
        private int length;
        private boolean fin;

        public Kind kind() {
            return kind;
        }

        public long streamId() {
            return streamId;
        }

        public long offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        public boolean fin() {
            return fin;
        }

        @Override
        public String toString() {
            return "Item[" + kind + " stream=" + streamId + " offset=" + offset + " length=" + length
                    + (fin ? " FIN" : "") + "]";
        }
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

    public long packetNumber;
    public long timeSentNanos;
    /** The packet's size in bytes, set once it is sealed. */
    public int size;
    /** Whether the packet obliges the peer to acknowledge it; settled before it is sealed. */
    public boolean ackEliciting;
    private Item[] items = new Item[2];
    private int itemCount;
    /** Whether the packet carried bytes that were sent before (for statistics). */
    public boolean retransmission;
    /**
     * Whether the packet is a path MTU probe. RFC 9000, section 14.4: "Loss of a QUIC packet that is
     * carried in a PMTU probe is therefore not a reliable indication of congestion and SHOULD NOT
     * trigger a congestion control reaction".
     */
    public boolean mtuProbe;

    public SentPacket(long packetNumber, long timeSentNanos, int size, boolean ackEliciting) {
        reset(packetNumber, timeSentNanos, size, ackEliciting);
    }

    /** Makes this record describe a new packet, with no items. */
    SentPacket reset(long packetNumber, long timeSentNanos, int size, boolean ackEliciting) {
        this.packetNumber = packetNumber;
        this.timeSentNanos = timeSentNanos;
        this.size = size;
        this.ackEliciting = ackEliciting;
        this.retransmission = false;
        this.mtuProbe = false;
        this.itemCount = 0;
        return this;
    }

    /** Records content of the packet. */
    public void addItem(Kind kind, long streamId, long offset, int length, boolean fin) {
        if (itemCount == items.length) {
            items = java.util.Arrays.copyOf(items, itemCount * 2);
        }
        Item item = items[itemCount];
        if (item == null) {
            item = new Item();
            items[itemCount] = item;
        }
        item.kind = kind;
        item.streamId = streamId;
        item.offset = offset;
        item.length = length;
        item.fin = fin;
        itemCount++;
    }

    /** How many items the packet holds. */
    public int itemCount() {
        return itemCount;
    }

    /** The item at {@code index}, valid until the record is reused. */
    public Item item(int index) {
        if (index >= itemCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return items[index];
    }
}
