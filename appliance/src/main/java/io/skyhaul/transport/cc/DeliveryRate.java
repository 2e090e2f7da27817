package io.skyhaul.transport.cc;

/**
 * The rate at which the receiver has been getting our data lately, from the byte counts FEEDBACK
 * carries: (bytes received now − bytes received a span ago) / span. While a queue builds at the
 * bottleneck this is the bottleneck's rate (or this session's share of it), which is what
 * start-up needs to know when it ends.
 */
public final class DeliveryRate {
    private static final int SAMPLES = 256;

    private final long[] nanos = new long[SAMPLES];
    private final long[] delivered = new long[SAMPLES];
    private int count;
    private int head;

    /** Records that the receiver reported {@code deliveredBytes} in total at {@code nowNanos}. */
    public void onFeedback(long nowNanos, long deliveredBytes) {
        if (count > 0) {
            int last = (head + SAMPLES - 1) % SAMPLES;
            if (deliveredBytes <= delivered[last]) {
                return;
            }
        }
        nanos[head] = nowNanos;
        delivered[head] = deliveredBytes;
        head = (head + 1) % SAMPLES;
        count = Math.min(SAMPLES, count + 1);
    }

    /**
     * Bytes per second over the most recent span of at least {@code spanNanos} (as far back as
     * the samples reach), or 0 when the samples cover less than half of it.
     */
    public double bytesPerSecond(long spanNanos) {
        if (count < 2) {
            return 0;
        }
        int last = (head + SAMPLES - 1) % SAMPLES;
        int i = last;
        for (int n = 1; n < count; n++) {
            i = (i + SAMPLES - 1) % SAMPLES;
            if (nanos[last] - nanos[i] >= spanNanos) {
                break;
            }
        }
        long elapsed = nanos[last] - nanos[i];
        if (elapsed < spanNanos / 2 || elapsed <= 0) {
            return 0;
        }
        return (delivered[last] - delivered[i]) * 1e9 / elapsed;
    }
}
