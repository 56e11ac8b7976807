package dev.srudp.core.connection;

import dev.srudp.AuthenticationException;
import dev.srudp.ConnectionClosedException;
import dev.srudp.Connection;
import dev.srudp.ConnectionStats;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.ErrorCodes;
import dev.srudp.PeerId;
import dev.srudp.VersionMismatchException;
import dev.srudp.core.congestion.CongestionController;
import dev.srudp.core.congestion.CongestionControllers;
import dev.srudp.core.congestion.Pacer;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.HandshakeException;
import dev.srudp.core.crypto.NoiseCipher;
import dev.srudp.core.crypto.NoiseHandshake;
import dev.srudp.core.crypto.NoisePattern;
import dev.srudp.core.crypto.ReplayWindow;
import dev.srudp.core.crypto.StaticKeyCertificate;
import dev.srudp.core.crypto.TransportKeys;
import dev.srudp.core.net.Engine;
import dev.srudp.core.recovery.AckTracker;
import dev.srudp.core.recovery.LossRecovery;
import dev.srudp.core.recovery.RttEstimator;
import dev.srudp.core.recovery.SentPacket;
import dev.srudp.core.stream.StreamState;
import dev.srudp.core.wire.Frame;
import dev.srudp.core.wire.FrameCodec;
import dev.srudp.core.wire.HandshakePayload;
import dev.srudp.core.wire.Packets;
import dev.srudp.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One connection's protocol state machine: handshake, packet protection, frames, streams, loss
 * recovery and timers. Sans-I/O and single-threaded: only the {@link EndpointCore} that owns it
 * calls it, from the endpoint's loop; application threads reach it through commands.
 */
public final class ConnectionCore implements LossRecovery.Listener {
    /** The first handshake retransmission; it doubles with every attempt up to the maximum. */
    static final long INITIAL_HANDSHAKE_RETRANSMIT_NANOS = 250_000_000L;
    /** The longest wait between handshake retransmissions, so a lossy path gets many tries. */
    static final long MAX_HANDSHAKE_RETRANSMIT_NANOS = 1_000_000_000L;
    /** Datagrams held for the application before the oldest is dropped. */
    static final int MAX_QUEUED_DATAGRAMS = 256;

    private final EndpointCore endpoint;
    private final EndpointContext ctx;
    private final boolean initiator;
    private final long localCid;
    private long remoteCid;
    private InetSocketAddress localAddress;
    private InetSocketAddress remoteAddress;
    private ConnectionState state;
    /** The largest UDP payload configured here; the path's is {@code pmtu.current()}. */
    private int maxUdpPayload;
    private PathMtuProber pmtu = new PathMtuProber(PathMtuProber.BASE);

    // ---- handshake
    private NoiseHandshake handshake;
    /**
     * What rebuilds the handshake object exactly as it was before the last message was read: our
     * ephemeral key and the messages already exchanged. A Noise handshake object is spent after a
     * failed read, and a forged packet must not spend ours.
     */
    private DhKeyPair ephemeral;
    private byte[] firstPayload;
    private byte[] firstMessage;
    private byte[] responsePayload;
    private final PeerId expectedPeer;
    private byte[] pinnedStaticKey;
    private byte[] handshakePacket;
    private Packets.Handshake handshakeTemplate;
    private boolean handshakePacketDue;
    private long handshakeRetransmitAtNanos = Long.MAX_VALUE;
    private long handshakeRetransmitIntervalNanos = INITIAL_HANDSHAKE_RETRANSMIT_NANOS;
    private long handshakeDeadlineNanos;
    private long handshakeTimeoutNanos;
    private boolean peerConfirmed;
    private CompletableFuture<Connection> connectFuture;
    private String handshakeHint;

    // ---- established
    private PeerId peer;
    private byte[] remoteStaticKey;
    /** The peer's handshake parameters, until the keys are installed. */
    private HandshakePayload peerParams;
    /** The largest DATAGRAM frame the peer accepts, from its parameters; -1 before the handshake. */
    private long peerMaxDatagramFrame = -1;
    private TrafficKeys keys;
    private long packetsInSendPhase;
    private long sendPhaseStartNanos;
    private final ReplayWindow replay = new ReplayWindow();
    private long nextPacketNumber;
    private final RttEstimator rtt = new RttEstimator();
    private final CongestionController congestion;
    private final Pacer pacer = new Pacer(PathMtuProber.BASE);
    /** When pacing next lets new data go, while data waits for it; otherwise MAX_VALUE. */
    private long pacingWakeNanos = Long.MAX_VALUE;
    private LossRecovery recovery;
    private final AckTracker acks = new AckTracker();
    private int probesDue;
    private boolean pingDue;
    private long lastReceivedNanos;
    private long lastAckElicitingSentNanos;
    private long idleTimeoutNanos;
    private long keepAliveNanos;

    // ---- streams and flow control
    private final StreamManager streams;
    /** The time of the packet being processed, for violations the stream manager reports. */
    private long lastEventNanos;
    private final ArrayDeque<byte[]> outgoingDatagrams = new ArrayDeque<>(2);
    private final PathValidator paths;
    /** The path of the packet whose frames are being processed. */
    private PathValidator.Path arrival;
    /** The last path reported to the engine for sending, reused while it stays the same. */
    private Engine.Transmit currentTransmit;
    /** Where the frames of a received packet are decoded: the endpoint's, shared by its connections. */
    private final FrameScratch scratch;
    private final FrameCodec.StreamView streamView;
    private final FrameCodec.AckView ackView;

    // ---- closing
    private boolean closeRequested;
    private long closeDeadlineNanos = Long.MAX_VALUE;
    private final List<CompletableFuture<Void>> closeFutures = new ArrayList<>();
    private Frame.ConnectionClose closeFrame;
    private boolean closeFrameDue;
    private long closingEndsNanos = Long.MAX_VALUE;
    private ConnectionClosedException closeCause;

    // ---- the application's view
    private final ConnectionHandle handle;
    /** Whether the endpoint has this connection among those that want to send (see ActiveConnections). */
    boolean wantsTurn;

    // ---- statistics
    private long bytesSent;
    private long bytesReceived;
    private long packetsSent;
    private long packetsReceived;
    private long packetsDropped;
    private long retransmissions;

