package io.skyhaul.transport.cc;

/**
 * Delay-based rate control. The signal is queuing delay: the minimum RTT seen in the last
 * control interval minus the base (smallest ever) RTT. Loss is not a signal, so random loss does
 * not cut the rate; a queue building at the bottleneck does.
 *
 * <p>Start-up doubles the rate every interval until a queue appears or the receiver stops
 * keeping up. After that the rate moves toward {@code alpha / queuingDelay}: at equilibrium each
 * session keeps {@code alpha} bytes queued at the bottleneck, so sessions with the same alpha get
 * the same share (the FAST TCP equilibrium expressed as a rate), and a background session with a
 * smaller alpha yields.
 */
public final class RateController {
    private final RateControlSettings settings;
    private final double alpha;
    private double rate;
    private boolean startup = true;
    private double previousRate;

    public RateController(RateControlSettings settings, RatePolicy policy) {
        this.settings = settings;
        this.alpha = settings.queueTargetBytes() * policy.queueShare();
        this.rate = Math.min(settings.initialRate(), settings.maxRate());
        this.previousRate = rate;
    }

    /** Current pacing rate in bytes per second. */
    public double rate() {
        return rate;
    }

    public boolean inStartup() {
        return startup;
    }

    /**
     * One control step.
     *
     * @param intervalMinRttNanos the smallest RTT seen during the interval, or -1 if none
     * @param baseRttNanos the smallest RTT seen in the session
     * @param deliveredRate bytes per second the receiver got during the interval, or -1 if unknown
     */
    public void onInterval(long intervalMinRttNanos, long baseRttNanos, double deliveredRate) {
        if (intervalMinRttNanos < 0) {
            return;
        }
        double queuingSeconds = Math.max(0, intervalMinRttNanos - baseRttNanos) / 1e9;
        double sentRate = previousRate;
        previousRate = rate;
        if (startup) {
            boolean queueBuilt = queuingSeconds > settings.startupExitDelaySeconds();
            boolean receiverBehind = deliveredRate > 0 && deliveredRate < settings.startupDeliveredFraction() * sentRate;
            if (queueBuilt || receiverBehind) {
                startup = false;
                if (deliveredRate > 0) {
                    rate = Math.min(rate, deliveredRate);
                }
            } else {
                rate = rate * 2;
            }
        } else {
            double target = alpha / Math.max(queuingSeconds, settings.queuingDelayFloorSeconds());
            double next = rate + settings.gain() * (target - rate);
            next = Math.min(next, rate * settings.maxIncreaseFactor());
            next = Math.max(next, rate * settings.maxDecreaseFactor());
            rate = next;
        }
        if (!startup && deliveredRate > 0) {
            rate = Math.min(rate, Math.max(settings.minRate(), deliveredRate * settings.deliveredRateHeadroom()));
        }
        rate = Math.max(settings.minRate(), Math.min(rate, settings.maxRate()));
    }
}
