package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import dev.srudp.core.connection.EndpointContext;
import dev.srudp.core.connection.EndpointCore;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.record.NatHints.Filtering;
import dev.srudp.core.record.NatHints.Mapping;
import dev.srudp.core.record.NatHints.PortAllocation;
import dev.srudp.core.stun.NatBehaviourDiscovery;
import dev.srudp.core.stun.StunAttributes;
import dev.srudp.core.stun.StunFormatException;
import dev.srudp.core.stun.StunMessage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * RFC 5780 NAT behaviour discovery by real endpoints on the simulated network: a client behind
 * each kind of {@link TestNat}, and an srudp endpoint on two addresses and two ports as the
 * server (or two plain reflectors).
 */
class NatDiscoverySimulationTest {
    private static final InetSocketAddress CLIENT = address("10.0.0.2", 5000);
    private static final InetSocketAddress PRIMARY = address("198.51.100.1", 3478);
    private static final List<InetSocketAddress> SERVER_SOCKETS = List.of(PRIMARY, address("198.51.100.1", 3479),
            address("198.51.100.2", 3478), address("198.51.100.2", 3479));

    /** An srudp endpoint answering STUN on four sockets: an RFC 5780 server. */
    private static EndpointCore behaviourServer(SimNetwork network) {
        SecureRandom random = SimEndpoint.seededRandom(99);
        EndpointContext ctx = new EndpointContext(Identity.generate(random), DhKeyPair.generate(random),
                EndpointConfig.builder().answerStun(true).build(), random, () -> 0L, Runnable::run);
        EndpointCore core = new EndpointCore(ctx, SERVER_SOCKETS);
        network.attach(core, SERVER_SOCKETS.toArray(new InetSocketAddress[0]));
        return core;
    }

    private static NatBehaviourDiscovery.Report discover(TestNat nat, LinkConditions conditions, long seed,
            List<InetSocketAddress> servers, boolean rfc5780Server) {
        SimNetwork network = new SimNetwork(seed, conditions);
        if (nat != null) {
            network.addMiddlebox(nat);
        }
        if (rfc5780Server) {
            behaviourServer(network);
        } else {
            for (InetSocketAddress s : servers) {
                SimEndpoint.create(network, s, EndpointConfig.builder().answerStun(true).build(), s.getPort());
            }
        }
        SimEndpoint client = SimEndpoint.create(network, CLIENT, EndpointConfig.defaults(), seed);
        CompletableFuture<NatBehaviourDiscovery.Report> report = NatBehaviourDiscovery.discover(client.core(),
                servers, Set.of(CLIENT.getAddress()));
        network.runUntilOrFail(report::isDone, Duration.ofSeconds(60), "the discovery");
        return report.join();
    }

    private static NatBehaviourDiscovery.Report behind(TestNat.Mapping m, TestNat.Filtering f, TestNat.Allocation a,
            int step) {
        TestNat nat = new TestNat("203.0.113.9", List.of("10.0.0.2"), m, f, a, step, 11);
        return discover(nat, LinkConditions.builder().delay(Duration.ofMillis(15)).build(), 1, List.of(PRIMARY), true);
    }

    private static void assertHints(NatHints expected, NatBehaviourDiscovery.Report report) {
        assertEquals(expected, report.hints(), String.join("\n", report.findings()));
    }

