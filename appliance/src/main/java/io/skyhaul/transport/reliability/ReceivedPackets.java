package io.skyhaul.transport.reliability;

import java.nio.ByteBuffer;

/**
 * The receiver's memory of which packet numbers arrived, to tell the sender in FEEDBACK. A
 * feedback covers the {@link #FEEDBACK_SPAN} packet numbers up to the largest one received, as a
 * bitmap, so each packet is acknowledged by many feedbacks and losing some feedback costs nothing.
 */
public final class ReceivedPackets {
    public static final int FEEDBACK_SPAN = 2048;
    private static final int RING = FEEDBACK_SPAN * 2;

    private final long[] bits = new long[RING / 64];
    private long largest = -1;
    private long largestArrivalNanos;

    public void record(long pn, long arrivalNanos) {
        if (pn > largest) {
            long from = largest < 0 ? Math.max(0, pn - RING + 1) : largest + 1;
            if (pn - from >= RING) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long p = from; p < pn; p++) {
                    bits[word(p)] &= ~mask(p);
                }
            }
            largest = pn;
            largestArrivalNanos = arrivalNanos;
        } else if (largest - pn >= RING) {
            return;
        }
        bits[word(pn)] |= mask(pn);
    }

    public long largest() {
        return largest;
    }

    public long largestArrivalNanos() {
        return largestArrivalNanos;
    }

    /** Writes {@code FEEDBACK_SPAN / 8} bytes: bit i of the bitmap is packet number {@code largest - i}. */
    public void writeBitmap(ByteBuffer out) {
        for (int byteIndex = 0; byteIndex < FEEDBACK_SPAN / 8; byteIndex++) {
            int b = 0;
            for (int bit = 0; bit < 8; bit++) {
                long pn = largest - (byteIndex * 8L + bit);
                if (pn >= 0 && (bits[word(pn)] & mask(pn)) != 0) {
                    b |= 1 << bit;
                }
            }
            out.put((byte) b);
        }
    }

    private static int word(long pn) {
        return (int) ((pn >>> 6) & (RING / 64 - 1));
    }

    private static long mask(long pn) {
        return 1L << (pn & 63);
    }
}