    private ConnectionCore(EndpointCore endpoint, boolean initiator, long localCid, InetSocketAddress local,
            InetSocketAddress remote, PeerId expectedPeer, long nowNanos) {
        this.endpoint = endpoint;
        this.ctx = endpoint.context();
        this.initiator = initiator;
        this.localCid = localCid;
        this.localAddress = local;
        this.remoteAddress = remote;
        this.expectedPeer = expectedPeer;
        this.maxUdpPayload = ctx.config.maxUdpPayload();
        this.congestion = CongestionControllers.create(ctx.config.congestionControl(), PathMtuProber.BASE);
        this.handshakeTimeoutNanos = ctx.config.handshakeTimeout().toNanos();
        this.handshakeDeadlineNanos = nowNanos + handshakeTimeoutNanos;
        this.keepAliveNanos = ctx.config.keepAliveInterval().toNanos();
        this.idleTimeoutNanos = ctx.config.idleTimeout().toNanos();
        this.lastReceivedNanos = nowNanos;
        this.handle = new ConnectionHandle(this, endpoint);
        this.scratch = endpoint.frameScratch;
        this.streamView = scratch.stream;
        this.ackView = scratch.ack;
        this.paths = new PathValidator(local, remote);
        this.streams = new StreamManager(this, endpoint, initiator,
                (code, reason) -> abortInternal(code, reason, lastEventNanos, null));
    }

    // ================================================================ creation

    /** Starts a connection as initiator: IK when {@code pinnedStaticKey} is known, XX otherwise. */
    static ConnectionCore initiate(EndpointCore endpoint, long localCid, InetSocketAddress local,
            InetSocketAddress remote, PeerId expectedPeer, byte[] pinnedStaticKey, long nowNanos,
            CompletableFuture<Connection> future, long handshakeTimeoutNanos) {
        ConnectionCore c = new ConnectionCore(endpoint, true, localCid, local, remote, expectedPeer, nowNanos);
        c.handshakeDeadlineNanos = nowNanos + handshakeTimeoutNanos;
        c.handshakeTimeoutNanos = handshakeTimeoutNanos;
        c.state = ConnectionState.INITIATING;
        c.connectFuture = future;
        c.pinnedStaticKey = pinnedStaticKey;
        c.ctx.listener.handshakeStarted(remote, true);
        c.startInitiation(nowNanos);
        return c;
    }

    private void startInitiation(long nowNanos) {
        NoisePattern pattern = pinnedStaticKey != null ? NoisePattern.IK : NoisePattern.XX;
        ephemeral = DhKeyPair.generate(ctx.random);
        firstPayload = pattern == NoisePattern.IK
                ? localParams().withTimestamp(endpoint.nextTimestamp()).encode()
                : new byte[0];
        byte[] message;
        try {
            message = rebuildInitiatorHandshake();
        } catch (HandshakeException e) {
            fail(new AuthenticationException("cannot start the handshake: " + e.getMessage()), nowNanos);
            return;
        }
        int type = pattern == NoisePattern.IK ? Packets.TYPE_INIT_IK : Packets.TYPE_INIT_XX;
        setHandshakePacket(new Packets.Handshake(type, Packets.VERSION_1, 0, localCid, ByteBuffer.wrap(message)),
                nowNanos);
    }

    /** A fresh initiator handshake object that has written the first message (the same bytes each time). */
    private byte[] rebuildInitiatorHandshake() throws HandshakeException {
        NoisePattern pattern = pinnedStaticKey != null ? NoisePattern.IK : NoisePattern.XX;
        handshake = NoiseHandshake.initiator(pattern, NoiseCipher.AESGCM, EndpointContext.PROLOGUE, ctx.staticKey,
                ephemeral, pinnedStaticKey, null);
        return handshake.writeMessage(firstPayload);
    }

    /** A fresh XX responder handshake object that has read the first message and written the second. */
    private void rebuildResponderHandshake() throws HandshakeException {
        handshake = NoiseHandshake.responder(NoisePattern.XX, NoiseCipher.AESGCM, EndpointContext.PROLOGUE,
                ctx.staticKey, ephemeral, null, null);
        handshake.readMessage(firstMessage);
        handshake.writeMessage(responsePayload);
    }

    /** Whether a first message is the one this responder connection already answered. */
    boolean answers(Packets.Handshake init) {
        return firstMessage != null && init.noiseMessage().equals(ByteBuffer.wrap(firstMessage));
    }

    /**
     * Handles a first message addressed to this endpoint: returns the responder connection, or null
     * when the message is refused (the reason is reported to the listener).
     */
    static ConnectionCore respond(EndpointCore endpoint, long localCid, InetSocketAddress local,
            InetSocketAddress remote, NoiseHandshake responderHandshake, DhKeyPair responderEphemeral,
            Packets.Handshake init, HandshakePayload initiatorPayload, long nowNanos) {
        ConnectionCore c = new ConnectionCore(endpoint, false, localCid, local, remote, null, nowNanos);
        c.remoteCid = init.senderId();
        c.handshake = responderHandshake;
        c.ephemeral = responderEphemeral;
        c.firstMessage = bytes(init.noiseMessage());
        c.ctx.listener.handshakeStarted(remote, false);
        boolean ik = responderHandshake.pattern() == NoisePattern.IK;
        if (ik) {
            c.acceptPeer(initiatorPayload, responderHandshake.remoteStaticKey());
        }
        byte[] message;
        try {
            c.responsePayload = c.localParams().encode();
            message = responderHandshake.writeMessage(c.responsePayload);
        } catch (HandshakeException e) {
            return null;
        }
        c.setHandshakePacket(new Packets.Handshake(Packets.TYPE_RESPONSE, Packets.VERSION_1, c.remoteCid, localCid,
                ByteBuffer.wrap(message)), nowNanos);
        // the responder never retransmits on its own: a repeated first message asks for it
        c.handshakeRetransmitAtNanos = Long.MAX_VALUE;
        if (ik) {
            c.installKeys(nowNanos);
            c.state = ConnectionState.AWAITING_CONFIRMATION;
        } else {
            c.state = ConnectionState.AWAITING_FINISH;
        }
        return c;
    }

    private HandshakePayload localParams() {
        return new HandshakePayload(ctx.certificate.encode(), null,
                ctx.config.idleTimeout().toMillis(), streams.localMaxData(), ctx.config.streamReceiveWindow(),
                streams.localMaxStreams(),
                maxDatagramPayload(), maxUdpPayload);
    }

    private int maxDatagramPayload() {
        // datagrams are sized for the base path MTU, so their limit never shrinks
        return PathMtuProber.BASE - Packets.DATA_HEADER_LENGTH - Packets.TAG_LENGTH - 1 - 16;
    }

    private void setHandshakePacket(Packets.Handshake packet, long nowNanos) {
        handshakeTemplate = packet;
        ByteBuffer buf = ByteBuffer.allocate(packet.encodedLength());
        packet.encode(buf);
        handshakePacket = Arrays.copyOf(buf.array(), buf.position());
        handshakePacketDue = true;
        handshakeRetransmitIntervalNanos = INITIAL_HANDSHAKE_RETRANSMIT_NANOS;
        handshakeRetransmitAtNanos = nowNanos + handshakeRetransmitIntervalNanos;
    }