    @Test
    void fullConeIsEndpointIndependentInMappingAndFiltering() {
        NatBehaviourDiscovery.Report r = behind(TestNat.Mapping.ENDPOINT_INDEPENDENT,
                TestNat.Filtering.ENDPOINT_INDEPENDENT, TestNat.Allocation.PRESERVING, 1);
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.ENDPOINT_INDEPENDENT,
                PortAllocation.PRESERVING), r);
        assertTrue(r.behindNat());
        assertEquals(address("203.0.113.9", 5000), r.mapped());
    }

    @Test
    void addressRestrictedConeFiltersByAddress() {
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.ADDRESS_DEPENDENT, PortAllocation.PRESERVING),
                behind(TestNat.Mapping.ENDPOINT_INDEPENDENT, TestNat.Filtering.ADDRESS_DEPENDENT,
                        TestNat.Allocation.PRESERVING, 1));
    }

    @Test
    void portRestrictedConeFiltersByAddressAndPortAndMayNotPreservePorts() {
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.ADDRESS_AND_PORT_DEPENDENT,
                PortAllocation.UNKNOWN), behind(TestNat.Mapping.ENDPOINT_INDEPENDENT,
                        TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.SEQUENTIAL, 1));
    }

    @Test
    void addressDependentMappingWithSequentialPorts() {
        assertHints(new NatHints(Mapping.ADDRESS_DEPENDENT, Filtering.ADDRESS_AND_PORT_DEPENDENT,
                PortAllocation.SEQUENTIAL, 1), behind(TestNat.Mapping.ADDRESS_DEPENDENT,
                        TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.SEQUENTIAL, 1));
    }

    @Test
    void symmetricNatWithSequentialPortsOfStepTwo() {
        NatBehaviourDiscovery.Report r = behind(TestNat.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.SEQUENTIAL, 2);
        assertHints(new NatHints(Mapping.ADDRESS_AND_PORT_DEPENDENT, Filtering.ADDRESS_AND_PORT_DEPENDENT,
                PortAllocation.SEQUENTIAL, 2), r);
    }

    @Test
    void sequentialPortsAreRecognisedWhileProbesToOtherDestinationsTakePortsInBetween() {
        // the client punches toward 40 silent addresses while discovery runs: each probe to a new
        // destination takes the next port of the symmetric NAT's counter, between the samples
        SimNetwork network = new SimNetwork(5, LinkConditions.builder().delay(Duration.ofMillis(15)).build());
        network.addMiddlebox(new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.SEQUENTIAL, 1, 11));
        behaviourServer(network);
        SimEndpoint client = SimEndpoint.create(network, CLIENT, EndpointConfig.defaults(), 5);
        SimEndpoint absent = SimEndpoint.create(new SimNetwork(6, LinkConditions.builder().build()),
                address("203.0.113.60", 4000), EndpointConfig.defaults(), 6);
        List<InetSocketAddress> silent = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            silent.add(address("203.0.113.60", 4000 + i));
        }
        client.core().punch(absent.certifiedKey(), silent, Duration.ofSeconds(5));
        CompletableFuture<NatBehaviourDiscovery.Report> report = NatBehaviourDiscovery.discover(client.core(),
                List.of(PRIMARY), Set.of(CLIENT.getAddress()));
        network.runUntilOrFail(report::isDone, Duration.ofSeconds(60), "the discovery");
        NatBehaviourDiscovery.Report r = report.join();
        assertHints(new NatHints(Mapping.ADDRESS_AND_PORT_DEPENDENT, Filtering.ADDRESS_AND_PORT_DEPENDENT,
                PortAllocation.SEQUENTIAL, 1), r);
        assertTrue(r.findings().stream().anyMatch(f -> f.contains("other traffic took in between")),
                "the probes did take ports between the samples:\n" + String.join("\n", r.findings()));
    }

    @Test
    void symmetricNatWithRandomPorts() {
        assertHints(new NatHints(Mapping.ADDRESS_AND_PORT_DEPENDENT, Filtering.ADDRESS_AND_PORT_DEPENDENT,
                PortAllocation.RANDOM), behind(TestNat.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                        TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.RANDOM, 1));
    }

    @Test
    void noNatIsReportedAsSuch() {
        NatBehaviourDiscovery.Report r = discover(null, LinkConditions.PERFECT, 2, List.of(PRIMARY), true);
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.ENDPOINT_INDEPENDENT,
                PortAllocation.PRESERVING), r);
        assertFalse(r.behindNat());
    }

    @Test
    void classificationSurvivesLossThroughRetransmission() {
        TestNat nat = new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                TestNat.Filtering.ENDPOINT_INDEPENDENT, TestNat.Allocation.SEQUENTIAL, 1, 5);
        NatBehaviourDiscovery.Report r = discover(nat, LinkConditions.builder().delay(Duration.ofMillis(10))
                .lossProbability(0.2).build(), 3, List.of(PRIMARY), true);
        assertHints(new NatHints(Mapping.ADDRESS_AND_PORT_DEPENDENT, Filtering.ENDPOINT_INDEPENDENT,
                PortAllocation.SEQUENTIAL, 1), r);
        assertTrue(r.bindings().size() >= 5);
    }

    @Test
    void twoSeparateReflectorsTellConeFromSymmetricButNotFiltering() {
        List<InetSocketAddress> reflectors = List.of(address("198.51.100.1", 3478), address("198.51.100.7", 3478));
        TestNat cone = new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ENDPOINT_INDEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.PRESERVING, 1, 5);
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.UNKNOWN, PortAllocation.PRESERVING),
                discover(cone, LinkConditions.PERFECT, 4, reflectors, false));
        TestNat symmetric = new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ADDRESS_AND_PORT_DEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.RANDOM, 1, 5);
        NatBehaviourDiscovery.Report r = discover(symmetric, LinkConditions.PERFECT, 4, reflectors, false);
        assertEquals(Mapping.ADDRESS_AND_PORT_DEPENDENT, r.hints().mapping(), String.join("\n", r.findings()));
        assertEquals(Filtering.UNKNOWN, r.hints().filtering());
    }

    @Test
    void aServerThatIgnoresChangeRequestLeavesTheFilteringUnknown() {
        SimNetwork network = new SimNetwork(6, LinkConditions.PERFECT);
        network.addMiddlebox(new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ENDPOINT_INDEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.PRESERVING, 1, 5));
        // a server that names an OTHER-ADDRESS but answers every request, CHANGE-REQUEST or not,
        // from where it was asked (as one configured without its second address may)
        network.addTap((now, d, injector) -> {
            if (!SERVER_SOCKETS.contains(d.to())) {
                return true;
            }
            try {
                byte[] id = StunMessage.decode(ByteBuffer.wrap(d.payload())).transactionId();
                injector.inject(new Datagram(d.to(), d.from(), new StunMessage(StunMessage.METHOD_BINDING,
                        StunMessage.MessageClass.SUCCESS_RESPONSE, id, List.of(
                                StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, d.from(), id),
                                StunAttributes.address(StunAttributes.OTHER_ADDRESS, SERVER_SOCKETS.get(3))), true)
                        .encode()), now);
            } catch (StunFormatException e) {
                throw new AssertionError(e);
            }
            return false;
        });
        SimEndpoint client = SimEndpoint.create(network, CLIENT, EndpointConfig.defaults(), 6);
        CompletableFuture<NatBehaviourDiscovery.Report> report = NatBehaviourDiscovery.discover(client.core(),
                List.of(PRIMARY), Set.of(CLIENT.getAddress()));
        network.runUntilOrFail(report::isDone, Duration.ofSeconds(60), "the discovery");
        assertHints(new NatHints(Mapping.ENDPOINT_INDEPENDENT, Filtering.UNKNOWN, PortAllocation.PRESERVING),
                report.join());
        assertTrue(report.join().findings().stream().anyMatch(f -> f.contains("it ignores CHANGE-REQUEST")),
                String.join("\n", report.join().findings()));
    }

    @Test
    void noAnswerLeavesEverythingUnknown() {
        // the behaviour server runs, but at other addresses than the one asked
        NatBehaviourDiscovery.Report r = discover(null, LinkConditions.PERFECT, 5, List.of(address("198.51.100.9", 3478)),
                true);
        assertEquals(NatHints.UNKNOWN, r.hints());
        assertEquals(List.of("no STUN server answered"), r.findings());
    }
}
