package io.skyhaul.transport.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rule: every datagram is accepted at most once; anything older than the window is refused. */
class ReplayWindowTest {
    private static final int W = ReplayWindow.WINDOW;

    @Test
    void aDuplicateIsRefused() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.isFresh(0));
        w.record(0);
        assertFalse(w.isFresh(0));
        assertTrue(w.isFresh(1));
        w.record(1);
        assertFalse(w.isFresh(1));
        assertFalse(w.isFresh(0));
        assertEquals(1, w.largest());
    }

    @Test
    void isFreshDoesNotRecord() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.isFresh(5));
        assertTrue(w.isFresh(5));
        assertEquals(-1, w.largest());
    }

    @Test
    void aNegativePacketNumberIsRefused() {
        ReplayWindow w = new ReplayWindow();
        assertFalse(w.isFresh(-1));
        assertFalse(w.isFresh(Long.MIN_VALUE));
    }

    @Test
    void outOfOrderPacketsInsideTheWindowAreEachAcceptedOnce() {
        ReplayWindow w = new ReplayWindow();
        long[] order = {10, 3, 7, 0, 9, 1, 2, 8, 4, 6, 5};
        for (long pn : order) {
            assertTrue(w.isFresh(pn), "first time " + pn);
            w.record(pn);
        }
        for (long pn = 0; pn <= 10; pn++) {
            assertFalse(w.isFresh(pn), "second time " + pn);
        }
        assertTrue(w.isFresh(11));
    }

    @Test
    void aPacketOlderThanTheWindowIsRefusedEvenIfNeverSeen() {
        ReplayWindow w = new ReplayWindow();
        w.record(W + 10);
        assertFalse(w.isFresh(10), "exactly one window behind");
        assertFalse(w.isFresh(0));
        assertTrue(w.isFresh(11), "the oldest number still inside the window");
        w.record(11);
        assertFalse(w.isFresh(11));
    }

    @Test
    void aJumpBeyondTheWindowForgetsTheOldBitsWithoutFalseRefusals() {
        ReplayWindow w = new ReplayWindow();
        for (long pn = 0; pn < 100; pn++) {
            w.record(pn);
        }
        long far = 5L * W + 3;
        w.record(far);
        // Numbers that share ring slots with the old ones are new and inside the window.
        for (long pn = far - 99; pn < far; pn++) {
            assertTrue(w.isFresh(pn), "packet " + pn);
        }
        assertFalse(w.isFresh(far));
    }

    @Test
    void anAdvanceSmallerThanTheWindowClearsTheSkippedSlots() {
        ReplayWindow w = new ReplayWindow();
        for (long pn = 0; pn < W; pn++) {
            w.record(pn);
        }
        w.record(W + 100);
        for (long pn = W; pn < W + 100; pn++) {
            assertTrue(w.isFresh(pn), "skipped packet " + pn + " aliases an old slot but was never seen");
        }
        assertFalse(w.isFresh(W + 100));
        assertFalse(w.isFresh(100), "exactly a window behind");
        assertFalse(w.isFresh(101), "seen, and still inside the window");
    }

    @Test
    void randomisedAgainstASetModel() {
        SplittableRandom random = new SplittableRandom(20240611);
        ReplayWindow w = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long largest = -1;
        long cursor = 0;
        for (int op = 0; op < 200_000; op++) {
            long pn;
            int kind = random.nextInt(100);
            if (kind < 70) {
                pn = cursor++;
            } else if (kind < 90) {
                pn = Math.max(0, cursor - random.nextInt(1, W + 200));
            } else if (kind < 98) {
                cursor += random.nextInt(1, 3 * W);
                pn = cursor;
            } else {
                pn = largest - random.nextInt(0, 5);
            }
            boolean expected = pn >= 0 && !seen.contains(pn) && (pn > largest || largest - pn < W);
            assertEquals(expected, w.isFresh(pn), "op " + op + ": packet " + pn + " with largest " + largest);
            if (expected) {
                w.record(pn);
                seen.add(pn);
                largest = Math.max(largest, pn);
            }
        }
        assertEquals(largest, w.largest());
    }
}