    /** Checks the peer's certificate against the Noise-authenticated static key and records it. */
    private void acceptPeer(HandshakePayload payload, byte[] noiseStaticKey) {
        StaticKeyCertificate cert = StaticKeyCertificate.decode(payload.certificate());
        this.peer = PeerId.of(cert.identityKey());
        this.remoteStaticKey = noiseStaticKey;
        this.peerParams = payload;
    }

    /** Validates a certificate; returns an error message or null when it is good. */
    static String checkCertificate(HandshakePayload payload, byte[] noiseStaticKey) {
        if (payload.certificate() == null) {
            return "the peer sent no key certificate";
        }
        StaticKeyCertificate cert = StaticKeyCertificate.decode(payload.certificate());
        if (!Arrays.equals(cert.staticKey(), noiseStaticKey)) {
            return "the peer's certificate is for another handshake key";
        }
        if (!cert.isValid()) {
            return "the peer's key certificate has an invalid signature";
        }
        return null;
    }

    private void installKeys(long nowNanos) {
        TransportKeys split = handshake.split();
        keys = new TrafficKeys(split.cipher(), split.sendKey(), split.receiveKey());
        sendPhaseStartNanos = nowNanos;
        streams.onPeerParameters(peerParams);
        long peerIdle = peerParams.maxIdleTimeoutMs();
        if (peerIdle > 0) {
            idleTimeoutNanos = Math.min(idleTimeoutNanos, Duration.ofMillis(peerIdle).toNanos());
        }
        recovery = new LossRecovery(rtt, congestion, AckTracker.MAX_ACK_DELAY_NANOS);
        lastReceivedNanos = nowNanos;
        // a keepalive must come well within the idle timeout both sides agreed on
        keepAliveNanos = Math.min(keepAliveNanos, idleTimeoutNanos / 2);
        maxUdpPayload = (int) Math.min(maxUdpPayload, peerParams.maxUdpPayload());
        peerMaxDatagramFrame = peerParams.maxDatagramFrameSize();
        peerParams = null;
        pmtu = ctx.config.pathMtuDiscovery() ? new PathMtuProber(maxUdpPayload) : new PathMtuProber(PathMtuProber.BASE);
        handshake = null;
        ephemeral = null;
        firstPayload = null;
        responsePayload = null;
    }

    // ================================================================ handshake packets

    /** A RESPONSE (for an initiator) or FINISH (for an XX responder) or a repeated INIT. */
    void onHandshakePacket(long nowNanos, InetSocketAddress local, InetSocketAddress from, Packets.Handshake packet) {
        int type = packet.type();
        if (type == Packets.TYPE_INIT_IK || type == Packets.TYPE_INIT_XX) {
            // the initiator did not get our response: send it again (never a new handshake)
            if (state == ConnectionState.AWAITING_FINISH || state == ConnectionState.AWAITING_CONFIRMATION) {
                handshakePacketDue = true;
            }
            return;
        }
        if (type == Packets.TYPE_RESPONSE && state == ConnectionState.INITIATING) {
            onResponse(nowNanos, local, from, packet);
        } else if (type == Packets.TYPE_FINISH && state == ConnectionState.AWAITING_FINISH) {
            onFinish(nowNanos, from, packet);
        } else if (type == Packets.TYPE_FINISH && state == ConnectionState.ESTABLISHED && !initiator) {
            // our first packet after FINISH was lost: an ACK-eliciting packet confirms again
            pingDue = true;
        } else {
            drop(from, "unexpected handshake packet");
        }
    }

    private void onResponse(long nowNanos, InetSocketAddress local, InetSocketAddress from, Packets.Handshake packet) {
        byte[] payloadBytes;
        try {
            payloadBytes = handshake.readMessage(bytes(packet.noiseMessage()));
        } catch (HandshakeException e) {
            // a forgery must not end a handshake that the real peer may still answer: restore the
            // state from before the read and wait for the genuine response
            drop(from, "handshake response failed authentication");
            try {
                rebuildInitiatorHandshake();
            } catch (HandshakeException impossible) {
                fail(new AuthenticationException("handshake state lost: " + impossible.getMessage()), nowNanos);
            }
            return;
        }
        HandshakePayload payload;
        try {
            payload = HandshakePayload.decode(payloadBytes);
        } catch (WireFormatException e) {
            fail(new AuthenticationException("malformed handshake payload from " + from + ": " + e.getMessage()),
                    nowNanos);
            return;
        }
        byte[] noiseStatic = handshake.remoteStaticKey();
        String problem = checkCertificate(payload, noiseStatic);
        if (problem != null) {
            fail(new AuthenticationException(problem), nowNanos);
            return;
        }
        acceptPeer(payload, noiseStatic);
        if (expectedPeer != null && !expectedPeer.equals(peer)) {
            fail(new AuthenticationException("expected peer " + expectedPeer + " but " + from + " proved identity "
                    + peer), nowNanos);
            return;
        }
        if (peer.equals(ctx.localId)) {
            fail(new AuthenticationException("the handshake reached this endpoint itself (reflected packets)"),
                    nowNanos);
            return;
        }
        remoteCid = packet.senderId();
        remoteAddress = from;
        localAddress = local;
        paths.reset(local, from);
        if (handshake.pattern() == NoisePattern.XX) {
            byte[] message;
            try {
                message = handshake.writeMessage(localParams().encode());
            } catch (HandshakeException e) {
                fail(new AuthenticationException("handshake failed: " + e.getMessage()), nowNanos);
                return;
            }
            setHandshakePacket(new Packets.Handshake(Packets.TYPE_FINISH, Packets.VERSION_1, remoteCid, localCid,
                    ByteBuffer.wrap(message)), nowNanos);
        } else {
            handshakePacket = null;
            handshakePacketDue = false;
            handshakeRetransmitAtNanos = Long.MAX_VALUE;
        }
        installKeys(nowNanos);
        // the first protected packet confirms the handshake to the responder
        pingDue = true;
        establish(nowNanos);
    }

