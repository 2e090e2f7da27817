package io.skyhaul.transport.cc;

/**
 * Every parameter of congestion control, with its default, in one place (docs/protocol.md says
 * why each value was chosen). Rates are bytes per second.
 *
 * @param maxRate ceiling on the pacing rate ({@code --max-rate})
 * @param minRate floor on the pacing rate
 * @param queueTargetBytes alpha: bytes a fair session keeps queued at the bottleneck at equilibrium
 * @param queuingDelayFloorSeconds below this queuing delay the path counts as idle and the window grows by probeAlphas × alpha per round trip
 * @param startupExitDelaySeconds start-up ends when the queuing delay passes an eighth of the base RTT, clamped to 1 to 4 times this
 * @param gain how far each round trip moves the window toward its target (0..1)
 * @param probeAlphas window growth per round trip, in alphas, while no queue is seen after start-up
 * @param pacingGain pacing rate = pacingGain × window / srtt
 * @param startupPacingGain the same during start-up (higher, so the pacer never keeps the window from filling)
 * @param initialWindowPackets window at the start, in full datagrams
 * @param minWindowPackets smallest window, in full datagrams
 * @param minRttForPacingNanos RTT floor for the pacing rate (loopback RTTs are microseconds)
 * @param congestionLossMargin a round trip signals buffer overflow when it loses more than the usual random loss,
 *     plus congestionLossSigmas binomial standard deviations, plus this margin
 * @param congestionLossSigmas see congestionLossMargin
 * @param minAssumedRandomLoss the usual random loss is taken to be at least this (it sets the statistical tolerance)
 * @param maxRandomLoss the largest loss rate taken as the path's random loss
 * @param minPacketsForLossVerdict a round trip with fewer resolved packets says nothing about loss
 * @param queueTargetCut alpha's factor on an overflow
 * @param minQueueTargetPackets alpha never shrinks below this many datagrams
 * @param queueTargetRecovery alpha's growth per round trip without overflow, back toward queueTargetBytes
 * @param startupExitMaxGrowth when start-up ends, the window taken from the delivery rate is at most this times the current window
 * @param deliveryRateSpanFraction the delivery rate is measured over this fraction of the smoothed RTT (but at least
 *     deliveryRateMinSpanNanos)
 * @param deliveryRateMinSpanNanos see deliveryRateSpanFraction
 * @param restartAfterIdleRounds start-up is entered again after this many consecutive window-limited round trips without a queue
 */
public record RateControlSettings(
        double maxRate,
        double minRate,
        double queueTargetBytes,
        double queuingDelayFloorSeconds,
        double startupExitDelaySeconds,
        double gain,
        double probeAlphas,
        double pacingGain,
        double startupPacingGain,
        int initialWindowPackets,
        int minWindowPackets,
        long minRttForPacingNanos,
        double congestionLossMargin,
        double congestionLossSigmas,
        double minAssumedRandomLoss,
        double maxRandomLoss,
        int minPacketsForLossVerdict,
        double queueTargetCut,
        int minQueueTargetPackets,
        double queueTargetRecovery,
        double startupExitMaxGrowth,
        double deliveryRateSpanFraction,
        long deliveryRateMinSpanNanos,
        int restartAfterIdleRounds) {

    /** No ceiling below 10 Gbit/s unless the operator sets one. */
    public static final double DEFAULT_MAX_RATE = 10e9 / 8;
    public static final double DEFAULT_MIN_RATE = 64e3 / 8;
    /** 256 KiB: 10 ms of queue at 200 Mbit/s, 2 ms at 1 Gbit/s. */
    public static final double DEFAULT_QUEUE_TARGET_BYTES = 256 * 1024;

    public RateControlSettings {
        if (!(minRate > 0 && maxRate >= minRate)) {
            throw new IllegalArgumentException("rates must satisfy 0 < min <= max");
        }
        if (!(gain > 0 && gain <= 1 && probeAlphas > 0 && pacingGain >= 1 && startupPacingGain >= pacingGain && minWindowPackets >= 1)) {
            throw new IllegalArgumentException("gain must be in (0, 1], growth and pacing gain >= 1, min window >= 1 packet");
        }
        if (!(startupExitMaxGrowth >= 1 && deliveryRateSpanFraction > 0 && deliveryRateMinSpanNanos > 0 && restartAfterIdleRounds >= 1)) {
            throw new IllegalArgumentException("start-up exit growth must be >= 1 and the delivery-rate span positive");
        }
    }

    public static RateControlSettings defaults() {
        return withMaxRate(DEFAULT_MAX_RATE);
    }

    public static RateControlSettings withMaxRate(double maxRateBytesPerSecond) {
        return new RateControlSettings(maxRateBytesPerSecond, Math.min(DEFAULT_MIN_RATE, maxRateBytesPerSecond), DEFAULT_QUEUE_TARGET_BYTES,
                0.001, 0.004, 0.5, 1, 1.25, 2.5, 64, 4, 1_000_000L, 0.02, 3.0, 0.01, 0.10, 64, 0.75, 8, 1.01, 2.0, 0.25, 10_000_000L, 4);
    }
}
