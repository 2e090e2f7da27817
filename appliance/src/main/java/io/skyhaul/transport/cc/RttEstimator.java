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

    /** The minimum RTT since the last call (or -1 when there was no sample), and starts a new interval. */
    public long takeIntervalMin() {
        long m = intervalMin;
        intervalMin = Long.MAX_VALUE;
        return m == Long.MAX_VALUE ? -1 : m;
    }
}
