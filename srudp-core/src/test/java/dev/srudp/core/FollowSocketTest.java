package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.async;
import static dev.srudp.core.SocketTestSupport.config;
import static dev.srudp.core.SocketTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.Endpoint;
import dev.srudp.EventListener;
import dev.srudp.PartnerLink;
import dev.srudp.PeerId;
import dev.srudp.SrudpStream;
import dev.srudp.core.discovery.LocalRecords;
import dev.srudp.core.discovery.MemoryDirectoryProvider;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.IdentityStore;
import dev.srudp.core.record.LocalIdentity;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.record.SignedRecords;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Following partners through a peer directory, on loopback UDP sockets. */
class FollowSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(8);

    @TempDir
    Path homes;

    @Test
    @Timeout(20)
    void connectingToADirectoryAddressReachesThePartnerPublishedThere() throws Exception {
        String slot = slot("b");
        try (Peer a = Peer.open(homes.resolve("a")); Peer b = Peer.open(homes.resolve("b"))) {
            b.publish(slot, Instant.now());
            CompletableFuture<Connection> accepted = b.endpoint.acceptAsync();

            Connection c = a.endpoint.connect(MemoryDirectoryProvider.uri(slot));
            Connection s = get(accepted, 5);

            assertEquals(b.endpoint.identity(), c.peer());
            assertEquals(a.endpoint.identity(), s.peer());
            assertTrue(c.isInitiator());
            assertFalse(s.isInitiator());
            assertDelivers(c, s, "to b");
            assertDelivers(s, c, "to a");
        }
    }

    @Test
    @Timeout(20)
    void aFollowerReconnectsWhenThePartnerComesBackOnANewPortWithANewerRecord() throws Exception {
        String slot = slot("b");
        Path homeB = homes.resolve("b");
        try (Peer a = Peer.open(homes.resolve("a"))) {
            Instant first = Instant.now();
            InetSocketAddress oldAddress;
            Connection oldConnection;
            PartnerLink link;
            try (Peer b = Peer.open(homeB)) {
                b.publish(slot, first);
                oldAddress = b.endpoint.localAddresses().get(0);
                CompletableFuture<Connection> accepted = b.endpoint.acceptAsync();
                link = a.endpoint.follow(MemoryDirectoryProvider.uri(slot));
                oldConnection = link.awaitConnection(WAIT);
                assertDelivers(oldConnection, get(accepted, 5), "before the move");
                assertEquals(b.endpoint.identity(), link.peer().orElseThrow());
            }
            // the old port stays taken, so the partner surely comes back on another one
            try (link; DatagramChannel oldPort = DatagramChannel.open().bind(oldAddress)) {
                CompletableFuture<Connection> next = link.nextConnection();
                assertTrue(oldConnection.awaitClosed(WAIT), "the partner's close reaches the follower");

                try (Peer moved = Peer.open(homeB)) {
                    assertEquals(link.peer().orElseThrow(), moved.endpoint.identity(), "the stored identity");
                    CompletableFuture<Connection> accepted = moved.endpoint.acceptAsync();
                    moved.publish(slot, first.plusSeconds(1));

                    Connection c = get(next, 10);
                    assertNotSame(oldConnection, c);
                    assertEquals(moved.endpoint.identity(), c.peer());
                    Connection s = get(accepted, 5);
                    assertNotEquals(oldAddress, moved.endpoint.localAddresses().get(0));
                    assertSame(c, link.awaitConnection(WAIT));
                    assertDelivers(c, s, "after the move");
                    assertDelivers(s, c, "back after the move");
                }
            }
        }
    }

    @Test
    @Timeout(20)
    void aWaitThatEndsDuringTheFirstAttemptSaysWhatThePartnersNatMeans() throws Exception {
        String slot = slot("b");
        NatHints symmetricRandom = new NatHints(NatHints.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                NatHints.Filtering.ADDRESS_AND_PORT_DEPENDENT, NatHints.PortAllocation.RANDOM);
        try (Peer a = Peer.open(homes.resolve("a")); Peer b = Peer.open(homes.resolve("b"));
                DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress(V4, 0))) {
            // the record points at a socket that never answers, as a symmetric NAT's old mapping would
            List<Candidate> candidates = List.of(new Candidate(CandidateKind.HOST,
                    (InetSocketAddress) silent.getLocalAddress()));
            MemoryDirectoryProvider.put(slot, SignedRecords.sign(b.local, LocalRecords.describe(b.local, candidates,
                    symmetricRandom, Instant.now(), Duration.ofHours(1))));

            try (PartnerLink link = a.endpoint.follow(MemoryDirectoryProvider.uri(slot))) {
                ConnectionTimeoutException e = assertThrows(ConnectionTimeoutException.class,
                        () -> link.awaitConnection(Duration.ofMillis(1500)));
                assertTrue(e.getMessage().contains("no candidate pair answered within 1 s; the partner's NAT is"
                        + " symmetric (random ports): a gate or relay is needed"), e.getMessage());
            }
        }
    }

    @Test
    @Timeout(20)
    void aTamperedRecordIsRefusedAndNeverDialled() throws Exception {
        String slot = slot("b");
        HandshakeCounter seenByB = new HandshakeCounter();
        try (Peer a = Peer.open(homes.resolve("a"));
                Peer b = Peer.open(homes.resolve("b"), seenByB)) {
            byte[] envelope = b.signedRecord(Instant.now());
            envelope[envelope.length - 1] ^= 0x01;
            MemoryDirectoryProvider.put(slot, envelope);

            try (PartnerLink link = a.endpoint.follow(MemoryDirectoryProvider.uri(slot))) {
                ConnectionTimeoutException e = assertThrows(ConnectionTimeoutException.class,
                        () -> link.awaitConnection(Duration.ofMillis(700)));
                assertTrue(e.getMessage().contains("record was refused"), e.getMessage());
                assertTrue(link.peer().isEmpty(), "no identity is taken from a refused record");
            }
            assertEquals(0, seenByB.started(), "handshakes that reached the partner");
        }
    }

    @Test
    @Timeout(10)
    void aRecordCopiedIntoAnotherSlotIsRefusedWithBothAddresses() throws Exception {
        String original = slot("b");
        String copy = slot("c");
        try (Peer a = Peer.open(homes.resolve("a"));
                Peer b = Peer.open(homes.resolve("b"))) {
            URI publishedAt = MemoryDirectoryProvider.uri(original);
            byte[] envelope = SignedRecords.sign(b.local, LocalRecords.describe(b.local, b.endpoint.localAddresses(),
                    Instant.now(), Duration.ofHours(1)).toBuilder().publishedAt(publishedAt).build());
            MemoryDirectoryProvider.put(copy, envelope);
            try (PartnerLink link = a.endpoint.follow(MemoryDirectoryProvider.uri(copy))) {
                ConnectionTimeoutException e = assertThrows(ConnectionTimeoutException.class,
                        () -> link.awaitConnection(Duration.ofMillis(700)));
                assertTrue(e.getMessage().contains("published at " + publishedAt), e.getMessage());
            }
            MemoryDirectoryProvider.put(original, envelope);
            try (PartnerLink link = a.endpoint.follow(publishedAt)) {
                assertEquals(b.local.peerId(), link.awaitConnection(Duration.ofSeconds(5)).peer(),
                        "in its own slot the same record is accepted");
            }
        }
    }

    @Test
    @Timeout(10)
    void followingAnAddressWhoseSchemeNoDirectoryServesIsRefusedByName() throws Exception {
        try (Peer a = Peer.open(homes.resolve("a"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.endpoint.follow(URI.create("nosuchdirectory:partner")));
            assertTrue(e.getMessage().contains("nosuchdirectory"), e.getMessage());
        }
    }

    @Test
    @Timeout(20)
    void twoPeersFollowingEachOtherShareExactlyOneSession() throws Exception {
        for (int round = 0; round < 5; round++) {
            followEachOther(round);
        }
    }

    private void followEachOther(int round) throws Exception {
        String slotA = slot("a");
        String slotB = slot("b");
        Changes changes = new Changes();
        HandshakeCounter countA = new HandshakeCounter(changes);
        HandshakeCounter countB = new HandshakeCounter(changes);
        try (Peer a = Peer.open(homes.resolve("a" + round), countA);
                Peer b = Peer.open(homes.resolve("b" + round), countB)) {
            Instant now = Instant.now();
            a.publish(slotA, now);
            b.publish(slotB, now);

            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<PartnerLink> followA = async(() -> {
                start.await();
                return a.endpoint.follow(MemoryDirectoryProvider.uri(slotB));
            });
            CompletableFuture<PartnerLink> followB = async(() -> {
                start.await();
                return b.endpoint.follow(MemoryDirectoryProvider.uri(slotA));
            });
            start.countDown();
            try (PartnerLink linkA = get(followA, 5); PartnerLink linkB = get(followB, 5)) {
                String where = "round " + round;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (true) {
                    int seen = changes.version();
                    Connection ca = linkA.awaitConnection(WAIT);
                    Connection cb = linkB.awaitConnection(WAIT);
                    String state = where + ": a holds " + describe(ca) + " of " + countA.open() + " open, b holds "
                            + describe(cb) + " of " + countB.open() + " open";
                    if (settled(ca, cb, countA, countB) && exchanges(ca, cb, where)
                            && linkA.awaitConnection(WAIT) == ca && linkB.awaitConnection(WAIT) == cb
                            && settled(ca, cb, countA, countB)) {
                        assertEquals(b.endpoint.identity(), ca.peer());
                        assertEquals(a.endpoint.identity(), cb.peer());
                        break;
                    }
                    // both sides settle on one session once every handshake under way has finished
                    // and the follower closed the session it dropped; each step is an event
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "no single shared session: " + state);
                    changes.awaitChange(seen, Duration.ofNanos(left));
                }
            }
        }
    }

    /** One open connection on each side, and the two sides of one session. */
    private static boolean settled(Connection ca, Connection cb, HandshakeCounter countA, HandshakeCounter countB) {
        return ca.isOpen() && cb.isOpen() && ca.isInitiator() != cb.isInitiator() && countA.open() == 1
                && countB.open() == 1;
    }

    /** Whether a stream each way gets through; false if either connection closed meanwhile. */
    private static boolean exchanges(Connection ca, Connection cb, String where) throws Exception {
        try {
            assertDelivers(ca, cb, where + ": a to b");
            assertDelivers(cb, ca, where + ": b to a");
            return true;
        } catch (AssertionError | IOException e) {
            if (ca.isOpen() && cb.isOpen()) {
                throw e;
            }
            return false;
        }
    }

    private static String describe(Connection c) {
        return (c.isInitiator() ? "its own" : "the partner's") + " session (" + (c.isOpen() ? "open" : "closed") + ")";
    }

    private static String slot(String name) {
        return name + "-" + UUID.randomUUID();
    }

    /** Sends {@code text} on a new stream of {@code from}; {@code to} must accept it intact. */
    private static void assertDelivers(Connection from, Connection to, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<byte[]> received = async(() -> {
            SrudpStream s = to.acceptStream();
            try (InputStream in = s.getInputStream()) {
                return in.readAllBytes();
            }
        });
        SrudpStream out = from.openStream();
        out.getOutputStream().write(bytes);
        out.shutdownOutput();
        assertArrayEquals(bytes, get(received, 5), text);
    }

    /** An endpoint with a stored identity, bound to 127.0.0.1 on a port the system picks. */
    private static final class Peer implements AutoCloseable {
        final LocalIdentity local;
        final Endpoint endpoint;

        private Peer(LocalIdentity local, Endpoint endpoint) {
            this.local = local;
            this.endpoint = endpoint;
        }

        static Peer open(Path home) throws IOException {
            return open(home, EventListener.NONE);
        }

        static Peer open(Path home, EventListener listener) throws IOException {
            IdentityStore store = IdentityStore.open(home);
            LocalIdentity local = store.loadOrCreate();
            return new Peer(local, Srudp.open(store, local, config(V4).eventListener(listener).build()));
        }

        byte[] signedRecord(Instant issued) throws IOException {
            return SignedRecords.sign(local, LocalRecords.describe(local, endpoint.localAddresses(), issued,
                    Duration.ofHours(1)));
        }

        void publish(String slot, Instant issued) throws IOException {
            MemoryDirectoryProvider.put(slot, signedRecord(issued));
        }

        @Override
        public void close() {
            endpoint.close();
        }
    }

    /** A version number raised by every endpoint event of one test round. */
    private static final class Changes {
        private int version;

        synchronized void bump() {
            version++;
            notifyAll();
        }

        synchronized int version() {
            return version;
        }

        /** Waits until an event follows version {@code seen}, or the timeout passes. */
        synchronized void awaitChange(int seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Counts handshakes started and connections open, from the endpoint's events. */
    private static final class HandshakeCounter implements EventListener {
        private final Changes changes;
        private int started;
        private int open;

        HandshakeCounter() {
            this(new Changes());
        }

        HandshakeCounter(Changes changes) {
            this.changes = changes;
        }

        @Override
        public void handshakeStarted(InetSocketAddress remote, boolean initiator) {
            synchronized (this) {
                started++;
            }
            changes.bump();
        }

        @Override
        public void handshakeCompleted(PeerId peer, InetSocketAddress remote, boolean initiator) {
            synchronized (this) {
                open++;
            }
            changes.bump();
        }

        @Override
        public void handshakeFailed(InetSocketAddress remote, String reason) {
            changes.bump();
        }

        @Override
        public void connectionClosed(PeerId peer, long errorCode, String reason, boolean byPeer) {
            synchronized (this) {
                open--;
            }
            changes.bump();
        }

        synchronized int started() {
            return started;
        }

        synchronized int open() {
            return open;
        }
    }
}