    private void onFinish(long nowNanos, InetSocketAddress from, Packets.Handshake packet) {
        byte[] payloadBytes;
        HandshakePayload payload;
        try {
            payloadBytes = handshake.readMessage(bytes(packet.noiseMessage()));
        } catch (HandshakeException e) {
            // as for a forged response: keep waiting for the genuine third message
            drop(from, "handshake finish failed authentication");
            try {
                rebuildResponderHandshake();
            } catch (HandshakeException impossible) {
                fail(new AuthenticationException("handshake state lost: " + impossible.getMessage()), nowNanos);
            }
            return;
        }
        try {
            payload = HandshakePayload.decode(payloadBytes);
        } catch (WireFormatException e) {
            // authenticated but malformed: the initiator itself is broken
            installKeys(nowNanos);
            abortInternal(ErrorCodes.PROTOCOL_VIOLATION, "malformed handshake payload: " + e.getMessage(), nowNanos,
                    null);
            return;
        }
        byte[] noiseStatic = handshake.remoteStaticKey();
        String problem = checkCertificate(payload, noiseStatic);
        PeerId claimed = problem == null ? PeerId.of(StaticKeyCertificate.decode(payload.certificate()).identityKey())
                : null;
        if (problem == null && claimed.equals(ctx.localId)) {
            problem = "the handshake came from this endpoint itself (reflected packets)";
        }
        if (problem == null && !ctx.config.acceptPolicy().admits(claimed)) {
            problem = "peer " + claimed + " is not admitted by this endpoint's policy";
        }
        acceptPeer(payload, noiseStatic);
        installKeys(nowNanos);
        handshakePacket = null;
        handshakePacketDue = false;
        if (problem != null) {
            ctx.listener.handshakeFailed(from, problem);
            abortInternal(ErrorCodes.AUTHENTICATION_FAILED, "connection refused", nowNanos, null);
            return;
        }
        pingDue = true;
        establish(nowNanos);
    }

    /**
     * The responder is under load and wants proof that we receive at our address: send the first
     * message again at once, with the token. (Unauthenticated, and harmless if forged.)
     */
    void onCookie(long nowNanos, Packets.Cookie cookie) {
        if (state != ConnectionState.INITIATING || handshakeTemplate == null || !handshakeTemplate.isInit()) {
            return;
        }
        long retransmitAt = handshakeRetransmitAtNanos;
        long interval = handshakeRetransmitIntervalNanos;
        setHandshakePacket(handshakeTemplate.withToken(cookie.token()), nowNanos);
        handshakeRetransmitAtNanos = retransmitAt;
        handshakeRetransmitIntervalNanos = interval;
        handshakeHint = "the peer is under load and asked for address validation";
    }

    /** The peer refused our first message (unauthenticated: only a hint). */
    void onReject(long nowNanos, Packets.Reject reject) {
        if (state != ConnectionState.INITIATING) {
            return;
        }
        switch (reject.reason()) {
            case Packets.REJECT_UNKNOWN_KEY -> {
                if (handshake != null && handshake.pattern() == NoisePattern.IK) {
                    // the pinned key is stale: fall back to XX, still insisting on the same identity
                    endpoint.forgetPinned(this, pinnedStaticKey);
                    pinnedStaticKey = null;
                    handshakeHint = "the peer's pinned handshake key was refused; retried with XX";
                    startInitiation(nowNanos);
                }
            }
            case Packets.REJECT_VERSION -> fail(new VersionMismatchException("the peer at " + remoteAddress
                    + " does not speak srudp version " + Packets.VERSION_1 + "; it supports "
                    + versions(reject.supportedVersions())), nowNanos);
            case Packets.REJECT_BUSY -> handshakeHint = "the peer reported it is at its connection limit";
            default -> handshakeHint = "the peer refused the handshake (reason " + reject.reason() + ")";
        }
    }

