package io.skyhaul.transport.reliability;

/**
 * The sender's record of DATA packets in flight, indexed by packet number in a ring. A packet
 * leaves the record when it is acknowledged or declared lost. Packets are sent in packet-number
 * order, so send times are monotonic and loss detection scans only from the oldest packet still
 * in flight.
 */
public final class SentPackets {
    /** What to do with a packet declared lost. */
    @FunctionalInterface
    public interface LossHandler {
        void lost(long offset, int length);
    }

    private static final byte EMPTY = 0;
    private static final byte IN_FLIGHT = 1;

    private final int capacity;
    private final int mask;
    private final long[] offsets;
    private final int[] lengths;
    private final long[] sentNanos;
    private final byte[] states;
    private long oldest;
    private long next;
    private long bytesInFlight;

    public SentPackets(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.capacity = capacityPowerOfTwo;
        this.mask = capacityPowerOfTwo - 1;
        this.offsets = new long[capacity];
        this.lengths = new int[capacity];
        this.sentNanos = new long[capacity];
        this.states = new byte[capacity];
    }

    /** True when the ring has no room for another packet number. */
    public boolean full(long nextPacketNumber) {
        return nextPacketNumber - oldest >= capacity;
    }

    public void onSent(long pn, long offset, int length, long nowNanos) {
        advanceTo(pn);
        int s = slot(pn);
        offsets[s] = offset;
        lengths[s] = length;
        sentNanos[s] = nowNanos;
        states[s] = IN_FLIGHT;
        next = pn + 1;
        bytesInFlight += length;
    }

    /** Send time of {@code pn} if it is still in flight, else -1 (no RTT sample from a packet already resolved). */
    public long sentNanosIfInFlight(long pn) {
        if (pn < oldest || pn >= next) {
            return -1;
        }
        int s = slot(pn);
        return states[s] == IN_FLIGHT ? sentNanos[s] : -1;
    }

    /** Marks {@code pn} acknowledged; returns its payload length, or -1 if it was not in flight. */
    public int onAcked(long pn) {
        if (pn < oldest || pn >= next) {
            return -1;
        }
        int s = slot(pn);
        if (states[s] != IN_FLIGHT) {
            return -1;
        }
        states[s] = EMPTY;
        bytesInFlight -= lengths[s];
        trimOldest();
        return lengths[s];
    }

    /**
     * Declares lost every packet in flight below {@code largestAcked} that was sent before
     * {@code lostBeforeNanos}, or that trails {@code largestAcked} by more than
     * {@code reorderThreshold} packet numbers.
     */
    public int detectLosses(long largestAcked, long lostBeforeNanos, int reorderThreshold, LossHandler handler) {
        int lost = 0;
        for (long pn = oldest; pn < largestAcked && pn < next; pn++) {
            int s = slot(pn);
            if (states[s] != IN_FLIGHT) {
                continue;
            }
            if (sentNanos[s] >= lostBeforeNanos && largestAcked - pn <= reorderThreshold) {
                break;
            }
            states[s] = EMPTY;
            bytesInFlight -= lengths[s];
            handler.lost(offsets[s], lengths[s]);
            lost++;
        }
        trimOldest();
        return lost;
    }

    /** Declares the oldest packet in flight lost (a probe after silence); false if none. */
    public boolean loseOldest(LossHandler handler) {
        for (long pn = oldest; pn < next; pn++) {
            int s = slot(pn);
            if (states[s] == IN_FLIGHT) {
                states[s] = EMPTY;
                bytesInFlight -= lengths[s];
                handler.lost(offsets[s], lengths[s]);
                trimOldest();
                return true;
            }
        }
        return false;
    }

    /**
     * Send time of the oldest packet still in flight below {@code largestAcked} (one that a later
     * packet's acknowledgement has passed, so it is lost once it is old enough), or -1 if none.
     */
    public long oldestPassedNanos(long largestAcked) {
        trimOldest();
        return oldest < next && oldest < largestAcked ? sentNanos[slot(oldest)] : -1;
    }

    /** Send time of the oldest packet in flight, or -1. */
    public long oldestInFlightNanos() {
        for (long pn = oldest; pn < next; pn++) {
            int s = slot(pn);
            if (states[s] == IN_FLIGHT) {
                return sentNanos[s];
            }
        }
        return -1;
    }

    public long bytesInFlight() {
        return bytesInFlight;
    }

    private void advanceTo(long pn) {
        if (pn < next || pn - oldest >= capacity) {
            throw new IllegalStateException("packet number " + pn + " out of order or ring full");
        }
        for (long p = next; p < pn; p++) {
            states[slot(p)] = EMPTY;
        }
    }

    private void trimOldest() {
        while (oldest < next && states[slot(oldest)] != IN_FLIGHT) {
            oldest++;
        }
    }

    private int slot(long pn) {
        return (int) (pn & mask);
    }
}
