package dev.srudp.core.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a sequential allocator whose counter other mappings advanced between the samples. */
class InterleavedStepTest {

    @Test
    void unevenSmallGapsInOneDirectionGiveTheirCommonDivisor() {
        assertEquals(1, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40003, 40004, 40009)));
        assertEquals(2, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40004, 40010, 40012)));
        assertEquals(-1, NatBehaviourDiscovery.interleavedStep(List.of(40009, 40004, 40003)));
    }

    @Test
    void anythingElseIsNotReadAsSequential() {
        assertEquals(0, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40003)), "two ports prove nothing");
        assertEquals(0, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40003, 40001)), "direction changes");
        assertEquals(0, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40003, 40003)), "a repeated port");
        assertEquals(0, NatBehaviourDiscovery.interleavedStep(List.of(40000, 40003, 40003 + 65)), "a gap above 64");
        assertEquals(0, NatBehaviourDiscovery.interleavedStep(List.of(1034, 52811, 20177, 61002)), "random ports");
    }
}
