package dev.srudp.discovery.autonomi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.SrudpStream;
import dev.srudp.core.Srudp;
import dev.srudp.core.discovery.LocalRecords;
import dev.srudp.core.discovery.PartnerFollower;
import dev.srudp.core.record.IdentityStore;
import dev.srudp.core.record.LocalIdentity;
import dev.srudp.core.record.RecordVerifier;
import dev.srudp.core.record.SequenceStore;
import dev.srudp.core.record.SignedRecords;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real endpoints on loopback find each other through the fake AntTP gateways and network:
 * A publishes its record behind a pointer, B follows the pointer and connects; A comes back on
 * another port, republishes, and B reconnects after its next poll.
 */
class AutonomiConnectEndToEndTest {
    @TempDir
    Path home;

    private final ScheduledExecutorService followerThread = Executors.newSingleThreadScheduledExecutor();
    private AntTpWorld world;

    @AfterEach
    void tearDown() throws Exception {
        followerThread.shutdownNow();
        if (world != null) {
            world.close();
        }
    }

    private static EndpointConfig loopback() {
        return EndpointConfig.builder().bind(InetAddress.getLoopbackAddress(), 0).build();
    }

    private static byte[] recordOf(LocalIdentity local, Endpoint endpoint, URI publishedAt) throws Exception {
        var record = LocalRecords.describe(local, endpoint.localAddresses(), Instant.now(), Duration.ofHours(1));
        if (publishedAt != null) {
            record = record.toBuilder().publishedAt(publishedAt).build();
        }
        return SignedRecords.sign(local, record);
    }

    private static void echoOnce(Endpoint server) {
        CompletableFuture.runAsync(() -> {
            try {
                Connection c = server.accept();
                SrudpStream s = c.acceptStream();
                s.getOutputStream().write(s.getInputStream().readAllBytes());
                s.shutdownOutput();
            } catch (Exception e) {
                // the test's assertions report what went wrong
            }
        });
    }

    private static String roundTrip(Connection c, String text) throws Exception {
        SrudpStream s = c.openStream();
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.shutdownOutput();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(60)
    void peersFindEachOtherThroughAPointerAndReconnectWhenOneComesBackOnAnotherPort() throws Exception {
        world = new AntTpWorld();
        IdentityStore storeA = IdentityStore.open(home.resolve("a"));
        LocalIdentity a = storeA.loadOrCreate();
        AutonomiDirectory directoryA = world.peerA(c -> c.allowPaidCreate(true));
        AutonomiDirectory directoryB = world.peerB(c -> c);

        Endpoint endpointA = Srudp.open(storeA, a, loopback());
        URI pointer = world.await(directoryA.publish(recordOf(a, endpointA, null)), Duration.ofMinutes(1));
        world.await(directoryA.publish(recordOf(a, endpointA, pointer)), Duration.ofMinutes(1));
        echoOnce(endpointA);

        try (Endpoint endpointB = Srudp.open(loopback())) {
            PartnerFollower follower = new PartnerFollower(pointer, directoryB,
                    new RecordVerifier(Clock.systemUTC(), SequenceStore.inMemory()), endpointB::connectAsync,
                    followerThread, id -> List.of());
            follower.start();
            world.clock.runDue();
            Connection first = follower.awaitConnection(Duration.ofSeconds(20));
            assertEquals(a.peerId(), first.peer());
            assertEquals("hello", roundTrip(first, "hello"));

            // A goes away and comes back with the same identity on another port
            int oldPort = endpointA.localAddresses().get(0).getPort();
            endpointA.close();
            first.awaitClosed(Duration.ofSeconds(10));
            CompletableFuture<Connection> next = follower.nextConnection();
            Endpoint endpointA2 = Srudp.open(storeA, storeA.load(), loopback());
            assertNotEquals(oldPort, endpointA2.localAddresses().get(0).getPort());
            echoOnce(endpointA2);
            world.await(directoryA.publish(recordOf(a, endpointA2, pointer)), Duration.ofMinutes(1));
            directoryB.pollFast(pointer);
            world.clock.advance(Duration.ofSeconds(30));
            Connection second = next.get(20, TimeUnit.SECONDS);
            assertEquals(endpointA2.localAddresses().get(0), second.stats().remoteAddress());
            assertEquals("again", roundTrip(second, "again"));
            follower.close();
            endpointA2.close();
        }
    }
}
