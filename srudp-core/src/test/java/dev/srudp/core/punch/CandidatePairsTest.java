package dev.srudp.core.punch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.core.record.Candidate;
import dev.srudp.core.record.CandidateKind;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidatePairsTest {
    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void pairsGoSameLanFirstThenIpv6ThenPublicHostThenReflexiveAndSkipGatesAndOtherFamilies() {
        List<InetSocketAddress> locals = List.of(at("10.0.0.5", 4000), at("2001:db8::5", 4000));
        List<Candidate> partner = List.of(
                new Candidate(CandidateKind.REFLEXIVE, at("198.51.100.9", 5000)),
                new Candidate(CandidateKind.GATE, at("203.0.113.1", 443)),
                new Candidate(CandidateKind.HOST, at("2001:db8::9", 5000)),
                new Candidate(CandidateKind.HOST, at("203.0.113.9", 5000)),
                new Candidate(CandidateKind.HOST, at("192.168.1.9", 5000)),
                new Candidate(CandidateKind.HOST, at("fd00::9", 5000)));
        List<CandidatePair> pairs = Puncher.formPairs(locals, partner);
        assertEquals(List.of(PairKind.HOST_LAN, PairKind.HOST_LAN, PairKind.IPV6, PairKind.HOST_PUBLIC,
                PairKind.REFLEXIVE), pairs.stream().map(p -> p.kind).toList());
        for (CandidatePair p : pairs) {
            assertEquals(p.local.getAddress().getClass(), p.remote.getAddress().getClass(), p.toString());
        }
    }

    @Test
    void aWildcardIpv6SocketIsDualStackAndALoopbackSocketReachesOnlyLoopback() {
        assertTrue(Puncher.reaches(at("::", 1), at("198.51.100.1", 2)));
        assertTrue(Puncher.reaches(at("::", 1), at("2001:db8::1", 2)));
        assertFalse(Puncher.reaches(at("0.0.0.0", 1), at("2001:db8::1", 2)));
        assertFalse(Puncher.reaches(at("127.0.0.1", 1), at("198.51.100.1", 2)));
        assertTrue(Puncher.reaches(at("127.0.0.1", 1), at("127.0.0.1", 2)));
    }

    @Test
    void theTokenBucketGivesItsBurstThenItsRate() {
        TokenBucket bucket = new TokenBucket(10, 5);
        long now = 1_000_000_000L;
        int taken = 0;
        while (bucket.tryTake(now)) {
            taken++;
        }
        assertEquals(5, taken);
        now += 1_000_000_000L;
        taken = 0;
        while (bucket.tryTake(now)) {
            taken++;
        }
        assertEquals(5, taken, "a full second refills at most the burst");
        for (int i = 0; i < 10; i++) {
            now += 100_000_000L;
            assertTrue(bucket.tryTake(now));
            assertFalse(bucket.tryTake(now));
        }
    }
}