    private static String versions(byte[] list) {
        StringBuilder sb = new StringBuilder();
        for (byte b : list) {
            sb.append(sb.length() == 0 ? "" : ", ").append(b & 0xff);
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private void establish(long nowNanos) {
        state = ConnectionState.ESTABLISHED;
        // what only the handshake needed: an idle connection should not keep it
        handshakeTemplate = null;
        firstMessage = null;
        ctx.listener.handshakeCompleted(peer, remoteAddress, initiator);
        if (initiator) {
            CompletableFuture<Connection> f = connectFuture;
            connectFuture = null;
            if (f != null) {
                ctx.callbacks.execute(() -> f.complete(handle));
            }
        } else {
            endpoint.deliverAccepted(this);
        }
    }

    /** Lets a simultaneous open finish here: this responder connection satisfies our own connect. */
    void adoptConnectFuture(CompletableFuture<Connection> future) {
        this.connectFuture = future;
    }

    CompletableFuture<Connection> takeConnectFuture() {
        CompletableFuture<Connection> f = connectFuture;
        connectFuture = null;
        return f;
    }

    // ================================================================ receiving data

    /** A DATA packet whose destination connection ID is ours. */
    void onDataPacket(long nowNanos, InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram) {
        lastEventNanos = nowNanos;
        if (keys == null || state == ConnectionState.CLOSED) {
            drop(from, "no keys yet");
            return;
        }
        int length = datagram.remaining();
        if (length < Packets.DATA_HEADER_LENGTH + Packets.TAG_LENGTH) {
            drop(from, "truncated");
            return;
        }
        int start = datagram.position();
        int phase = datagram.get(start) & 1;
        long pn = datagram.getLong(start + 1 + Packets.CID_LENGTH);
        if (pn < 0 || !replay.isFresh(pn)) {
            drop(from, "replayed");
            return;
        }
        byte[] buf;
        int offset;
        if (datagram.hasArray()) {
            buf = datagram.array();
            offset = datagram.arrayOffset() + start;
        } else {
            buf = new byte[length];
            datagram.duplicate().get(buf);
            offset = 0;
        }
        long updatesBefore = keys.updates();
        int plaintextLength = keys.open(pn, phase, buf, offset, Packets.DATA_HEADER_LENGTH, length, nextPacketNumber);
        if (keys.updates() != updatesBefore) {
            // the peer's key update made us update too: the new key starts its own count
            packetsInSendPhase = 0;
            sendPhaseStartNanos = nowNanos;
        }
        if (plaintextLength < 0) {
            drop(from, "authentication failed");
            return;
        }
        replay.markSeen(pn);
        packetsReceived++;
        bytesReceived += length;
        lastReceivedNanos = nowNanos;
        if (arrival == null || arrival.local() != local || arrival.remote() != from) {
            arrival = new PathValidator.Path(local, from);
        }
        if (state == ConnectionState.ESTABLISHED
                && paths.onPacket(arrival, pn == replay.highestSeen(), length, nowNanos, ctx.random)) {
            ctx.listener.pathValidationStarted(peer, remoteAddress, from);
        }
        if (state == ConnectionState.AWAITING_CONFIRMATION) {
            handshakePacket = null;
            handshakePacketDue = false;
            establish(nowNanos);
        }
        if (initiator && !peerConfirmed) {
            peerConfirmed = true;
            handshakePacket = null;
            handshakePacketDue = false;
            handshakeRetransmitAtNanos = Long.MAX_VALUE;
        }
        ByteBuffer frames = scratch.frames(buf, offset + Packets.DATA_HEADER_LENGTH,
                offset + Packets.DATA_HEADER_LENGTH + plaintextLength);
        if (!frames.hasRemaining()) {
            // RFC 9000, section 12.4: "An endpoint MUST treat receipt of a packet containing no
            // frames as a connection error of type PROTOCOL_VIOLATION."
            abortInternal(ErrorCodes.PROTOCOL_VIOLATION, "packet without frames", nowNanos, null);
            return;
        }
        boolean ackEliciting = false;
        try {
            while (frames.hasRemaining() && !state.isClosingOrClosed()) {
                if (FrameCodec.isStream(frames)) {
                    // the bulk of the traffic: decoded into one reused view, the data left in place
                    FrameCodec.decodeStream(frames, streamView);
                    ackEliciting = true;
                    if (state != ConnectionState.DRAINING) {
                        streams.onStreamFrame(streamView, frames);
                    }
                    continue;
                }
                if (FrameCodec.isAck(frames)) {
                    FrameCodec.decodeAck(frames, ackView);
                    if (state != ConnectionState.DRAINING) {
                        onAckFrame(nowNanos);
                    }
                    continue;
                }
                Frame frame = FrameCodec.decode(frames);
                ackEliciting |= frame.isAckEliciting();
                onFrame(frame, nowNanos);
            }
        } catch (WireFormatException e) {
            abortInternal(ErrorCodes.PROTOCOL_VIOLATION, "malformed frame: " + e.getMessage(), nowNanos, null);
            return;
        }
        if (state != ConnectionState.DRAINING && state != ConnectionState.CLOSED) {
            acks.onPacketReceived(pn, ackEliciting, nowNanos);
        }
        if (state == ConnectionState.CLOSING) {
            // RFC 9000, section 10.2.1: an endpoint in the closing state "sends a packet containing
            // a CONNECTION_CLOSE frame in response to any incoming packet"
            closeFrameDue = true;
        }
    }

    /** The ACK frame just decoded into {@link #ackView}. */
    private void onAckFrame(long nowNanos) {
        keys.onAcknowledged(ackView.largestAcknowledged());
        if (!recovery.onAck(ackView.ackDelayMicros, ackView.ranges, ackView.rangeCount, nowNanos,
                nextPacketNumber - 1, this)) {
            abortInternal(ErrorCodes.PROTOCOL_VIOLATION, "ACK of a packet never sent", nowNanos, null);
        }
    }

    private void onFrame(Frame frame, long nowNanos) {
        if (state == ConnectionState.DRAINING || state == ConnectionState.CLOSED) {
            return;
        }
        // ACK and STREAM frames are decoded into views before they get here
        if (frame instanceof Frame.Stream s) {
            streams.onStreamFrame(s);
        } else if (frame instanceof Frame.ResetStream r) {
            streams.onResetStream(r);
        } else if (frame instanceof Frame.StopSending s) {
            streams.onStopSending(s);
        } else if (frame instanceof Frame.MaxData m) {
            streams.onMaxData(m.maximum());
        } else if (frame instanceof Frame.MaxStreamData m) {
            streams.onMaxStreamData(m.streamId(), m.maximum());
        } else if (frame instanceof Frame.MaxStreams m) {
            streams.onMaxStreams(m.maximum());
        } else if (frame instanceof Frame.PathChallenge c) {
            paths.onChallenge(c.data(), arrival);
        } else if (frame instanceof Frame.PathResponse r) {
            PathValidator.Path old = paths.onResponse(r.data());
            if (old != null) {
                localAddress = paths.current().local();
                remoteAddress = paths.current().remote();
                ctx.listener.pathChanged(peer, old.remote(), remoteAddress);
                pmtu.onPathChanged(nowNanos);
            }
        } else if (frame instanceof Frame.ConnectionClose c) {
            onConnectionClose(c, nowNanos);
        } else if (frame instanceof Frame.Datagram d) {
            if (d.data().remaining() > maxDatagramPayload()) {
                abortInternal(ErrorCodes.PROTOCOL_VIOLATION, "DATAGRAM larger than advertised", nowNanos, null);
                return;
            }
            endpoint.deliverDatagram(handle, bytes(d.data()));
        }
        // PING and PADDING only elicit an ACK; DATA_BLOCKED and STREAM_DATA_BLOCKED need no answer
        // because credit is extended as the reader reads; a PATH_RESPONSE without a challenge is
        // harmless
    }

    private void onConnectionClose(Frame.ConnectionClose c, long nowNanos) {
        String reason = c.reason().isEmpty() ? ErrorCodes.name(c.errorCode()) : c.reason();
        ConnectionClosedException cause;
        if (c.errorCode() == ErrorCodes.AUTHENTICATION_FAILED) {
            cause = new AuthenticationException("the peer refused the connection: " + reason);
        } else {
            cause = new ConnectionClosedException("the peer closed the connection: " + reason
                    + " (" + ErrorCodes.name(c.errorCode()) + ")", c.errorCode(), true);
        }
        enterTerminalPhase(ConnectionState.DRAINING, cause, nowNanos, true);
    }

    // ================================================================ LossRecovery.Listener

    @Override
    public void onAcked(SentPacket.Item item) {
        if (streams.onAcked(item)) {
            return;
        }
        switch (item.kind()) {
            case ACK -> acks.onAckAcknowledged(item.offset());
            case MTU_PROBE -> pmtu.onProbeAcknowledged(item.length());
            default -> {
            }
        }
    }

    @Override
    public void onLost(SentPacket.Item item) {
        if (!streams.onLost(item) && item.kind() == SentPacket.Kind.MTU_PROBE) {
            pmtu.onProbeLost(item.length());
        }
    }

    // ================================================================ commands from the application

    /** The state of a stream the application opens (see {@link StreamManager#createLocal}). */
    StreamState createLocalStream(long index) {
        return streams.createLocal(index);
    }

    /** Makes a stream the application opened live (on the loop). */
    void registerLocalStream(StreamState s) {
        if (state.isClosingOrClosed()) {
            s.send.fail(closeCause);
            s.receive.fail(closeCause);
            return;
        }
        streams.registerLocal(s);
    }

    void resetStream(StreamState s, long code) {
        streams.reset(s, code);
    }

    void stopReading(StreamState s) {
        streams.stopReading(s);
    }

    void queueDatagram(byte[] data) {
        if (outgoingDatagrams.size() >= MAX_QUEUED_DATAGRAMS) {
            outgoingDatagrams.poll();
        }
        outgoingDatagrams.add(data);
    }

    int maxDatagramSize() {
        long peerMax = peerMaxDatagramFrame < 0 ? maxDatagramPayload() : peerMaxDatagramFrame;
        return (int) Math.min(peerMax, maxDatagramPayload());
    }

    /** Graceful close: finish every stream, wait for acknowledgements, then CONNECTION_CLOSE. */
    void closeGracefully(CompletableFuture<Void> done, long nowNanos) {
        if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING || state == ConnectionState.DRAINING) {
            ctx.callbacks.execute(() -> done.complete(null));
            return;
        }
        closeFutures.add(done);
        if (!closeRequested) {
            closeRequested = true;
            closeDeadlineNanos = nowNanos + ctx.config.closeTimeout().toNanos();
            streams.finishAll();
        }
        maybeFinishClose(nowNanos);
    }

    private void maybeFinishClose(long nowNanos) {
        if (!closeRequested || state.isClosingOrClosed()) {
            return;
        }
        if (state.isHandshaking()) {
            abortInternal(ErrorCodes.NO_ERROR, "closed before the handshake completed", nowNanos, null);
            return;
        }
        if (!streams.hasUnacknowledged()) {
            abortInternal(ErrorCodes.NO_ERROR, "closed", nowNanos, null);
        }
    }

    /** Abortive close by the application. */
    void abort(long code, String reason, long nowNanos) {
        abortInternal(code, reason, nowNanos, null);
    }

    /**
     * Sends CONNECTION_CLOSE and enters CLOSING. Every waiting application call fails with
     * {@code localCause} (or a closed-locally exception built from the code and reason).
     */
    private void abortInternal(long code, String reason, long nowNanos, ConnectionClosedException localCause) {
        if (state.isClosingOrClosed()) {
            return;
        }
        ConnectionClosedException cause = localCause;
        if (cause == null) {
            cause = code == ErrorCodes.NO_ERROR
                    ? new ConnectionClosedException("the connection was closed locally", code, false)
                    : new ConnectionClosedException("the connection was closed locally: " + reason + " ("
                            + ErrorCodes.name(code) + ")", code, false);
        }
        if (keys == null) {
            // no keys: nothing can be said to the peer
            enterTerminalPhase(ConnectionState.CLOSED, cause, nowNanos, false);
            return;
        }
        closeFrame = new Frame.ConnectionClose(code, reason);
        closeFrameDue = true;
        enterTerminalPhase(ConnectionState.CLOSING, cause, nowNanos, false);
    }

    private void enterTerminalPhase(ConnectionState next, ConnectionClosedException cause, long nowNanos,
            boolean byPeer) {
        boolean wasEstablished = peer != null && !state.isHandshaking();
        state = next;
        closeCause = cause;
        if (connectFuture != null) {
            CompletableFuture<Connection> f = connectFuture;
            connectFuture = null;
            ctx.callbacks.execute(() -> f.completeExceptionally(cause));
        }
        streams.failAll(cause);
        if (recovery != null) {
            recovery.discardAll();
        }
        handle.markClosed(cause);
        List<CompletableFuture<Void>> waiting = new ArrayList<>(closeFutures);
        closeFutures.clear();
        // a graceful close also succeeds when the peer ends the connection in an orderly way first:
        // both sides wanted it closed
        boolean orderly = cause.errorCode() == ErrorCodes.NO_ERROR;
        ctx.callbacks.execute(() -> {
            for (CompletableFuture<Void> f : waiting) {
                if (orderly) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(cause);
                }
            }
        });
        if (wasEstablished) {
            ctx.listener.connectionClosed(peer, cause.errorCode(), cause.getMessage(), byPeer);
        }
        if (next == ConnectionState.CLOSED) {
            endpoint.discard(this, nowNanos);
        } else {
            // RFC 9000, section 10.2: "The closing and draining connection states exist to ensure
            // that connections close cleanly ... these states SHOULD persist for at least three
            // times the current PTO interval"
            closingEndsNanos = nowNanos + 3 * rtt.probeTimeoutNanos(AckTracker.MAX_ACK_DELAY_NANOS);
        }
    }

