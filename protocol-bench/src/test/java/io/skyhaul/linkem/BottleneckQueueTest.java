package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The queue arithmetic with explicit clocks: no sockets, no sleeping. */
class BottleneckQueueTest {

    private static final long MS = 1_000_000;
    /** 8 Mbit/s: one byte per microsecond, so 1000 bytes take exactly 1 ms. */
    private static final long EIGHT_MBIT = 8_000_000;

    @Test
    void unlimitedRateDepartsOnArrival() {
        BottleneckQueue queue = new BottleneckQueue(0, 0);
        assertEquals(123, queue.admit(65_000, 123));
    }

    @Test
    void packetsSerializeBackToBack() {
        BottleneckQueue queue = new BottleneckQueue(EIGHT_MBIT, 1_000_000);
        assertEquals(1 * MS, queue.admit(1000, 0));
        assertEquals(2 * MS, queue.admit(1000, 0));
        assertEquals(2000, queue.backlogBytes(0));
        assertEquals(500, queue.backlogBytes(1500_000));
        // An idle link starts serializing on arrival.
        assertEquals(11 * MS, queue.admit(1000, 10 * MS));
    }

    @Test
    void packetThatDoesNotFitIsRejectedUntilTheQueueDrains() {
        BottleneckQueue queue = new BottleneckQueue(EIGHT_MBIT, 3000);
        queue.admit(1000, 0);
        queue.admit(1000, 0);
        queue.admit(1000, 0);
        assertEquals(BottleneckQueue.REJECTED, queue.admit(1000, 0));
        assertEquals(BottleneckQueue.REJECTED, queue.admit(1, 0));
        assertEquals(4 * MS, queue.admit(1000, 1 * MS));
    }

    @Test
    void packetLargerThanTheQueueIsAlwaysRejected() {
        assertEquals(BottleneckQueue.REJECTED, new BottleneckQueue(EIGHT_MBIT, 1000).admit(1001, 0));
    }

    @Test
    void longRunRateIsExactDespiteRounding() {
        long rate = 999_999_937; // one packet of 1400 B takes 11,200.0007 ns
        BottleneckQueue queue = new BottleneckQueue(rate, Long.MAX_VALUE);
        long last = 0;
        for (int i = 0; i < 100_000; i++) {
            last = queue.admit(1400, 0);
        }
        double exact = 100_000 * 1400 * 8e9 / rate;
        assertEquals(exact, last, 1.0);
    }

    @Test
    void worksWithNegativeNanoTimeValues() {
        BottleneckQueue queue = new BottleneckQueue(EIGHT_MBIT, 10_000);
        long start = Long.MIN_VALUE / 2;
        assertEquals(start + MS, queue.admit(1000, start));
        assertEquals(1000, queue.backlogBytes(start));
    }
}
