package io.skyhaul.transport.crypto;

/**
 * Rejects a packet number seen before, or one too old to tell. Rule: "every datagram is accepted
 * at most once". A window of {@link #WINDOW} packet numbers below the largest one seen is
 * remembered as a bitmap; anything older is refused. Only packets that passed AEAD verification
 * are recorded, so a forger cannot move the window.
 */
public final class ReplayWindow {
    public static final int WINDOW = 1 << 15;
    private static final int WORDS = WINDOW / 64;

    private final long[] bits = new long[WORDS];
    private long largest = -1;

    /** True if {@code pn} is new and inside the window (does not record it). */
    public boolean isFresh(long pn) {
        if (pn < 0) {
            return false;
        }
        if (pn > largest) {
            return true;
        }
        if (largest - pn >= WINDOW) {
            return false;
        }
        return (bits[word(pn)] & mask(pn)) == 0;
    }

    /** Records an authenticated packet number. */
    public void record(long pn) {
        if (pn > largest) {
            long advance = largest < 0 ? WINDOW : pn - largest;
            if (advance >= WINDOW) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long p = largest + 1; p < pn; p++) {
                    bits[word(p)] &= ~mask(p);
                }
            }
            largest = pn;
        }
        bits[word(pn)] |= mask(pn);
    }

    public long largest() {
        return largest;
    }

    private static int word(long pn) {
        return (int) ((pn >>> 6) & (WORDS - 1));
    }

    private static long mask(long pn) {
        return 1L << (pn & 63);
    }
}
