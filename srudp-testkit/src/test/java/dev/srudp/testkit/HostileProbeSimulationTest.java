package dev.srudp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.Connection;
import dev.srudp.EndpointConfig;
import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.ProbeKey;
import dev.srudp.core.punch.Puncher;
import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import dev.srudp.core.record.NatHints;
import dev.srudp.core.wire.Probe;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Forged, replayed, malformed and flooding probes have bounded effects and change no state. */
class HostileProbeSimulationTest {
    private static final InetSocketAddress A = new InetSocketAddress("203.0.113.1", 50000);
    private static final InetSocketAddress B = new InetSocketAddress("198.51.100.1", 40000);
    private static final InetSocketAddress MALLORY = new InetSocketAddress("198.51.100.66", 666);

    private final SimNetwork net = new SimNetwork(21, LinkConditions.builder().delay(Duration.ofMillis(10)).build());
    private final HostileInputSimulationTest.DropCounter dropsAtB = new HostileInputSimulationTest.DropCounter();
    private final SimEndpoint a = SimEndpoint.create(net, A, EndpointConfig.defaults(), 1);
    private final SimEndpoint b = SimEndpoint.create(net, B,
            EndpointConfig.builder().eventListener(dropsAtB).build(), 2);
    private final List<Datagram> toMallory = new ArrayList<>();
    private byte[] capturedRequest;

    HostileProbeSimulationTest() {
        net.addTap((now, d, injector) -> {
            byte[] p = d.payload();
            boolean request = (p[0] & 0xff) == 0xC7 && (p[2] & Probe.FLAG_RESPONSE) == 0;
            if (d.from().equals(A) && request && capturedRequest == null) {
                capturedRequest = p;
            }
            if (d.to().equals(MALLORY)) {
                toMallory.add(d);
            }
            return true;
        });
    }

    private CompletableFuture<Connection>[] punchBoth() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Connection>[] f = new CompletableFuture[2];
        f[0] = a.core().punch(b.certifiedKey(), List.of(new Candidate(CandidateKind.HOST, B)), NatHints.UNKNOWN,
                Duration.ofSeconds(10));
        f[1] = b.core().punch(a.certifiedKey(), List.of(new Candidate(CandidateKind.HOST, A)), NatHints.UNKNOWN,
                Duration.ofSeconds(10));
        return f;
    }

    private void inject(byte[] payload) {
        net.inject(new Datagram(MALLORY, B, payload), net.nowNanos());
    }

    @Test
    void forgedWrongKeyTruncatedAndOversizedProbesAreDroppedWithoutAnAnswer() throws Exception {
        CompletableFuture<Connection>[] f = punchBoth();
        net.runUntilOrFail(() -> f[0].isDone() && f[1].isDone(), Duration.ofSeconds(5), "punch");
        byte[] forged = capturedRequest.clone();
        forged[Probe.LENGTH - 1] ^= 1;
        inject(forged);
        DhKeyPair mallory = DhKeyPair.generate(new java.security.SecureRandom(new byte[] {9}));
        byte[] wrongKey = capturedRequest.clone();
        byte[] tag = ProbeKey.derive(mallory, b.certifiedKey().staticKey()).tag(wrongKey, 0, Probe.TAG_OFFSET);
        System.arraycopy(tag, 0, wrongKey, Probe.TAG_OFFSET, tag.length);
        inject(wrongKey);
        inject(Arrays.copyOf(capturedRequest, Probe.LENGTH - 1));
        inject(Arrays.copyOf(capturedRequest, Probe.LENGTH + 1));
        inject(Arrays.copyOf(capturedRequest, 1400));
        long droppedBefore = b.dropped();
        net.runFor(Duration.ofMillis(100));
        assertEquals(droppedBefore + 5, b.dropped(), "five probes dropped");
        assertEquals(2, dropsAtB.count("probe authentication failed"), dropsAtB.reasons.toString());
        assertEquals(1, dropsAtB.count("probe of 83 bytes, not 84"));
        assertTrue(toMallory.isEmpty(), "nothing answers a forged or malformed probe: " + toMallory);
        assertEquals(1, b.core().connectionCount());
    }

    @Test
    void aReplayedRequestGetsAtMostOneAnswerOfTheSameSizeAndChangesNothing() {
        CompletableFuture<Connection>[] f = punchBoth();
        net.runUntilOrFail(() -> f[0].isDone() && f[1].isDone(), Duration.ofSeconds(5), "punch");
        for (int i = 0; i < 10; i++) {
            inject(capturedRequest);
        }
        net.runFor(Duration.ofSeconds(2));
        assertTrue(toMallory.size() <= 10, toMallory.size() + " answers to 10 replays");
        for (Datagram d : toMallory) {
            assertEquals(Probe.LENGTH, d.length(), "no amplification");
        }
        assertEquals(1, a.core().connectionCount());
        assertEquals(1, b.core().connectionCount());
        assertTrue(b.core().punchStats().get(0).succeeded());
        assertEquals(1, b.core().punchStats().size(), "a replay starts no attempt");
    }

    @Test
    void aFloodOfProbesWithRandomKeysIsBoundedInKeyAgreementsAndDoesNotStopAPunch() {
        SplittableRandom random = new SplittableRandom(3);
        byte[] template = new Probe(Probe.FLAG_PUNCHING, new byte[32], 1, 1, B).encodeUntagged();
        Duration flood = Duration.ofSeconds(2);
        for (long t = 0; t < flood.toMillis(); t++) {
            for (int i = 0; i < 10; i++) {
                byte[] p = template.clone();
                for (int j = 4; j < 36; j++) {
                    p[j] = (byte) random.nextInt(256);
                }
                for (int j = Probe.TAG_OFFSET; j < Probe.LENGTH; j++) {
                    p[j] = (byte) random.nextInt(256);
                }
                net.inject(new Datagram(MALLORY, B, p), net.nowNanos() + t * 1_000_000L);
            }
        }
        net.runFor(Duration.ofMillis(300));
        CompletableFuture<Connection>[] f = punchBoth();
        net.runUntilOrFail(() -> f[0].isDone() && f[1].isDone(), Duration.ofSeconds(5), "punch under a flood");
        assertTrue(!f[0].isCompletedExceptionally() && !f[1].isCompletedExceptionally());
        net.runFor(flood);
        long bound = Puncher.DERIVATIONS_PER_SECOND * (flood.toSeconds() + 1) + Puncher.DERIVATIONS_PER_SECOND;
        long agreements = b.core().probeKeyAgreements();
        assertTrue(agreements <= bound, agreements + " key agreements for 20,000 probes, bound " + bound);
        assertTrue(dropsAtB.count("probe from an unknown key: key agreement rate limit") >= 19_000,
                dropsAtB.reasons.toString());
        assertTrue(toMallory.isEmpty());
    }
}
