package dev.srudp.core.stream;

/**
 * One stream as the protocol loop sees it: both buffers and the flow-control numbers of each
 * direction. Loop-owned, except for the buffers, which application threads share.
 *
 * <p>Stream IDs: the low bit is the role of the side that opened the stream (0: the connection's
 * initiator, 1: its responder); bit 1 is reserved for unidirectional streams and is 0; the rest
 * counts streams: ID = 4 * index + role.
 */
public final class StreamState {
    public final long id;
    public final SendBuffer send;
    public final ReceiveBuffer receive;

    /** The largest offset + 1 the peer lets us send. */
    public long peerMaxStreamData;
    /** The limit we last advertised to the peer. */
    public long advertisedMaxStreamData;
    /** Bytes of this stream already counted as consumed at connection level. */
    public long consumedCounted;
    /** Received bytes already counted against the connection-level limit. */
    public long receivedCounted;
    /** A MAX_STREAM_DATA update is due. */
    public boolean maxStreamDataDue;
    /** A RESET_STREAM is due (error code below) and not yet acknowledged. */
    public boolean resetDue;
    public long resetCode;
    public boolean resetSent;
    /** A STOP_SENDING is due (error code below). */
    public boolean stopSendingDue;
    public long stopSendingCode;
    /** Whether the stream is in the loop's queue of streams with data to send. */
    public boolean queued;
    /** Whether the stream waits in the loop's list of readers to wake. */
    public boolean wakeQueued;
    /** Whether the application may still see this stream (it was accepted or opened). */
    public boolean announced;

    public StreamState(long id, SendBuffer send, ReceiveBuffer receive, long peerMaxStreamData,
            long advertisedMaxStreamData) {
        this.id = id;
        this.send = send;
        this.receive = receive;
        this.peerMaxStreamData = peerMaxStreamData;
        this.advertisedMaxStreamData = advertisedMaxStreamData;
    }

    public static long streamId(long index, int role) {
        return index * 4 + role;
    }

    public static int role(long streamId) {
        return (int) (streamId & 1);
    }

    public static long index(long streamId) {
        return streamId >>> 2;
    }

    /** Whether both directions are finished and the stream can be forgotten. */
    public boolean isTerminal() {
        boolean sendDone = resetSent ? !resetDue : send.isFullyAcknowledged();
        return sendDone && receive.isComplete();
    }
}
