package dev.srudp.core.connection;

import dev.srudp.ErrorCodes;
import dev.srudp.StreamResetException;
import dev.srudp.core.recovery.SentPacket;
import dev.srudp.core.stream.ReceiveBuffer;
import dev.srudp.core.stream.SendBuffer;
import dev.srudp.core.stream.StreamState;
import dev.srudp.core.wire.Frame;
import dev.srudp.core.wire.FrameCodec;
import dev.srudp.core.wire.HandshakePayload;
import dev.srudp.core.wire.VarInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The streams of one connection and their flow control (RFC 9000, sections 2-4): which streams
 * exist, which have data or control frames to send, the credit each direction has left, and what
 * the peer's stream frames do. Loop-owned, like the {@link ConnectionCore} it belongs to; a
 * protocol violation by the peer is reported to the connection, which closes.
 */
final class StreamManager {

    /** Where violations of the peer go: the connection closes with the code and reason. */
    @FunctionalInterface
    interface Violations {
        void raise(long code, String reason);
    }

    private final ConnectionCore connection;
    private final EndpointCore endpoint;
    private final EndpointContext ctx;
    private final int localRole;
    private final Violations violations;

    private final Map<Long, StreamState> streams = new HashMap<>();
    private final ArrayDeque<StreamState> sendQueue = new ArrayDeque<>(2);
    private final ArrayDeque<StreamState> pendingOpen = new ArrayDeque<>(2);
    private final ArrayDeque<StreamState> controlQueue = new ArrayDeque<>(2);
    /** Streams whose readers wait to be woken for data received in the current batch of datagrams. */
    private final ArrayDeque<StreamState> toWake = new ArrayDeque<>(2);
    private final SendBuffer.Chunk chunk = new SendBuffer.Chunk();
    private long nextLocalStreamIndex;
    private long nextPeerStreamIndex;
    private long peerMaxStreams;
    private long localMaxStreams;
    private long closedPeerStreams;
    private boolean maxStreamsDue;
    private long peerMaxData;
    private long peerMaxStreamData;
    private long newBytesSent;
    private long localMaxData;
    private long receivedBytes;
    private long consumedBytes;
    private boolean maxDataDue;
    /** Whether the peer's connection-level credit was below a quarter of the window at the last frame. */
    private boolean connectionCreditLow;

