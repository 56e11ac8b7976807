package dev.srudp.core;

import static dev.srudp.core.SocketTestSupport.V4;
import static dev.srudp.core.SocketTestSupport.V6;
import static dev.srudp.core.SocketTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.EndpointConfig;
import dev.srudp.PeerAddress;
import dev.srudp.core.discovery.LocalRecords;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.stun.BindingResult;
import dev.srudp.core.stun.StunPort;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STUN between real endpoints on loopback sockets, and the dual-stack default socket. */
class StunSocketTest {

    @Test
    @Timeout(30)
    void clientLearnsItsLoopbackAddressFromAnEndpointThatAnswersStun() throws Exception {
        try (Endpoint reflector = Srudp.open(EndpointConfig.builder().bind(V4, 0).answerStun(true).build())) {
            InetSocketAddress server = reflector.localAddresses().get(0);
            CountDownLatch changed = new CountDownLatch(1);
            try (Endpoint client = Srudp.open(EndpointConfig.builder().bind(V4, 0).stunServers(List.of(server))
                    .build())) {
                client.addAddressListener(changed::countDown);
                List<InetSocketAddress> found = get(client.refreshReflexiveAddresses());
                assertEquals(List.of(client.localAddresses().get(0)), found);
                assertEquals(found, client.reflexiveAddresses());
                assertTrue(changed.await(5, TimeUnit.SECONDS));
                // the reflexive address equals the host one here, so the record lists it once
                List<Candidate> candidates = LocalRecords.candidates(client, false);
                assertEquals(List.of(new Candidate(CandidateKind.HOST, client.localAddresses().get(0))), candidates);
            }
        }
    }

    @Test
    @Timeout(30)
    void aDualStackClientAsksAnIpv6AndAnIpv4ReflectorFromOnePort() throws Exception {
        SocketTestSupport.assumeIpv6Loopback();
        try (Endpoint v6 = Srudp.open(EndpointConfig.builder().bind(V6, 0).answerStun(true).build());
                Endpoint v4 = Srudp.open(EndpointConfig.builder().bind(V4, 0).answerStun(true).build());
                Endpoint client = Srudp.open(EndpointConfig.builder().stunServers(List.of(
                        v6.localAddresses().get(0), v4.localAddresses().get(0))).build())) {
            InetSocketAddress bound = client.localAddresses().get(0);
            assertInstanceOf(Inet6Address.class, bound.getAddress(), "the default socket is dual-stack");
            List<BindingResult> results = get(((StunPort) client).gather());
            assertEquals(2, results.size());
            assertEquals(new InetSocketAddress(V6, bound.getPort()), results.get(0).mapped(), results.toString());
            assertEquals(new InetSocketAddress(V4, bound.getPort()), results.get(1).mapped(), results.toString());
        }
    }

    @Test
    @Timeout(60)
    void theDefaultSocketTakesConnectionsOverIpv4AndIpv6LoopbackOnOnePort() throws Exception {
        SocketTestSupport.assumeIpv6Loopback();
        try (Endpoint server = Srudp.open(EndpointConfig.defaults());
                Endpoint v4client = SocketTestSupport.open(V4);
                Endpoint v6client = SocketTestSupport.open(V6)) {
            int port = server.localAddresses().get(0).getPort();
            for (Endpoint client : List.of(v4client, v6client)) {
                InetSocketAddress target = new InetSocketAddress(client == v4client ? V4 : V6, port);
                CompletableFuture<Connection> accepted = server.acceptAsync();
                Connection c = client.connect(PeerAddress.of(target, server.certifiedKey()));
                Connection s = get(accepted);
                assertEquals(client.identity(), s.peer());
                c.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void aReflectorThatCannotChangeAddressRefusesChangeRequest() throws Exception {
        try (Endpoint reflector = Srudp.open(EndpointConfig.builder().bind(V4, 0).answerStun(true).build());
                Endpoint client = Srudp.open(EndpointConfig.builder().bind(V4, 0).build())) {
            BindingResult r = get(((StunPort) client).binding(reflector.localAddresses().get(0),
                    dev.srudp.core.stun.StunAttributes.CHANGE_PORT));
            assertEquals(420, r.errorCode(), r.toString());
        }
    }
}
