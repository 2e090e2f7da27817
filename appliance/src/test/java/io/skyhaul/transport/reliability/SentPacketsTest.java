package io.skyhaul.transport.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender's in-flight record: acknowledgement, and loss by time or by reordering distance. */
class SentPacketsTest {
    private static final int LEN = 1000;
    private final List<Long> lostOffsets = new ArrayList<>();
    private final SentPackets.LossHandler handler = (offset, length) -> {
        assertEquals(LEN, length);
        lostOffsets.add(offset);
    };

    /** Packet pn carries offset pn * LEN, sent at time pn * 10 ms. */
    private static SentPackets sent(int capacity, int count) {
        SentPackets s = new SentPackets(capacity);
        for (int pn = 0; pn < count; pn++) {
            s.onSent(pn, pn * (long) LEN, LEN, ms(pn * 10L));
        }
        return s;
    }

    private static long ms(long millis) {
        return 1_000_000_000L + millis * 1_000_000L;
    }

    @Test
    void packetsOlderThanTheLossDelayOrBeyondTheReorderThresholdAreLost() {
        SentPackets s = sent(64, 10);
        assertEquals(LEN, s.onAcked(5), "an acknowledgement returns the payload length it frees");
        // Lost by time: sent before 25 ms (pn 0, 1, 2). Lost by reordering: more than 3 below 5 (pn 0, 1).
        int lost = s.detectLosses(5, ms(25), 3, handler);
        assertEquals(3, lost);
        assertEquals(List.of(0L, 1000L, 2000L), lostOffsets);
        assertEquals(6 * LEN, s.bytesInFlight(), "3 and 4 still in flight, and 6 to 9");
        assertEquals(ms(30), s.oldestInFlightNanos());
    }

    @Test
    void theReorderThresholdAloneDeclaresLoss() {
        SentPackets s = sent(64, 20);
        s.onAcked(19);
        assertEquals(14, s.detectLosses(19, ms(0), 5, handler), "nothing is old enough; 0..13 trail 19 by more than 5");
        assertEquals(13000L, lostOffsets.get(13));
        assertEquals(5 * LEN, s.bytesInFlight());
    }

    @Test
    void packetsAboveTheLargestAcknowledgedAreNeverDeclaredLost() {
        SentPackets s = sent(64, 10);
        s.onAcked(2);
        assertEquals(2, s.detectLosses(2, ms(1000), 0, handler));
        assertEquals(List.of(0L, 1000L), lostOffsets);
        assertEquals(7 * LEN, s.bytesInFlight());
    }

    /**
     * A burst lost behind the last acknowledged packet, with the window full of it: no later
     * FEEDBACK will come, so the sender's loss timer must know when the oldest passed packet is
     * old enough, and declaring losses at that time must take the whole burst.
     */
    @Test
    void aBurstPassedByTheLastAcknowledgementIsDueOneLossDelayAfterItsOldestPacket() {
        SentPackets s = sent(64, 10);
        for (int pn = 0; pn < 3; pn++) {
            s.onAcked(pn);
        }
        s.onAcked(8);
        assertEquals(0, s.detectLosses(8, ms(25), 100, handler), "3..7 were sent at 30..70 ms: not old enough at 25 ms");
        assertEquals(ms(30), s.oldestPassedNanos(8), "the loss timer is due one loss delay after 30 ms");
        assertEquals(5, s.detectLosses(8, ms(75), 100, handler), "at that time (plus the delay) the whole burst is lost");
        assertEquals(List.of(3000L, 4000L, 5000L, 6000L, 7000L), lostOffsets);
        assertEquals(-1, s.oldestPassedNanos(8), "only 9 is in flight, and nothing acknowledged passed it");
        assertEquals(LEN, s.bytesInFlight());
    }

    @Test
    void anAcknowledgementCountsOnce() {
        SentPackets s = sent(64, 4);
        assertEquals(LEN, s.onAcked(1));
        assertEquals(-1, s.onAcked(1), "a duplicate acknowledgement");
        assertEquals(-1, s.onAcked(4), "never sent");
        assertEquals(-1, s.onAcked(-1));
        assertEquals(3 * LEN, s.bytesInFlight());
    }

    @Test
    void aLostPacketAcknowledgedLateIsNotCountedAgain() {
        SentPackets s = sent(64, 4);
        s.onAcked(3);
        s.detectLosses(3, ms(1000), 0, handler);
        assertEquals(3, lostOffsets.size());
        assertEquals(-1, s.onAcked(0), "already declared lost and queued for retransmission");
        assertEquals(0, s.bytesInFlight());
        assertEquals(-1, s.oldestInFlightNanos());
    }

    @Test
    void packetNumbersSkippedByOtherPacketTypesAreNotInFlight() {
        SentPackets s = new SentPackets(64);
        s.onSent(0, 0, LEN, ms(0));
        s.onSent(3, LEN, LEN, ms(1));
        s.onSent(7, 2 * LEN, LEN, ms(2));
        assertEquals(3 * LEN, s.bytesInFlight());
        s.onAcked(7);
        assertEquals(2, s.detectLosses(7, ms(100), 100, handler));
        assertEquals(List.of(0L, 1000L), lostOffsets);
        assertEquals(0, s.bytesInFlight());
    }

    @Test
    void theRingReportsFullAndFreesRoomAsTheOldestIsAcknowledged() {
        SentPackets s = sent(8, 8);
        assertTrue(s.full(8));
        assertThrows(IllegalStateException.class, () -> s.onSent(8, 0, LEN, ms(100)));
        s.onAcked(3);
        assertTrue(s.full(8), "the oldest (0) is still in flight");
        s.onAcked(0);
        assertFalse(s.full(8));
        s.onSent(8, 8 * LEN, LEN, ms(80));
        assertTrue(s.full(9), "1 is now the oldest");
    }

    @Test
    void outOfOrderSendsAreRefused() {
        SentPackets s = sent(16, 3);
        assertThrows(IllegalStateException.class, () -> s.onSent(2, 0, LEN, ms(0)));
        assertThrows(IllegalStateException.class, () -> s.onSent(1, 0, LEN, ms(0)));
    }

    @Test
    void loseOldestProbesOnePacketAtATime() {
        SentPackets s = sent(16, 3);
        s.onAcked(0);
        assertTrue(s.loseOldest(handler));
        assertEquals(List.of(1000L), lostOffsets);
        assertTrue(s.loseOldest(handler));
        assertFalse(s.loseOldest(handler));
        assertEquals(List.of(1000L, 2000L), lostOffsets);
        assertEquals(0, s.bytesInFlight());
    }

    @Test
    void theCapacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SentPackets(1000));
    }
}
