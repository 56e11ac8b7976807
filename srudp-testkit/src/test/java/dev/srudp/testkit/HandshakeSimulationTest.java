package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.AcceptPolicy;
import dev.srudp.AuthenticationException;
import dev.srudp.Connection;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class HandshakeSimulationTest {
    private static final LinkConditions LINK = LinkConditions.builder().delay(Duration.ofMillis(20)).build();

    @Test
    void simultaneousOpenYieldsExactlyOneSessionOnBothSides() throws Exception {
        for (long seed = 1; seed <= 10; seed++) {
            Pair p = new Pair(seed, LINK);
            CompletableFuture<Connection> fromClient = p.client.connect(p.server.addressWithKey());
            CompletableFuture<Connection> fromServer = p.server.connect(p.client.addressWithKey());
            CompletableFuture<Connection> acceptedByServer = p.server.accept();
            CompletableFuture<Connection> acceptedByClient = p.client.accept();
            p.net.runUntilOrFail(() -> fromClient.isDone() && fromServer.isDone(), Duration.ofSeconds(10),
                    "simultaneous open, seed " + seed);
            p.net.runFor(Duration.ofSeconds(1));
            Connection a = fromClient.join();
            Connection b = fromServer.join();
            assertNotEquals(a.isInitiator(), b.isInitiator(), "one side initiated the surviving session");
            assertFalse(acceptedByServer.isDone() || acceptedByClient.isDone(), "no second session is accepted");
            assertEquals(1, p.client.core().connectionCount());
            assertEquals(1, p.server.core().connectionCount());
            p.clientConnection = a;
            p.serverConnection = b;
            assertTrue(p.transfer(64 << 10, Duration.ofSeconds(30)).intact(), "seed " + seed);
        }
    }

    @Test
    void xxHandshakeWithOnlyTheIdentityKnownAuthenticatesTheResponder() throws Exception {
        Pair p = new Pair(3, LINK);
        CompletableFuture<Connection> accepted = p.server.accept();
        CompletableFuture<Connection> c = p.client.connect(PeerAddress.of(Pair.SERVER, p.server.peerId()));
        p.net.runUntilOrFail(() -> c.isDone() && accepted.isDone(), Duration.ofSeconds(10), "XX handshake");
        assertEquals(p.server.peerId(), c.join().peer());
        assertEquals(p.client.peerId(), accepted.join().peer());
        p.clientConnection = c.join();
        p.serverConnection = accepted.join();
        assertTrue(p.transfer(128 << 10, Duration.ofSeconds(30)).intact());
    }

    @Test
    void xxHandshakeRefusesAResponderWithAnotherIdentity() {
        Pair p = new Pair(4, LINK);
        SimEndpoint stranger = SimEndpoint.create(p.net, new InetSocketAddress("203.0.113.9", 1), EndpointConfig.defaults(), 77);
        CompletableFuture<Connection> c = p.client.connect(PeerAddress.of(Pair.SERVER, stranger.peerId()));
        p.net.runUntilOrFail(c::isDone, Duration.ofSeconds(10), "refusal");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, c::join);
        assertInstanceOf(AuthenticationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains(stranger.peerId().toString()), e.getCause().getMessage());
    }

    @Test
    void aStalePinnedKeyFallsBackToXxAndStillChecksTheIdentity() throws Exception {
        Pair p = new Pair(5, LINK);
        // the server restarts with the same identity but a new handshake key, at a new address
        InetSocketAddress restarted = new InetSocketAddress("203.0.113.2", 50001);
        SimEndpoint server2 = SimEndpoint.create(p.net, restarted, EndpointConfig.defaults(), p.server.identity(), 555);
        assertNotEquals(p.server.certifiedKey(), server2.certifiedKey());
        CompletableFuture<Connection> accepted = server2.accept();
        CompletableFuture<Connection> c = p.client.connect(PeerAddress.of(restarted, p.server.certifiedKey()));
        p.net.runUntilOrFail(() -> c.isDone() && accepted.isDone(), Duration.ofSeconds(10), "fallback to XX");
        assertEquals(p.server.peerId(), c.join().peer());
    }

    @Test
    void anAllowListRefusesOtherPeersAndTheInitiatorLearnsWhy() {
        LinkConditions link = LINK;
        SimNetwork net = new SimNetwork(6, link);
        SimEndpoint outsider = SimEndpoint.create(net, Pair.CLIENT, EndpointConfig.defaults(), 61);
        SimEndpoint friend = SimEndpoint.create(net, new InetSocketAddress("198.51.100.2", 40000),
                EndpointConfig.defaults(), 62);
        EndpointConfig strict = EndpointConfig.builder()
                .acceptPolicy(AcceptPolicy.allowList(Set.of(friend.peerId()))).build();
        SimEndpoint server = SimEndpoint.create(net, Pair.SERVER, strict, 63);
        CompletableFuture<Connection> accepted = server.accept();
        CompletableFuture<Connection> refused = outsider.connect(server.addressWithKey());
        net.runUntilOrFail(refused::isDone, Duration.ofSeconds(10), "outsider's handshake");
        net.runFor(Duration.ofSeconds(1));
        assertFalse(accepted.isDone(), "the outsider is never accepted");
        if (!refused.isCompletedExceptionally()) {
            Connection c = refused.join();
            assertFalse(c.isOpen(), "the refused connection is closed at once");
            CompletableFuture<?> stream = c.acceptStreamAsync();
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    stream::join);
            assertInstanceOf(AuthenticationException.class, e.getCause());
        }
        CompletableFuture<Connection> ok = friend.connect(server.addressWithKey());
        net.runUntilOrFail(() -> ok.isDone() && accepted.isDone(), Duration.ofSeconds(10), "friend's handshake");
        assertEquals(friend.peerId(), accepted.join().peer());
    }

    @Test
    void aHandshakeWithNobodyThereTimesOutWithAClearReason() {
        SimNetwork net = new SimNetwork(8, LINK);
        EndpointConfig config = EndpointConfig.builder().handshakeTimeout(Duration.ofSeconds(3)).build();
        SimEndpoint client = SimEndpoint.create(net, Pair.CLIENT, config, 81);
        CompletableFuture<Connection> c = client.connect(PeerAddress.anyone(Pair.SERVER));
        net.runUntilOrFail(c::isDone, Duration.ofSeconds(10), "timeout");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, c::join);
        assertInstanceOf(ConnectionTimeoutException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("3000 ms"), e.getCause().getMessage());
        assertEquals(0, client.core().connectionCount());
    }

    private static byte[] flipLastByte(byte[] b) {
        byte[] t = b.clone();
        t[t.length - 1] ^= 1;
        return t;
    }

    @Test
    void aForgedResponseArrivingFirstDoesNotSpoilTheHandshake() throws Exception {
        Pair p = new Pair(21, LINK);
        boolean[] forged = {false};
        p.net.addTap((now, d, injector) -> {
            if ((d.payload()[0] & 0xff) == 0xC3 && !forged[0]) {
                forged[0] = true;
                injector.inject(d.withPayload(flipLastByte(d.payload())), now);
                injector.inject(d, now + 5_000_000L);
                return false;
            }
            return true;
        });
        p.connect();
        assertTrue(forged[0]);
        assertTrue(p.transfer(64 << 10, Duration.ofSeconds(30)).intact());
    }

    @Test
    void aForgedFinishArrivingFirstDoesNotSpoilAnXxHandshake() throws Exception {
        Pair p = new Pair(22, LINK);
        boolean[] forged = {false};
        p.net.addTap((now, d, injector) -> {
            if ((d.payload()[0] & 0xff) == 0xC4 && !forged[0]) {
                forged[0] = true;
                injector.inject(d.withPayload(flipLastByte(d.payload())), now);
                injector.inject(d, now + 5_000_000L);
                return false;
            }
            return true;
        });
        CompletableFuture<Connection> accepted = p.server.accept();
        CompletableFuture<Connection> c = p.client.connect(PeerAddress.of(Pair.SERVER, p.server.peerId()));
        p.net.runUntilOrFail(() -> c.isDone() && accepted.isDone(), Duration.ofSeconds(10), "XX handshake");
        assertTrue(forged[0]);
        p.clientConnection = c.join();
        p.serverConnection = accepted.join();
        assertTrue(p.transfer(64 << 10, Duration.ofSeconds(30)).intact());
    }

    @Test
    void aForgedUnknownKeyRejectOnlyCostsAFallbackToXx() throws Exception {
        Pair p = new Pair(23, LINK);
        boolean[] forged = {false};
        p.net.addTap((now, d, injector) -> {
            byte[] b = d.payload();
            if ((b[0] & 0xff) == 0xC1 && !forged[0]) {
                forged[0] = true;
                // REJECT: type, version, receiver connection ID (the initiator's), reason 1, versions [1]
                byte[] reject = new byte[] {(byte) 0xC5, 1, b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], 1, 1, 1};
                injector.inject(new Datagram(d.to(), d.from(), reject), now);
            }
            return true;
        });
        p.connect();
        assertTrue(forged[0]);
        assertEquals(p.server.peerId(), p.clientConnection.peer());
        assertTrue(p.transfer(64 << 10, Duration.ofSeconds(30)).intact());
    }
}