    /** Ends the connection at once without telling the peer (the loop is gone). */
    void failFromOutside(ConnectionClosedException cause, long nowNanos) {
        if (state != ConnectionState.CLOSED) {
            enterTerminalPhase(ConnectionState.CLOSED, cause, nowNanos, false);
        }
    }

    private void fail(ConnectionClosedException cause, long nowNanos) {
        ctx.listener.handshakeFailed(remoteAddress, cause.getMessage());
        enterTerminalPhase(ConnectionState.CLOSED, cause, nowNanos, false);
    }

    // ================================================================ timers

    long nextTimeoutNanos() {
        if (state == ConnectionState.CLOSED) {
            return Long.MAX_VALUE;
        }
        if (state == ConnectionState.CLOSING || state == ConnectionState.DRAINING) {
            return closingEndsNanos;
        }
        long t = Math.min(Math.min(handshakeRetransmitAtNanos, closeDeadlineNanos), paths.nextTimeoutNanos());
        t = Math.min(t, pacingWakeNanos);
        if (state.isHandshaking()) {
            t = Math.min(t, handshakeDeadlineNanos);
        }
        if (recovery != null) {
            t = Math.min(t, recovery.nextTimeoutNanos());
            t = Math.min(t, acks.ackDeadlineNanos());
            t = Math.min(t, lastReceivedNanos + idleTimeoutNanos);
            if (state == ConnectionState.ESTABLISHED) {
                t = Math.min(t, Math.max(lastAckElicitingSentNanos, lastReceivedNanos) + keepAliveNanos);
            }
        }
        return t;
    }

    void onTimeout(long nowNanos) {
        if (state == ConnectionState.CLOSING || state == ConnectionState.DRAINING) {
            if (nowNanos >= closingEndsNanos) {
                state = ConnectionState.CLOSED;
                endpoint.discard(this, nowNanos);
            }
            return;
        }
        if (state == ConnectionState.CLOSED) {
            return;
        }
        if (state.isHandshaking() && nowNanos >= handshakeDeadlineNanos) {
            String hint = handshakeHint == null ? "" : " (" + handshakeHint + ")";
            fail(new ConnectionTimeoutException("no handshake with " + remoteAddress + " within "
                    + handshakeTimeoutNanos / 1_000_000 + " ms" + hint), nowNanos);
            return;
        }
        if (recovery != null && nowNanos - lastReceivedNanos >= idleTimeoutNanos) {
            // RFC 9000, section 10.1: the connection "is silently closed and its state is discarded
            // when it remains idle for longer than the minimum of the max_idle_timeout value
            // advertised by both endpoints"
            enterTerminalPhase(ConnectionState.CLOSED, new ConnectionTimeoutException("nothing heard from "
                    + peer + " for " + idleTimeoutNanos / 1_000_000 + " ms"), nowNanos, false);
            return;
        }
        if (nowNanos >= closeDeadlineNanos && !state.isClosingOrClosed()) {
            abortInternal(ErrorCodes.NO_ERROR, "close timed out with data unacknowledged", nowNanos,
                    new ConnectionTimeoutException("graceful close timed out: written data was not acknowledged within "
                            + ctx.config.closeTimeout().toMillis() + " ms"));
            return;
        }
        if (nowNanos >= handshakeRetransmitAtNanos && handshakePacket != null) {
            handshakePacketDue = true;
            handshakeRetransmitIntervalNanos = Math.min(2 * handshakeRetransmitIntervalNanos,
                    MAX_HANDSHAKE_RETRANSMIT_NANOS);
            handshakeRetransmitAtNanos = nowNanos + handshakeRetransmitIntervalNanos;
        }
        paths.onTimeout(nowNanos);
        if (recovery != null) {
            int probes = recovery.onTimeout(nowNanos, this);
            if (probes > 0) {
                probesDue = probes;
                recovery.requeueOldestForProbe(this);
            }
            if (state == ConnectionState.ESTABLISHED
                    && nowNanos >= Math.max(lastAckElicitingSentNanos, lastReceivedNanos) + keepAliveNanos) {
                pingDue = true;
            }
        }
    }

