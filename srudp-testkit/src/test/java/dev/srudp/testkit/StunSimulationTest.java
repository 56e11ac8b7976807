package dev.srudp.testkit;

import static dev.srudp.testkit.Payloads.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.EndpointConfig;
import dev.srudp.core.stun.BindingResult;
import dev.srudp.core.stun.StunAttributes;
import dev.srudp.core.stun.StunClient;
import dev.srudp.core.stun.StunMessage;
import dev.srudp.core.stun.StunResponder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The STUN client and responder of real endpoints on the simulated network, behind a test NAT. */
class StunSimulationTest {
    private static final InetSocketAddress SERVER = address("198.51.100.1", 3478);
    private static final InetSocketAddress CLIENT = address("10.0.0.2", 5000);
    private static final long SECOND = 1_000_000_000L;

    private static EndpointConfig clientConfig(InetSocketAddress... servers) {
        return EndpointConfig.builder().stunServers(List.of(servers)).build();
    }

    private static SimEndpoint server(SimNetwork network, InetSocketAddress at) {
        return SimEndpoint.create(network, at, EndpointConfig.builder().answerStun(true).build(), 7);
    }

    private static TestNat portRestrictedNat() {
        return new TestNat("203.0.113.9", List.of("10.0.0.2"), TestNat.Mapping.ENDPOINT_INDEPENDENT,
                TestNat.Filtering.ADDRESS_AND_PORT_DEPENDENT, TestNat.Allocation.SEQUENTIAL, 1, 3);
    }

    @Test
    void clientLearnsItsAddressAsTheNatMapsIt() {
        SimNetwork network = new SimNetwork(1, LinkConditions.builder().delay(Duration.ofMillis(20)).build());
        network.addMiddlebox(portRestrictedNat());
        server(network, SERVER);
        SimEndpoint client = SimEndpoint.create(network, CLIENT, clientConfig(SERVER), 2);
        CompletableFuture<List<BindingResult>> round = client.core().gather();
        network.runUntilOrFail(round::isDone, Duration.ofSeconds(1), "the gathering");
        BindingResult r = round.join().get(0);
        assertTrue(r.succeeded(), r.toString());
        assertEquals(address("203.0.113.9", 40000), r.mapped());
        assertEquals(SERVER, r.source());
        assertEquals(40 * 1_000_000L, r.rttNanos());
        assertEquals(List.of(address("203.0.113.9", 40000)), client.core().reflexiveAddresses());
    }