    StreamManager(ConnectionCore connection, EndpointCore endpoint, boolean initiator, Violations violations) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.ctx = endpoint.context();
        this.localRole = initiator ? 0 : 1;
        this.violations = violations;
        this.localMaxData = ctx.config.connectionReceiveWindow();
        this.localMaxStreams = ctx.config.maxStreamsPerConnection();
    }

    /** The limits this side announces in its handshake payload. */
    long localMaxData() {
        return localMaxData;
    }

    long localMaxStreams() {
        return localMaxStreams;
    }

    /** The peer's limits, from its handshake payload. */
    void onPeerParameters(HandshakePayload peer) {
        peerMaxData = peer.initialMaxData();
        peerMaxStreams = peer.initialMaxStreams();
        peerMaxStreamData = peer.initialMaxStreamData();
    }

    // ---------------------------------------------------------------- creating streams

    StreamState newStream(long id) {
        StreamState[] holder = new StreamState[1];
        SendBuffer send = new SendBuffer(ctx.config.streamSendBuffer(),
                () -> endpoint.execute(connection, now -> queueForSending(holder[0])));
        ReceiveBuffer receive = new ReceiveBuffer(ctx.config.streamReceiveWindow(),
                () -> endpoint.execute(connection, now -> onConsumed(holder[0])), ctx.callbacks);
        receive.deferWakeups();
        holder[0] = new StreamState(id, send, receive, peerMaxStreamData, ctx.config.streamReceiveWindow());
        return holder[0];
    }

    /**
     * The state of a stream the application opens with the given index. Safe on any thread once the
     * connection is established (it reads only settled values); the stream becomes live with
     * {@link #registerLocal}.
     */
    StreamState createLocal(long index) {
        return newStream(StreamState.streamId(index, localRole));
    }

    /** Makes a stream the application opened live (on the loop). */
    void registerLocal(StreamState s) {
        s.announced = true;
        streams.put(s.id, s);
        nextLocalStreamIndex = Math.max(nextLocalStreamIndex, StreamState.index(s.id) + 1);
        if (StreamState.index(s.id) >= peerMaxStreams) {
            pendingOpen.add(s);
        } else {
            queueForSending(s);
        }
    }

    /** Finds or (for a new peer stream) creates the stream a frame refers to; null to ignore it. */
    private StreamState forPeerFrame(long streamId) {
        StreamState stream = streams.get(streamId);
        if (stream != null) {
            return stream;
        }
        long index = StreamState.index(streamId);
        if ((streamId & 2) != 0) {
            violations.raise(ErrorCodes.STREAM_STATE_ERROR, "unidirectional streams are not supported");
            return null;
        }
        if (StreamState.role(streamId) == localRole) {
            if (index >= nextLocalStreamIndex) {
                violations.raise(ErrorCodes.STREAM_STATE_ERROR, "frame for stream " + streamId + " not yet opened");
            }
            return null; // a stream of ours that is already finished
        }
        if (index < nextPeerStreamIndex) {
            return null; // finished and forgotten
        }
        if (index >= localMaxStreams) {
            violations.raise(ErrorCodes.STREAM_LIMIT_ERROR, "the peer opened more streams than allowed");
            return null;
        }
        // RFC 9000, section 3.2: "Before a stream is created, all streams of the same type with
        // lower-numbered stream IDs MUST be created." Streams are announced in order.
        while (nextPeerStreamIndex <= index) {
            long id = StreamState.streamId(nextPeerStreamIndex++, 1 - localRole);
            StreamState created = newStream(id);
            streams.put(id, created);
            created.announced = true;
            endpoint.deliverStream(connection.handle(), new StreamHandle(created, connection, endpoint));
            stream = created;
        }
        return stream;
    }

    // ---------------------------------------------------------------- frames from the peer

    void onStreamFrame(Frame.Stream s) {
        StreamState stream = forPeerFrame(s.streamId());
        if (stream == null) {
            return;
        }
        ByteBuffer data = s.data();
        onStreamData(stream, s.offset(), data, data.position(), data.remaining(), s.fin());
    }

    /** A STREAM frame decoded into a view; its data lies in {@code packet}. */
    void onStreamFrame(FrameCodec.StreamView s, ByteBuffer packet) {
        StreamState stream = forPeerFrame(s.streamId);
        if (stream == null) {
            return;
        }
        onStreamData(stream, s.offset, packet, s.dataPosition, s.dataLength, s.fin);
    }

    private void onStreamData(StreamState stream, long offset, ByteBuffer src, int position, int length,
            boolean fin) {
        ReceiveBuffer.Result result = stream.receive.receive(offset, src, position, length, fin,
                stream.advertisedMaxStreamData);
        switch (result) {
            case FLOW_CONTROL_ERROR -> violations.raise(ErrorCodes.FLOW_CONTROL_ERROR,
                    "stream " + stream.id + " exceeded its limit");
            case FINAL_SIZE_ERROR -> violations.raise(ErrorCodes.FINAL_SIZE_ERROR,
                    "stream " + stream.id + " changed its final size");
            case TOO_FRAGMENTED -> violations.raise(ErrorCodes.PROTOCOL_VIOLATION, "stream " + stream.id
                    + " data scattered into more than " + ReceiveBuffer.maxRanges(ctx.config.streamReceiveWindow())
                    + " pieces");
            case OK -> {
                countReceived(stream);
                if (!stream.wakeQueued) {
                    stream.wakeQueued = true;
                    toWake.add(stream);
                }
                noteReads(stream);
            }
        }
    }

    /** Whether streams received data whose readers have not been woken yet. */
    boolean hasReadersToWake() {
        return !toWake.isEmpty();
    }

    /** Wakes the readers of the streams that received data since the last call. */
    void wakeReaders() {
        StreamState s;
        while ((s = toWake.poll()) != null) {
            s.wakeQueued = false;
            s.receive.wakeReaders();
        }
    }

    /**
     * Takes in what the application read from {@code stream} so far (its reads need not wake the
     * loop while the peer has credit to spare, because its next frames bring the loop here), and
     * tells the buffer whether the next reads must wake the loop: they must once the peer's credit
     * for the stream or the connection runs below a quarter of the window, or a read that
     * should extend it could go unnoticed while the peer waits.
     */
    private void noteReads(StreamState stream) {
        onConsumed(stream);
        boolean connectionLow = localMaxData - receivedBytes < ctx.config.connectionReceiveWindow() / 4;
        if (connectionLow && !connectionCreditLow) {
            // other streams' readers may have been quiet: count their reads now, and from now on
            // let every read tell the loop
            for (StreamState other : new ArrayList<>(streams.values())) {
                other.receive.quietReads(false);
                onConsumed(other);
            }
        }
        connectionCreditLow = connectionLow;
        boolean streamLow = stream.advertisedMaxStreamData - stream.receivedCounted
                < ctx.config.streamReceiveWindow() / 4;
        stream.receive.quietReads(!connectionLow && !streamLow);
    }

    private void countReceived(StreamState stream) {
        long highest = stream.receive.highestReceived();
        if (highest > stream.receivedCounted) {
            receivedBytes += highest - stream.receivedCounted;
            stream.receivedCounted = highest;
            if (receivedBytes > localMaxData) {
                violations.raise(ErrorCodes.FLOW_CONTROL_ERROR, "the peer exceeded the connection's limit");
            }
        }
    }

    void onResetStream(Frame.ResetStream r) {
        StreamState stream = forPeerFrame(r.streamId());
        if (stream == null) {
            return;
        }
        if (r.finalSize() > stream.advertisedMaxStreamData) {
            // RFC 9000, section 4.5: a final size beyond the flow-control limit is a FLOW_CONTROL_ERROR
            violations.raise(ErrorCodes.FLOW_CONTROL_ERROR, "RESET_STREAM final size beyond the stream's limit");
            return;
        }
        ReceiveBuffer.Result result = stream.receive.reset(r.finalSize(), new StreamResetException(
                "the peer reset stream " + r.streamId() + " with code " + ErrorCodes.name(r.errorCode()),
                r.errorCode()));
        if (result != ReceiveBuffer.Result.OK) {
            violations.raise(ErrorCodes.FINAL_SIZE_ERROR, "RESET_STREAM contradicts the final size");
            return;
        }
        countReceived(stream);
        releaseIfTerminal(stream);
    }

    void onStopSending(Frame.StopSending s) {
        StreamState stream = forPeerFrame(s.streamId());
        if (stream == null) {
            return;
        }
        // RFC 9000, section 3.5: "An endpoint that receives a STOP_SENDING frame MUST send a
        // RESET_STREAM frame if the stream is in the "Ready" or "Send" state."
        stream.send.fail(new StreamResetException("the peer stopped reading stream " + s.streamId()
                + " (code " + ErrorCodes.name(s.errorCode()) + ")", s.errorCode()));
        if (!stream.send.isFullyAcknowledged() && !stream.resetSent) {
            stream.resetDue = true;
            stream.resetCode = s.errorCode();
            queueControl(stream);
        }
    }

    void onMaxData(long maximum) {
        if (maximum > peerMaxData) {
            peerMaxData = maximum;
            // streams that ran out of connection credit left the send queue; resume them
            for (StreamState st : streams.values()) {
                if (mayOpen(st) && st.send.hasSendable(st.peerMaxStreamData, peerMaxData - newBytesSent)) {
                    queueForSending(st);
                }
            }
        }
    }

    void onMaxStreamData(long streamId, long maximum) {
        StreamState s = streams.get(streamId);
        if (s != null) {
            s.peerMaxStreamData = Math.max(s.peerMaxStreamData, maximum);
            queueForSending(s);
        }
    }

    void onMaxStreams(long maximum) {
        peerMaxStreams = Math.max(peerMaxStreams, maximum);
        while (!pendingOpen.isEmpty() && StreamState.index(pendingOpen.peek().id) < peerMaxStreams) {
            queueForSending(pendingOpen.poll());
        }
    }

    // ---------------------------------------------------------------- what became of sent frames

    /** A stream-related item of an acknowledged packet; false if the item is not a stream's. */
    boolean onAcked(SentPacket.Item item) {
        switch (item.kind()) {
            case STREAM -> {
                StreamState s = streams.get(item.streamId());
                if (s != null) {
                    s.send.onAcked(item.offset(), item.length(), item.fin());
                    releaseIfTerminal(s);
                }
            }
            case RESET_STREAM -> {
                StreamState s = streams.get(item.streamId());
                if (s != null) {
                    s.resetSent = true;
                    s.resetDue = false;
                    s.send.onAcked(0, 0, false);
                    releaseIfTerminal(s);
                }
            }
            case STOP_SENDING, MAX_STREAM_DATA, MAX_DATA, MAX_STREAMS -> {
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A stream-related item of a lost packet: what must be sent again; false if not a stream's. */
    boolean onLost(SentPacket.Item item) {
        switch (item.kind()) {
            case STREAM -> {
                StreamState s = streams.get(item.streamId());
                if (s != null) {
                    s.send.onLost(item.offset(), item.length(), item.fin());
                    queueForSending(s);
                }
            }
            case RESET_STREAM -> {
                StreamState s = streams.get(item.streamId());
                if (s != null && !s.resetDue) {
                    s.resetDue = true;
                    queueControl(s);
                }
            }
            case STOP_SENDING -> {
                StreamState s = streams.get(item.streamId());
                if (s != null && !s.receive.isFinalSizeKnown()) {
                    s.stopSendingDue = true;
                    queueControl(s);
                }
            }
            case MAX_STREAM_DATA -> {
                StreamState s = streams.get(item.streamId());
                if (s != null && !s.receive.isFinalSizeKnown()) {
                    s.maxStreamDataDue = true;
                    queueControl(s);
                }
            }
            case MAX_DATA -> maxDataDue = true;
            case MAX_STREAMS -> maxStreamsDue = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- the application's actions

    void queueForSending(StreamState s) {
        if (s != null && !s.queued && streams.get(s.id) == s) {
            s.queued = true;
            sendQueue.add(s);
        }
    }

    private void queueControl(StreamState s) {
        if (!controlQueue.contains(s)) {
            controlQueue.add(s);
        }
    }

    /** The application read from a stream: maybe extend the peer's credit. */
    void onConsumed(StreamState s) {
        if (s == null || streams.get(s.id) != s) {
            return;
        }
        long read = s.receive.readOffset();
        if (read > s.consumedCounted) {
            consumedBytes += read - s.consumedCounted;
            s.consumedCounted = read;
        }
        int window = ctx.config.streamReceiveWindow();
        if (!s.receive.isFinalSizeKnown() && read + window - s.advertisedMaxStreamData >= window / 2) {
            s.advertisedMaxStreamData = read + window;
            s.maxStreamDataDue = true;
            queueControl(s);
        }
        int connectionWindow = ctx.config.connectionReceiveWindow();
        if (consumedBytes + connectionWindow - localMaxData >= connectionWindow / 2) {
            localMaxData = consumedBytes + connectionWindow;
            maxDataDue = true;
        }
        releaseIfTerminal(s);
    }

    /** The application reset a stream. */
    void reset(StreamState s, long code) {
        if (streams.get(s.id) != s) {
            return;
        }
        s.send.fail(new StreamResetException("stream " + s.id + " was reset locally", code));
        s.receive.fail(new StreamResetException("stream " + s.id + " was reset locally", code));
        s.receive.stop();
        if (!s.send.isFullyAcknowledged() && !s.resetSent) {
            s.resetDue = true;
            s.resetCode = code;
            queueControl(s);
        }
        if (!s.receive.isFinalSizeKnown()) {
            s.stopSendingDue = true;
            s.stopSendingCode = code;
            queueControl(s);
        }
        releaseIfTerminal(s);
    }

    /** The application stopped reading a stream (it closed it before the end). */
    void stopReading(StreamState s) {
        if (streams.get(s.id) != s) {
            return;
        }
        if (!s.receive.isFinalSizeKnown()) {
            s.stopSendingDue = true;
            s.stopSendingCode = ErrorCodes.STREAM_CANCELLED;
            queueControl(s);
        }
        s.receive.stop();
        releaseIfTerminal(s);
    }

    /** Graceful close: every stream's sending direction ends (FIN after what was written). */
    void finishAll() {
        for (StreamState s : streams.values()) {
            s.send.finish();
            queueForSending(s);
        }
    }

    /** Whether written data still waits to be acknowledged on some stream. */
    boolean hasUnacknowledged() {
        for (StreamState s : streams.values()) {
            if (s.send.hasUnacknowledged() && !s.resetSent && !s.resetDue) {
                return true;
            }
        }
        return false;
    }

    /** The connection ended: every reader and writer gets {@code cause}. */
    void failAll(IOException cause) {
        for (StreamState s : streams.values()) {
            s.send.fail(cause);
            s.receive.fail(cause);
        }
    }

    private void releaseIfTerminal(StreamState s) {
        if (!s.isTerminal() || streams.get(s.id) != s) {
            return;
        }
        streams.remove(s.id);
        if (StreamState.role(s.id) != localRole) {
            closedPeerStreams++;
            localMaxStreams = closedPeerStreams + ctx.config.maxStreamsPerConnection();
            maxStreamsDue = true;
        }
    }

    // ---------------------------------------------------------------- sending

    private boolean mayOpen(StreamState s) {
        return StreamState.role(s.id) != localRole || StreamState.index(s.id) < peerMaxStreams;
    }

    /** Whether control frames (credit, resets, stop-sending) wait to be sent. */
    boolean hasControlToSend() {
        return maxDataDue || maxStreamsDue || !controlQueue.isEmpty();
    }

    /** Whether some stream has data (or a FIN) it may send now. */
    boolean hasSendableData() {
        for (StreamState s : sendQueue) {
            if (mayOpen(s) && s.send.hasSendable(s.peerMaxStreamData, peerMaxData - newBytesSent)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the due control frames; true if any (they are ack-eliciting). */
    boolean writeControl(ByteBuffer frames, SentPacket sent) {
        boolean wrote = false;
        if (maxDataDue && frames.remaining() >= 9) {
            maxDataDue = false;
            new Frame.MaxData(localMaxData).encode(frames);
            sent.addItem(SentPacket.Kind.MAX_DATA, 0, 0, 0, false);
            wrote = true;
        }
        if (maxStreamsDue && frames.remaining() >= 9) {
            maxStreamsDue = false;
            new Frame.MaxStreams(localMaxStreams).encode(frames);
            sent.addItem(SentPacket.Kind.MAX_STREAMS, 0, 0, 0, false);
            wrote = true;
        }
        int n = controlQueue.size();
        for (int i = 0; i < n && frames.remaining() >= 32; i++) {
            StreamState s = controlQueue.poll();
            if (s.resetDue) {
                s.resetDue = false;
                s.resetSent = true;
                new Frame.ResetStream(s.id, s.resetCode, s.send.sentBytes()).encode(frames);
                sent.addItem(SentPacket.Kind.RESET_STREAM, s.id, 0, 0, false);
                wrote = true;
            }
            if (s.stopSendingDue) {
                s.stopSendingDue = false;
                new Frame.StopSending(s.id, s.stopSendingCode).encode(frames);
                sent.addItem(SentPacket.Kind.STOP_SENDING, s.id, 0, 0, false);
                wrote = true;
            }
            if (s.maxStreamDataDue) {
                s.maxStreamDataDue = false;
                new Frame.MaxStreamData(s.id, s.advertisedMaxStreamData).encode(frames);
                sent.addItem(SentPacket.Kind.MAX_STREAM_DATA, s.id, 0, 0, false);
                wrote = true;
            }
        }
        return wrote;
    }

    /** Fills the packet with stream data, one chunk per stream in turn; true if any was written. */
    boolean writeStreamFrames(ByteBuffer frames, SentPacket sent) {
        boolean wrote = false;
        int rounds = sendQueue.size();
        while (rounds-- > 0 && frames.remaining() > 24) {
            StreamState s = sendQueue.poll();
            s.queued = false;
            if (streams.get(s.id) != s || !mayOpen(s)) {
                if (streams.get(s.id) == s) {
                    pendingOpen.remove(s);
                    pendingOpen.add(s);
                }
                continue;
            }
            int room = frames.remaining() - Frame.Stream.headerLength(s.id, Long.MAX_VALUE >>> 2, frames.remaining(),
                    true);
            long credit = peerMaxData - newBytesSent;
            long sentBefore = s.send.sentBytes();
            if (room >= 0 && s.send.nextChunk(room, s.peerMaxStreamData, credit, chunk)) {
                // the header, then the data copied straight from the send buffer
                int type = Frame.TYPE_STREAM | (chunk.offset != 0 ? 0x04 : 0) | 0x02 | (chunk.fin ? 0x01 : 0);
                frames.put((byte) type);
                VarInt.write(frames, s.id);
                if (chunk.offset != 0) {
                    VarInt.write(frames, chunk.offset);
                }
                VarInt.write(frames, chunk.length);
                s.send.copy(chunk.offset, chunk.length, frames);
                newBytesSent += s.send.sentBytes() - sentBefore;
                sent.addItem(SentPacket.Kind.STREAM, s.id, chunk.offset, chunk.length,
                        chunk.fin);
                sent.retransmission |= chunk.retransmission;
                wrote = true;
            }
            if (s.send.hasSendable(s.peerMaxStreamData, peerMaxData - newBytesSent)) {
                queueForSending(s);
            }
        }
        return wrote;
    }
}