    // ================================================================ sending

    /** Whether {@link #poll} has work now: a datagram to produce, or readers of received data to wake. */
    boolean wantsToSend(long nowNanos) {
        if (streams.hasReadersToWake()) {
            return true; // not to send: poll wakes them, once per batch of datagrams
        }
        if (state == ConnectionState.CLOSED || state == ConnectionState.DRAINING) {
            return false;
        }
        if (handshakePacketDue) {
            return true;
        }
        if (keys == null || state == ConnectionState.AWAITING_CONFIRMATION) {
            return false;
        }
        if (state == ConnectionState.CLOSING) {
            return closeFrameDue;
        }
        if (acks.isAckDue(nowNanos) || pingDue || probesDue > 0 || streams.hasControlToSend()
                || paths.hasResponses() || paths.challengeDue() != null) {
            return true;
        }
        if (state == ConnectionState.ESTABLISHED && pmtu.probeDue(nowNanos) > 0
                && congestion.canSend(pmtu.probeDue(nowNanos))) {
            return true;
        }
        pacingWakeNanos = Long.MAX_VALUE;
        if (!congestion.canSend(pmtu.current()) || !(!outgoingDatagrams.isEmpty() || streams.hasSendableData())) {
            return false;
        }
        long paceAt = pacer.nextSendTimeNanos(nowNanos, pmtu.current(), congestion.pacingRateBytesPerSecond());
        if (paceAt > nowNanos) {
            pacingWakeNanos = paceAt;
            return false;
        }
        return true;
    }

    /** Whether congestion control and pacing let a full packet of new data go now. */
    private boolean maySendNewData(long nowNanos) {
        return congestion.canSend(pmtu.current()) && pacer.nextSendTimeNanos(nowNanos, pmtu.current(),
                congestion.pacingRateBytesPerSecond()) <= nowNanos;
    }

    /** Writes the next datagram of this connection into {@code out}; null if there is none. */
    Engine.Transmit poll(long nowNanos, ByteBuffer out) {
        if (streams.hasReadersToWake()) {
            streams.wakeReaders();
            if (!wantsToSend(nowNanos)) {
                // asked only to wake readers: an ACK that is not yet due must not go out alone
                return null;
            }
        }
        if (handshakePacketDue && handshakePacket != null) {
            handshakePacketDue = false;
            out.put(handshakePacket);
            bytesSent += handshakePacket.length;
            return new Engine.Transmit(localAddress, remoteAddress);
        }
        handshakePacketDue = false;
        if (keys == null || state == ConnectionState.AWAITING_CONFIRMATION || state == ConnectionState.DRAINING
                || state == ConnectionState.CLOSED) {
            return null;
        }
        if (state == ConnectionState.ESTABLISHED) {
            Engine.Transmit t = writePathPacket(nowNanos, out);
            if (t != null) {
                return t;
            }
        }
        return writeDataPacket(nowNanos, out);
    }

    private Engine.Transmit writeDataPacket(long nowNanos, ByteBuffer out) {
        maybeUpdateKeys(nowNanos);
        int packetStart = out.position();
        int outLimit = out.limit();
        int limit = Math.min(outLimit, packetStart + pmtu.current());
        long pn = nextPacketNumber;
        out.put((byte) (Packets.TYPE_DATA | keys.sendPhase())).putLong(remoteCid).putLong(pn);
        int payloadStart = out.position();
        // frames go straight into the datagram, leaving room for the tag
        ByteBuffer frames = out;
        frames.limit(limit - Packets.TAG_LENGTH);
        try {
            if (state == ConnectionState.CLOSING) {
                if (!closeFrameDue) {
                    out.position(packetStart);
                    return null;
                }
                closeFrameDue = false;
                if (acks.hasAckToSend()) {
                    // let the peer know what arrived before the end, so its own close can succeed
                    Frame.Ack ack = acks.buildAck(nowNanos);
                    if (ack.encodedLength() + closeFrame.encodedLength() <= frames.remaining()) {
                        ack.encode(frames);
                    }
                }
                closeFrame.encode(frames);
                int payloadEnd = frames.position();
                out.limit(outLimit);
                return seal(out, packetStart, payloadStart, payloadEnd, pn, null, nowNanos);
            }

            SentPacket sent = recovery.newPacket(pn, nowNanos, false);
            boolean ackEliciting = false;
            if (acks.hasAckToSend()) {
                long largest = acks.writeAck(frames, nowNanos);
                sent.addItem(SentPacket.Kind.ACK, 0, largest, 0, false);
            }
            ackEliciting |= streams.writeControl(frames, sent);
            if (pingDue || probesDue > 0) {
                pingDue = false;
                frames.put((byte) Frame.TYPE_PING);
                ackEliciting = true;
            }
            boolean probing = probesDue > 0;
            if (probesDue > 0) {
                probesDue--;
            }
            if (probing || maySendNewData(nowNanos)) {
                ackEliciting |= writeDatagrams(frames, payloadStart);
                ackEliciting |= streams.writeStreamFrames(frames, sent);
            }
            int payloadEnd = frames.position();
            out.limit(outLimit);
            if (payloadEnd == payloadStart) {
                out.position(packetStart);
                recovery.recycle(sent);
                return null;
            }
            sent.ackEliciting = ackEliciting;
            return seal(out, packetStart, payloadStart, payloadEnd, pn, sent, nowNanos);
        } finally {
            out.limit(outLimit);
        }
    }

