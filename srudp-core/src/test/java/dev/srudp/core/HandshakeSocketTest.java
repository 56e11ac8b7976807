package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.V6;
import static dev.srudp.core.SocketTestSupport.addressOf;
import static dev.srudp.core.SocketTestSupport.async;
import static dev.srudp.core.SocketTestSupport.config;
import static dev.srudp.core.SocketTestSupport.echo;
import static dev.srudp.core.SocketTestSupport.get;
import static dev.srudp.core.SocketTestSupport.ik;
import static dev.srudp.core.SocketTestSupport.randomBytes;
import static dev.srudp.core.SocketTestSupport.readDigest;
import static dev.srudp.core.SocketTestSupport.writeAllAndFinish;
import static dev.srudp.core.SocketTestSupport.xx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.AcceptPolicy;
import dev.srudp.AuthenticationException;
import dev.srudp.CertifiedKey;
import dev.srudp.Connection;
import dev.srudp.ConnectionTimeoutException;
import dev.srudp.Endpoint;
import dev.srudp.PeerAddress;
import dev.srudp.SrudpStream;
import dev.srudp.core.crypto.Identity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handshakes (Noise IK and XX) and authentication between endpoints on loopback UDP sockets. */
class HandshakeSocketTest {
    private static final int ECHO_BYTES = 3 << 20;

    @Test
    @Timeout(30)
    void ipv4ConnectionWithCertifiedKeyEchoesMebibytesIntact() throws Exception {
        connectAndEcho(V4, SocketTestSupport::ik);
    }

    @Test
    @Timeout(30)
    void ipv4ConnectionWithPeerIdOnlyEchoesMebibytesIntact() throws Exception {
        connectAndEcho(V4, SocketTestSupport::xx);
    }

    @Test
    @Timeout(30)
    void ipv6ConnectionWithCertifiedKeyEchoesMebibytesIntact() throws Exception {
        SocketTestSupport.assumeIpv6Loopback();
        connectAndEcho(V6, SocketTestSupport::ik);
    }

    @Test
    @Timeout(30)
    void ipv6ConnectionWithPeerIdOnlyEchoesMebibytesIntact() throws Exception {
        SocketTestSupport.assumeIpv6Loopback();
        connectAndEcho(V6, SocketTestSupport::xx);
    }

    private static void connectAndEcho(InetAddress loopback, Function<Endpoint, PeerAddress> target)
            throws Exception {
        try (Endpoint server = SocketTestSupport.open(loopback);
                Endpoint client = SocketTestSupport.open(loopback)) {
            assertEquals(loopback, addressOf(server).getAddress());
            CompletableFuture<Connection> accepted = async(server::accept);
            Connection c = client.connect(target.apply(server));
            Connection s = get(accepted);
            assertEquals(server.identity(), c.peer());
            assertEquals(client.identity(), s.peer());
            assertTrue(c.isInitiator());
            assertFalse(s.isInitiator());

            CompletableFuture<Void> echoed = async(() -> {
                echo(s.acceptStream());
                return null;
            });
            byte[] data = randomBytes(ECHO_BYTES, 42);
            SrudpStream stream = c.openStream();
            CompletableFuture<Void> written = async(() -> {
                writeAllAndFinish(stream, data);
                return null;
            });
            readDigest(stream.getInputStream()).assertMatches(data);
            get(written);
            get(echoed);
            c.close();
            assertTrue(s.awaitClosed(Duration.ofSeconds(10)));
        }
    }

    @Test
    @Timeout(30)
    void connectingWithAnotherPeersIdFailsWithAuthenticationException() throws Exception {
        try (Endpoint server = SocketTestSupport.open(V4); Endpoint client = SocketTestSupport.open(V4)) {
            Identity someoneElse = Identity.generate(new SecureRandom());
            PeerAddress wrong = PeerAddress.of(addressOf(server), dev.srudp.PeerId.of(someoneElse.publicKey()));
            assertThrows(AuthenticationException.class, () -> client.connect(wrong));
        }
    }

