package io.skyhaul.transport.cc;

/**
 * Every parameter of rate control, with its default, in one place (see docs/protocol.md for
 * why each value was chosen). Rates are bytes per second.
 */
public record RateControlSettings(
        double initialRate,
        double maxRate,
        double minRate,
        double queueTargetBytes,
        double queuingDelayFloorSeconds,
        double startupExitDelaySeconds,
        double startupDeliveredFraction,
        double gain,
        double maxIncreaseFactor,
        double maxDecreaseFactor,
        double deliveredRateHeadroom) {

    /** 10 Mbit/s: low enough not to swamp a thin link, high enough to start fast. */
    public static final double DEFAULT_INITIAL_RATE = 10e6 / 8;
    /** No ceiling beyond 10 Gbit/s unless the operator sets one. */
    public static final double DEFAULT_MAX_RATE = 10e9 / 8;
    public static final double DEFAULT_MIN_RATE = 64e3 / 8;
    /** Bytes each fair session keeps queued at the bottleneck at equilibrium. */
    public static final double DEFAULT_QUEUE_TARGET_BYTES = 256 * 1024;

    public RateControlSettings {
        if (!(minRate > 0 && maxRate >= minRate && initialRate > 0)) {
            throw new IllegalArgumentException("rates must satisfy 0 < min <= max and initial > 0");
        }
    }

    public static RateControlSettings defaults() {
        return withMaxRate(DEFAULT_MAX_RATE);
    }

    public static RateControlSettings withMaxRate(double maxRateBytesPerSecond) {
        return new RateControlSettings(DEFAULT_INITIAL_RATE, maxRateBytesPerSecond, Math.min(DEFAULT_MIN_RATE, maxRateBytesPerSecond),
                DEFAULT_QUEUE_TARGET_BYTES, 0.001, 0.004, 0.85, 0.5, 1.5, 0.5, 2.0);
    }
}
