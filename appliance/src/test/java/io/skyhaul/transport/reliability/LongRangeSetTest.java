package io.skyhaul.transport.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The merged range set, checked operation by operation against a BitSet. */
class LongRangeSetTest {
    private static final int SPACE = 5000;

    @Test
    void randomisedAgainstABitSetModel() {
        SplittableRandom random = new SplittableRandom(0x5eed);
        LongRangeSet set = new LongRangeSet();
        BitSet model = new BitSet(SPACE);
        long appendCursor = 0;
        for (int op = 0; op < 10_000; op++) {
            long start;
            long end;
            int kind = random.nextInt(10);
            if (kind < 4) {
                // Mostly-in-order arrival: extend or leave a small gap after the last range.
                start = Math.min(SPACE - 1, appendCursor + (random.nextInt(4) == 0 ? random.nextInt(1, 40) : 0));
                end = Math.min(SPACE, start + random.nextInt(1, 60));
                appendCursor = end;
            } else if (kind < 9) {
                start = random.nextInt(SPACE);
                end = Math.min(SPACE, start + random.nextInt(0, 120));
            } else {
                // Empty or inverted ranges add nothing.
                start = random.nextInt(SPACE);
                end = start - random.nextInt(0, 3);
            }
            long before = model.cardinality();
            if (end > start) {
                model.set((int) start, (int) end);
            }
            long added = model.cardinality() - before;
            assertEquals(added, set.add(start, end), "op " + op + ": add [" + start + ", " + end + ") to " + set);
            assertSameRanges(model, set, op);
            probe(random, model, set, op);
        }
    }

    private static void probe(SplittableRandom random, BitSet model, LongRangeSet set, int op) {
        long a = random.nextInt(SPACE);
        long b = Math.min(SPACE, a + random.nextInt(0, 80));
        boolean covered = b <= a || model.nextClearBit((int) a) >= b;
        assertEquals(covered, set.contains(a, b), "op " + op + ": contains [" + a + ", " + b + ") in " + set);
        long origin = random.nextInt(SPACE);
        long expectedReach = model.get((int) origin) ? model.nextClearBit((int) origin) : origin;
        assertEquals(expectedReach, set.contiguousFrom(origin), "op " + op + ": contiguousFrom " + origin + " in " + set);
        assertEquals(nextStartAfter(model, origin), set.nextStartAfter(origin), "op " + op + ": nextStartAfter " + origin + " in " + set);
    }

    /** First position > from where a run of set bits begins. */
    private static long nextStartAfter(BitSet model, long from) {
        for (int i = model.nextSetBit((int) from + 1); i >= 0; i = model.nextSetBit(i + 1)) {
            if (!model.get(i - 1)) {
                return i;
            }
        }
        return Long.MAX_VALUE;
    }

    private static void assertSameRanges(BitSet model, LongRangeSet set, int op) {
        List<long[]> runs = new ArrayList<>();
        for (int s = model.nextSetBit(0); s >= 0; ) {
            int e = model.nextClearBit(s);
            runs.add(new long[] {s, e});
            s = model.nextSetBit(e);
        }
        assertEquals(runs.size(), set.rangeCount(), "op " + op + ": range count of " + set);
        for (int i = 0; i < runs.size(); i++) {
            assertEquals(runs.get(i)[0], set.start(i), "op " + op + ": start of range " + i);
            assertEquals(runs.get(i)[1], set.end(i), "op " + op + ": end of range " + i);
        }
        assertEquals(model.cardinality(), set.totalLength());
    }

    @Test
    void adjacentRangesMergeAndOverlapsCountOnlyNewBytes() {
        LongRangeSet s = new LongRangeSet();
        assertEquals(10, s.add(0, 10));
        assertEquals(10, s.add(20, 30));
        assertEquals(10, s.add(10, 20), "fills the gap exactly");
        assertEquals(1, s.rangeCount());
        assertEquals(0, s.add(5, 25));
        assertEquals(10, s.add(25, 40));
        assertEquals("[0-40]", s.toString());
    }

    @Test
    void oneRangeSwallowsManyAndGrowsPastTheInitialCapacity() {
        LongRangeSet s = new LongRangeSet();
        for (int i = 0; i < 100; i++) {
            s.add(i * 10L, i * 10L + 5);
        }
        assertEquals(100, s.rangeCount());
        assertEquals(1003 - 500, s.add(-3, 1000));
        assertEquals(1, s.rangeCount());
        assertEquals(-3, s.start(0));
        assertEquals(1000, s.end(0));
    }

    @Test
    void emptySetAnswers() {
        LongRangeSet s = new LongRangeSet();
        assertTrue(s.contains(3, 3));
        assertFalse(s.contains(3, 4));
        assertEquals(7, s.contiguousFrom(7));
        assertEquals(Long.MAX_VALUE, s.nextStartAfter(0));
        assertEquals(0, s.totalLength());
    }

    @Test
    void largeOffsetsBeyondFourGigabytes() {
        LongRangeSet s = new LongRangeSet();
        long g = 1L << 32;
        s.add(0, g);
        s.add(g + 1400, 2 * g);
        assertEquals(g, s.contiguousFrom(0));
        assertEquals(g + 1400, s.nextStartAfter(g));
        assertEquals(1400, s.add(g, g + 1400));
        assertEquals(2 * g, s.contiguousFrom(0));
    }
}