    /** Starts a new sending key when the packet or time limit of the current one is reached. */
    private void maybeUpdateKeys(long nowNanos) {
        boolean due = packetsInSendPhase >= ctx.config.keyUpdateAfterPackets()
                || nowNanos - sendPhaseStartNanos >= ctx.config.keyUpdateAfter().toNanos();
        if (due && keys.mayUpdate()) {
            keys.updateSendKey(nextPacketNumber);
            packetsInSendPhase = 0;
            sendPhaseStartNanos = nowNanos;
        }
    }

    /**
     * A packet of its own for path validation: a PATH_RESPONSE goes back on the path its
     * challenge came from; a PATH_CHALLENGE goes on the candidate path, padded to 1200 bytes where
     * the amplification limit allows, so the path is also shown to carry full-sized datagrams.
     */
    private Engine.Transmit writePathPacket(long nowNanos, ByteBuffer out) {
        PathValidator.Response response = paths.pollResponse();
        if (response != null) {
            int length = writeSingleFramePacket(out, new Frame.PathResponse(response.data()), 0, nowNanos, null);
            paths.onSent(response.path(), length);
            return new Engine.Transmit(response.path().local(), response.path().remote());
        }
        PathValidator.Path candidate = paths.challengeDue();
        if (candidate != null) {
            int minimum = Packets.DATA_HEADER_LENGTH + 9 + Packets.TAG_LENGTH;
            long allowance = paths.candidateAllowance();
            if (allowance < minimum) {
                return null;
            }
            int length = writeSingleFramePacket(out, new Frame.PathChallenge(paths.challengeData()),
                    (int) Math.min(1200, allowance), nowNanos, null);
            paths.onChallengeSent(length, nowNanos, Math.max(3 * rtt.probeTimeoutNanos(AckTracker.MAX_ACK_DELAY_NANOS),
                    100_000_000L));
            return new Engine.Transmit(candidate.local(), candidate.remote());
        }
        int probe = pmtu.probeDue(nowNanos);
        if (probe > 0 && congestion.canSend(probe)) {
            SentPacket record = new SentPacket(nextPacketNumber, nowNanos, 0, true);
            record.mtuProbe = true;
            record.addItem(SentPacket.Kind.MTU_PROBE, 0, 0, probe, false);
            writeSingleFramePacket(out, new Frame.Ping(), probe, nowNanos, record);
            pmtu.onProbeSent(probe);
            return new Engine.Transmit(localAddress, remoteAddress);
        }
        return null;
    }

    /** Writes and seals a packet with one frame, padded to {@code padTo} bytes; returns its length. */
    private int writeSingleFramePacket(ByteBuffer out, Frame frame, int padTo, long nowNanos, SentPacket template) {
        int packetStart = out.position();
        long pn = nextPacketNumber;
        out.put((byte) (Packets.TYPE_DATA | keys.sendPhase())).putLong(remoteCid).putLong(pn);
        int payloadStart = out.position();
        frame.encode(out);
        int padding = padTo - Packets.TAG_LENGTH - (out.position() - packetStart);
        if (padding > 0) {
            new Frame.Padding(padding).encode(out);
        }
        seal(out, packetStart, payloadStart, out.position(), pn,
                template != null ? template : new SentPacket(pn, nowNanos, 0, true), nowNanos);
        return out.position() - packetStart;
    }

    private boolean writeDatagrams(ByteBuffer frames, int payloadStart) {
        boolean wrote = false;
        while (!outgoingDatagrams.isEmpty()) {
            byte[] d = outgoingDatagrams.peek();
            Frame.Datagram frame = new Frame.Datagram(ByteBuffer.wrap(d), true);
            if (frame.encodedLength() > frames.remaining()) {
                if (frames.position() == payloadStart) {
                    outgoingDatagrams.poll(); // can never fit: drop rather than block the queue
                    continue;
                }
                break;
            }
            outgoingDatagrams.poll();
            frame.encode(frames);
            wrote = true;
        }
        return wrote;
    }

    private Engine.Transmit seal(ByteBuffer out, int packetStart, int payloadStart, int payloadEnd, long pn,
            SentPacket template, long nowNanos) {
        byte[] array = out.array();
        int base = out.arrayOffset();
        int length = keys.sealer().seal(pn, array, base + packetStart, Packets.DATA_HEADER_LENGTH,
                payloadEnd - payloadStart);
        packetsInSendPhase++;
        out.position(packetStart + length);
        nextPacketNumber++;
        packetsSent++;
        bytesSent += length;
        if (template != null) {
            SentPacket record = template;
            record.size = length;
            if (template.retransmission) {
                retransmissions++;
            }
            recovery.onPacketSent(record);
            if (record.ackEliciting) {
                lastAckElicitingSentNanos = nowNanos;
                pacer.onPacketSent(nowNanos, length, congestion.pacingRateBytesPerSecond());
            }
        }
        return transmit();
    }

    /** The path this connection sends on, as the engine reports it; one object while the path stays. */
    private Engine.Transmit transmit() {
        Engine.Transmit t = currentTransmit;
        if (t == null || t.local() != localAddress || t.remote() != remoteAddress) {
            t = new Engine.Transmit(localAddress, remoteAddress);
            currentTransmit = t;
        }
        return t;
    }

    // ================================================================ accessors

    private void drop(InetSocketAddress from, String reason) {
        packetsDropped++;
        endpoint.countDropped();
        ctx.listener.datagramDropped(from, reason);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    long localCid() {
        return localCid;
    }

    long remoteCid() {
        return remoteCid;
    }

    boolean isInitiator() {
        return initiator;
    }

    ConnectionState state() {
        return state;
    }

    PeerId peer() {
        return peer;
    }

    byte[] pinnedStaticKey() {
        return pinnedStaticKey;
    }

    byte[] remoteStaticKey() {
        return remoteStaticKey;
    }

    ConnectionHandle handle() {
        return handle;
    }

    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    ConnectionClosedException closeCause() {
        return closeCause;
    }

    /** Called after any event on the loop: a graceful close may now be able to finish. */
    void afterEvent(long nowNanos) {
        if (closeRequested) {
            maybeFinishClose(nowNanos);
        }
    }

    ConnectionStats stats() {
        return new ConnectionStats(Duration.ofNanos(rtt.smoothedRttNanos()), Duration.ofNanos(rtt.minRttNanos()),
                bytesSent, bytesReceived, packetsSent, packetsReceived,
                recovery == null ? 0 : recovery.packetsLost(), retransmissions, packetsDropped,
                congestion.windowBytes(), keys == null ? 0 : keys.updates(), pmtu.current(), localAddress,
                remoteAddress);
    }

    @Override
    public String toString() {
        return "Connection[" + Long.toHexString(localCid) + " " + state + " " + peer + "@" + remoteAddress + "]";
    }
}
