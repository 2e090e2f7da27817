package io.skyhaul.transport.cc;

/**
 * Round-trip time: the smoothed value (RFC 6298 style) for timers, the minimum ever seen as the
 * base (propagation) RTT, and the minimum within the current control interval, which filters
 * scheduling noise out of the queuing-delay signal.
 */
public final class RttEstimator {
    private static final long INITIAL_RTT_NANOS = 100_000_000L;

    private long smoothed = -1;
    private long variation;
    private long base = Long.MAX_VALUE;
    private long intervalMin = Long.MAX_VALUE;
    private long latest;
    private final long[] recent = new long[RECENT];
    private int recentCount;
    private static final int RECENT = 8;

    public void sample(long rttNanos) {
        if (rttNanos <= 0) {
            rttNanos = 1_000;
        }
        latest = rttNanos;
        if (smoothed < 0) {
            smoothed = rttNanos;
            variation = rttNanos / 2;
        } else {
            variation = (3 * variation + Math.abs(smoothed - rttNanos)) / 4;
            smoothed = (7 * smoothed + rttNanos) / 8;
        }
        base = Math.min(base, rttNanos);
        recent[recentCount++ % RECENT] = rttNanos;
        intervalMin = Math.min(intervalMin, rttNanos);
    }

    public boolean hasSample() {
        return smoothed >= 0;
    }

    public long smoothedNanos() {
        return smoothed < 0 ? INITIAL_RTT_NANOS : smoothed;
    }

    public long variationNanos() {
        return smoothed < 0 ? INITIAL_RTT_NANOS / 2 : variation;
    }

    public long baseNanos() {
        return base == Long.MAX_VALUE ? smoothedNanos() : base;
    }

    public long latestNanos() {
        return latest;
    }

    /** The smallest of the last eight samples (a noise-free view of the current RTT), or -1 before eight samples. */
    public long recentMinNanos() {
        if (recentCount < RECENT) {
            return -1;
        }
        long m = Long.MAX_VALUE;
        for (long r : recent) {
            m = Math.min(m, r);
        }
        return m;
    }

    /** The minimum RTT since the last call (or -1 when there was no sample), and starts a new interval. */
    public long takeIntervalMin() {
        long m = intervalMin;
        intervalMin = Long.MAX_VALUE;
        return m == Long.MAX_VALUE ? -1 : m;
    }
}
