package dev.srudp.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random operation sequences against a BitSet model over the universe [0, 500). */
class RangeSetPropertyTest {
    private static final int UNIVERSE = 500;

    enum Kind { ADD, REMOVE, REMOVE_BELOW, KEEP_HIGHEST }

    record Op(Kind kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.ADD)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.REMOVE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REMOVE_BELOW)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.KEEP_HIGHEST)));
        Arbitrary<Integer> point = Arbitraries.integers().between(0, UNIVERSE);
        Arbitrary<Integer> width = Arbitraries.integers().between(0, 40);
        Arbitrary<Op> op = Combinators.combine(kinds, point, width).as((k, a, w) -> switch (k) {
            case ADD, REMOVE -> new Op(k, a, Math.min(UNIVERSE, a + w));
            case REMOVE_BELOW -> new Op(k, a, 0);
            case KEEP_HIGHEST -> new Op(k, w % 12, 0);
        });
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 500)
    void randomOperationSequencesAgreeWithABitSetModel(@ForAll("operations") List<Op> ops) {
        RangeSet set = new RangeSet();
        BitSet model = new BitSet();
        for (Op op : ops) {
            switch (op.kind()) {
                case ADD -> {
                    set.add(op.a(), op.b());
                    model.set(op.a(), op.b());
                }
                case REMOVE -> {
                    set.remove(op.a(), op.b());
                    model.clear(op.a(), op.b());
                }
                case REMOVE_BELOW -> {
                    set.removeBelow(op.a());
                    model.clear(0, op.a());
                }
                case KEEP_HIGHEST -> {
                    set.keepHighest(op.a());
                    List<int[]> ranges = rangesOf(model);
                    for (int i = 0; i < ranges.size() - op.a(); i++) {
                        model.clear(ranges.get(i)[0], ranges.get(i)[1]);
                    }
                }
            }
            assertAgrees(model, set, op);
        }
    }

    @Property(tries = 200)
    void containsAllAgreesWithTheModelForEveryInterval(@ForAll("operations") List<Op> ops) {
        RangeSet set = new RangeSet();
        BitSet model = new BitSet();
        for (Op op : ops) {
            if (op.kind() == Kind.ADD) {
                set.add(op.a(), op.b());
                model.set(op.a(), op.b());
            } else if (op.kind() == Kind.REMOVE) {
                set.remove(op.a(), op.b());
                model.clear(op.a(), op.b());
            }
        }
        for (int start = 0; start <= UNIVERSE; start += 7) {
            for (int end = start; end <= Math.min(UNIVERSE + 1, start + 60); end++) {
                int firstMissing = model.nextClearBit(start);
                boolean expected = start >= end || firstMissing >= end;
                assertEquals(expected, set.containsAll(start, end), "containsAll(" + start + ", " + end + ") of " + set);
            }
        }
    }

    private static void assertAgrees(BitSet model, RangeSet set, Op op) {
        String context = op + " -> " + set;
        List<int[]> expected = rangesOf(model);
        assertEquals(expected.size(), set.rangeCount(), context);
        assertEquals(model.isEmpty(), set.isEmpty(), context);
        for (int i = 0; i < set.rangeCount(); i++) {
            assertTrue(set.start(i) < set.end(i), "range is not empty: " + context);
            if (i > 0) {
                assertTrue(set.end(i - 1) < set.start(i), "ranges are sorted, disjoint and not adjacent: " + context);
            }
            assertEquals(expected.get(i)[0], set.start(i), context);
            assertEquals(expected.get(i)[1], set.end(i), context);
        }
        if (!set.isEmpty()) {
            assertEquals(model.nextSetBit(0), set.first(), context);
            assertEquals(model.length(), set.last(), context);
        }
        for (int v = 0; v <= UNIVERSE + 1; v++) {
            assertEquals(model.get(v), set.contains(v), "contains(" + v + ") " + context);
            long expectedEnd = model.get(v) ? model.nextClearBit(v) : v;
            assertEquals(expectedEnd, set.contiguousEnd(v), "contiguousEnd(" + v + ") " + context);
        }
    }

    private static List<int[]> rangesOf(BitSet model) {
        List<int[]> ranges = new ArrayList<>();
        for (int s = model.nextSetBit(0); s >= 0; s = model.nextSetBit(model.nextClearBit(s))) {
            ranges.add(new int[] {s, model.nextClearBit(s)});
        }
        return ranges;
    }
}