    @Test
    void gatheringSucceedsThroughHeavyLossByRetransmitting() {
        int succeeded = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimNetwork network = new SimNetwork(seed, LinkConditions.builder().delay(Duration.ofMillis(10))
                    .lossProbability(0.4).build());
            server(network, SERVER);
            SimEndpoint client = SimEndpoint.create(network, CLIENT, clientConfig(SERVER), seed);
            CompletableFuture<List<BindingResult>> round = client.core().gather();
            network.runUntilOrFail(round::isDone, Duration.ofSeconds(5), "the gathering");
            BindingResult r = round.join().get(0);
            assertTrue(network.nowNanos() - VirtualClock.START_NANOS <= StunClient.TRANSACTION_TIMEOUT_NANOS);
            if (r.succeeded()) {
                succeeded++;
                assertEquals(CLIENT, r.mapped());
            }
        }
        // four requests through 40% loss each way: each attempt succeeds with 0.36, so a
        // transaction fails with 0.64^4 = 17%; with seeds fixed the count is exact
        assertTrue(succeeded >= 14, "succeeded " + succeeded + " of 20");
    }

    @Test
    void anUnansweredServerIsGivenUpAfterTheBoundedSchedule() {
        SimNetwork network = new SimNetwork(3, LinkConditions.PERFECT);
        List<Long> sent = new ArrayList<>();
        network.addTap((now, d, injector) -> {
            if (d.to().equals(SERVER)) {
                sent.add(now - VirtualClock.START_NANOS);
            }
            return false;
        });
        SimEndpoint client = SimEndpoint.create(network, CLIENT, clientConfig(SERVER), 2);
        CompletableFuture<List<BindingResult>> round = client.core().gather();
        network.runUntilOrFail(round::isDone, Duration.ofSeconds(10), "the gathering");
        assertEquals(List.of(0L, SECOND / 2, 3 * SECOND / 2, 7 * SECOND / 2), sent);
        assertEquals(VirtualClock.START_NANOS + StunClient.TRANSACTION_TIMEOUT_NANOS, network.nowNanos());
        BindingResult r = round.join().get(0);
        assertFalse(r.succeeded());
        assertTrue(r.failure().startsWith("no answer from the STUN server"), r.failure());
        assertEquals(List.of(), client.core().reflexiveAddresses());
    }

    @Test
    void aResponseFromAnotherSourceIsNotTaken() {
        SimNetwork network = new SimNetwork(4, LinkConditions.PERFECT);
        InetSocketAddress impostor = address("198.51.100.66", 3478);
        network.addTap((now, d, injector) -> {
            if (d.to().equals(SERVER) && d.length() >= 20) {
                // an off-path impostor cannot see the request; this one can, and answers first
                // with a wrong address, from its own address
                StunMessage request = decode(d.payload());
                byte[] fake = new StunMessage(1, StunMessage.MessageClass.SUCCESS_RESPONSE, request.transactionId(),
                        List.of(StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, address("192.0.2.99", 1),
                                request.transactionId())), true).encode();
                injector.inject(new Datagram(impostor, d.from(), fake), now);
            }
            return true;
        });
        server(network, SERVER);
        SimEndpoint client = SimEndpoint.create(network, CLIENT, clientConfig(SERVER), 2);
        CompletableFuture<List<BindingResult>> round = client.core().gather();
        network.runUntilOrFail(round::isDone, Duration.ofSeconds(5), "the gathering");
        assertEquals(CLIENT, round.join().get(0).mapped());
        assertTrue(client.dropped() >= 1);
    }

    @Test
    void periodicRefreshNoticesANewMappingAndTellsTheListener() {
        SimNetwork network = new SimNetwork(5, LinkConditions.builder().delay(Duration.ofMillis(5)).build());
        TestNat nat = portRestrictedNat();
        network.addMiddlebox(nat);
        server(network, SERVER);
        SimEndpoint client = SimEndpoint.create(network, CLIENT,
                clientConfig(SERVER).toBuilder().stunRefreshInterval(Duration.ofSeconds(10)).build(), 2);
        AtomicInteger changes = new AtomicInteger();
        client.core().addAddressListener(changes::incrementAndGet);
        client.core().gather();
        network.runFor(Duration.ofSeconds(1));
        assertEquals(List.of(address("203.0.113.9", 40000)), client.core().reflexiveAddresses());
        assertEquals(1, changes.get());
        network.runFor(Duration.ofSeconds(10));
        assertEquals(1, changes.get(), "a refresh that finds the same address changes nothing");
        nat.forgetMappings();
        network.runFor(Duration.ofSeconds(10));
        assertEquals(List.of(address("203.0.113.9", 41001)), client.core().reflexiveAddresses());
        assertEquals(2, changes.get());
    }

    @Test
    void responderAnswersWithTheAddressItSeesAndNoMore() {
        SimNetwork network = new SimNetwork(6, LinkConditions.PERFECT);
        server(network, SERVER);
        List<Datagram> answers = new ArrayList<>();
        network.addTap((now, d, injector) -> {
            if (d.from().equals(SERVER)) {
                answers.add(d);
            }
            return true;
        });
        byte[] id = new byte[12];
        byte[] request = StunMessage.bindingRequest(id, List.of()).encode();
        network.inject(new Datagram(CLIENT, SERVER, request), network.nowNanos());
        network.runFor(Duration.ofMillis(10));
        assertEquals(1, answers.size());
        StunMessage answer = decode(answers.get(0).payload());
        assertEquals(StunMessage.MessageClass.SUCCESS_RESPONSE, answer.messageClass());
        assertTrue(answer.fingerprinted());
        assertEquals(List.of(StunAttributes.XOR_MAPPED_ADDRESS, StunAttributes.SOFTWARE),
                answer.attributes().stream().map(a -> a.type()).toList());
        assertTrue(answers.get(0).length() <= StunResponder.MAX_ANSWER_BYTES);
    }

    @Test
    void responderRefusesChangeRequestAndUnknownAttributesWith420() {
        SimNetwork network = new SimNetwork(7, LinkConditions.PERFECT);
        server(network, SERVER);
        SimEndpoint client = SimEndpoint.create(network, CLIENT, clientConfig(), 2);
        CompletableFuture<BindingResult> change = client.core().binding(SERVER, StunAttributes.CHANGE_IP
                | StunAttributes.CHANGE_PORT);
        network.runUntilOrFail(change::isDone, Duration.ofSeconds(5), "the binding");
        assertEquals(420, change.join().errorCode());
        assertTrue(change.join().failure().contains("420 Unknown Attribute"), change.join().failure());
    }

    @Test
    void responderLimitsAnswersPerSource() {
        SimNetwork network = new SimNetwork(8, LinkConditions.PERFECT);
        server(network, SERVER);
        AtomicInteger answers = new AtomicInteger();
        network.addTap((now, d, injector) -> {
            if (d.from().equals(SERVER)) {
                answers.incrementAndGet();
            }
            return true;
        });
        for (int i = 0; i < 200; i++) {
            byte[] id = new byte[12];
            id[0] = (byte) i;
            network.inject(new Datagram(CLIENT, SERVER, StunMessage.bindingRequest(id, List.of()).encode()),
                    network.nowNanos() + i * 1_000_000L);
        }
        network.runFor(Duration.ofMillis(300));
        // a burst of 20, then 10 a second: one more token in the 0.199 s the flood lasts
        assertEquals(StunResponder.BURST + 1, answers.get());
        answers.set(0);
        network.inject(new Datagram(address("10.0.0.3", 5000), SERVER, StunMessage.bindingRequest(new byte[12],
                List.of()).encode()), network.nowNanos());
        network.runFor(Duration.ofMillis(10));
        assertEquals(1, answers.get(), "another source is answered");
    }

    @Test
    void endpointWithoutAnswerStunDropsRequestsSilently() {
        SimNetwork network = new SimNetwork(9, LinkConditions.PERFECT);
        SimEndpoint quiet = SimEndpoint.create(network, SERVER, EndpointConfig.defaults(), 7);
        AtomicInteger answers = new AtomicInteger();
        network.addTap((now, d, injector) -> {
            answers.incrementAndGet();
            return true;
        });
        network.inject(new Datagram(CLIENT, SERVER, StunMessage.bindingRequest(new byte[12], List.of()).encode()),
                network.nowNanos());
        network.runFor(Duration.ofMillis(10));
        assertEquals(0, answers.get());
        assertEquals(1, quiet.dropped());
    }

    @Test
    void hostileStunDatagramsAreDroppedAndCountedWithoutAnAnswer() {
        SimNetwork network = new SimNetwork(10, LinkConditions.PERFECT);
        SimEndpoint server = server(network, SERVER);
        AtomicInteger answers = new AtomicInteger();
        network.addTap((now, d, injector) -> {
            if (d.from().equals(SERVER)) {
                answers.incrementAndGet();
            }
            return true;
        });
        java.util.Random random = new java.util.Random(10);
        byte[] valid = StunMessage.bindingRequest(new byte[12], List.of()).encode();
        for (int i = 0; i < 1000; i++) {
            byte[] junk = i % 2 == 0 ? new byte[random.nextInt(120)] : valid.clone();
            random.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = (byte) random.nextInt(4);
            }
            if (i % 2 == 1) {
                // a valid request with a byte of its transaction ID or FINGERPRINT value changed:
                // the FINGERPRINT no longer matches (a changed attribute header would make another
                // valid message, one without FINGERPRINT)
                junk = valid.clone();
                int at = random.nextInt(16);
                junk[at < 12 ? 8 + at : 24 + at - 12] ^= (byte) (1 + random.nextInt(255));
            }
            network.inject(new Datagram(address("10.0.0." + (i % 200 + 2), 5000), SERVER, junk),
                    network.nowNanos() + i * 1_000_000L);
        }
        network.runFor(Duration.ofSeconds(2));
        assertEquals(0, answers.get());
        assertEquals(1000, server.dropped());
    }

    private static StunMessage decode(byte[] bytes) {
        try {
            return StunMessage.decode(ByteBuffer.wrap(bytes));
        } catch (dev.srudp.core.stun.StunFormatException e) {
            throw new AssertionError(e);
        }
    }
}