    @Test
    @Timeout(30)
    void allowListThatExcludesTheInitiatorClosesItsConnectionAndNeverAcceptsIt() throws Exception {
        try (Endpoint admitted = SocketTestSupport.open(V4); Endpoint refused = SocketTestSupport.open(V4);
                Endpoint server = Srudp.open(config(V4)
                        .acceptPolicy(AcceptPolicy.allowList(Set.of(admitted.identity()))).build())) {
            CompletableFuture<Connection> accepted = server.acceptAsync();

            Connection rejected = null;
            try {
                rejected = refused.connect(ik(server));
            } catch (AuthenticationException expected) {
                // refused during the handshake
            }
            if (rejected != null) {
                // the initiator may finish its side first; then the connection closes with the refusal
                Connection c = rejected;
                assertThrows(AuthenticationException.class, c::acceptStream);
                assertTrue(c.awaitClosed(Duration.ofSeconds(10)));
                assertFalse(c.isOpen());
            }
            assertFalse(accepted.isDone(), "the server accepted a refused peer");

            Connection ok = admitted.connect(ik(server));
            Connection s = get(accepted);
            assertEquals(admitted.identity(), s.peer(), "the first connection accepted is the admitted peer's");
            ok.close();
        }
    }

    @Test
    @Timeout(30)
    void certifiedKeyWithCorruptedSignatureFailsAtOnceWithAuthenticationException() throws Exception {
        try (Endpoint server = SocketTestSupport.open(V4); Endpoint client = Srudp.open(config(V4)
                .handshakeTimeout(Duration.ofSeconds(20)).build())) {
            byte[] encoded = server.certifiedKey().encoded();
            encoded[100] ^= 0x01;
            PeerAddress forged = PeerAddress.of(addressOf(server), CertifiedKey.fromEncoded(encoded));
            long t0 = System.nanoTime();
            assertThrows(AuthenticationException.class, () -> client.connect(forged));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 2000, "took " + millis + " ms, should fail before any handshake");
        }
    }

    @Test
    @Timeout(30)
    void staleCertifiedKeyFallsBackToXxAndStillAuthenticatesTheIdentity() throws Exception {
        Identity identity = Identity.generate(new SecureRandom());
        CertifiedKey oldKey;
        try (Endpoint old = Srudp.open(identity, config(V4).build())) {
            oldKey = old.certifiedKey();
        }
        try (Endpoint server = Srudp.open(identity, config(V4).build()); Endpoint client = SocketTestSupport.open(V4)) {
            assertFalse(oldKey.equals(server.certifiedKey()), "a new endpoint has a new static key");
            CompletableFuture<Connection> accepted = server.acceptAsync();
            Connection c = client.connect(PeerAddress.of(addressOf(server), oldKey));
            assertEquals(dev.srudp.PeerId.of(identity.publicKey()), c.peer());
            Connection s = get(accepted);
            assertEquals(client.identity(), s.peer());

            SrudpStream stream = c.openStream();
            byte[] data = randomBytes(10_000, 7);
            CompletableFuture<Void> echoed = async(() -> {
                echo(s.acceptStream());
                return null;
            });
            writeAllAndFinish(stream, data);
            readDigest(stream.getInputStream()).assertMatches(data);
            get(echoed);
            c.close();
        }
    }

    @Test
    @Timeout(30)
    void handshakeWithClosedPortTimesOutWithinAFewSeconds() throws Exception {
        InetSocketAddress target;
        try (DatagramChannel gone = DatagramChannel.open().bind(new InetSocketAddress(V4, 0))) {
            target = (InetSocketAddress) gone.getLocalAddress();
        }
        try (Endpoint client = Srudp.open(config(V4).handshakeTimeout(Duration.ofSeconds(1)).build())) {
            long t0 = System.nanoTime();
            ConnectionTimeoutException e = assertThrows(ConnectionTimeoutException.class,
                    () -> client.connect(PeerAddress.of(target, client.identity())));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 5000, "timed out after " + millis + " ms");
            assertTrue(e.getMessage().contains("1000 ms"), "message names the timeout: " + e.getMessage());
        }
    }

    @Test
    @Timeout(30)
    void handshakeWithSilentPortTimesOutWithinAFewSeconds() throws Exception {
        try (DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress(V4, 0));
                Endpoint client = Srudp.open(config(V4).handshakeTimeout(Duration.ofSeconds(1)).build())) {
            InetSocketAddress target = (InetSocketAddress) silent.getLocalAddress();
            long t0 = System.nanoTime();
            ConnectionTimeoutException e = assertThrows(ConnectionTimeoutException.class,
                    () -> client.connect(PeerAddress.of(target, client.identity())));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 900 && millis < 5000, "timed out after " + millis + " ms");
            String message = e.getMessage();
            assertTrue(message.contains("1000 ms"), "message names the timeout: " + message);
        }
    }
}
